import type { CheerioAPI } from 'cheerio';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * What the front door's page and database tests read back, written once:
 *
 *   const { richmond, kingston } = await localAuthorityIds(t.db);
 *   expect(summaryLinks(res)).toEqual(['#reason Describe what has happened …']);
 */

type Page = { $: CheerioAPI };

/** The GOV.UK error summary's links, as 'href text'. */
export const summaryLinks = (res: Page): string[] =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => `${res.$(a).attr('href')} ${res.$(a).text().trim()}`)
    .get();

/** The text of the elements a selector picks, with white space collapsed. */
export const textOf = (res: Page, selector: string): string =>
  res.$(selector).text().replace(/\s+/g, ' ').trim();

/** The success (or important) notification banner's text. */
export const banner = (res: Page): string => textOf(res, '.govuk-notification-banner');

/** The audit events with this action (about this subject, when given), oldest first. */
export const auditEvents = (db: Kysely<DB>, action: string, subjectId?: string) => {
  let q = db.selectFrom('auditEvents').select(['actorLabel', 'details']).where('action', '=', action);
  if (subjectId !== undefined) q = q.where('subjectId', '=', subjectId);
  return q.orderBy('seq').execute();
};

/** The demo organisation's two authorities: Richmond (318) and Kingston (314). */
export async function localAuthorityIds(db: Kysely<DB>): Promise<{ richmond: string; kingston: string }> {
  const las = await db.selectFrom('localAuthorities').select(['id', 'laCode']).execute();
  return {
    richmond: las.find((l) => l.laCode === '318')!.id,
    kingston: las.find((l) => l.laCode === '314')!.id,
  };
}

/** One agency of each kind ('police', 'health', 'camhs' …), by kind. */
export async function agencyIdsByKind(db: Kysely<DB>): Promise<Record<string, string>> {
  const rows = await db.selectFrom('agencies').select(['id', 'kind']).execute();
  return Object.fromEntries(rows.map((a) => [a.kind, a.id]));
}
