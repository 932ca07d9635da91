import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { CASE_EVENT_CATEGORIES } from '../../kernel/case-events/index.ts';
import { instantAt } from '../../kernel/time/index.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import { withSourceLinks } from './chronology-links.ts';

/** The child's chronology: case_events from every module, newest first, filterable and printable. */

type Trx = Transaction<DB>;

export const CATEGORY_LABELS: Record<(typeof CASE_EVENT_CATEGORIES)[number], string> = {
  record: 'Record',
  contact: 'Contact',
  referral: 'Referral',
  decision: 'Decision',
  assessment: 'Assessment',
  plan: 'Plan',
  review: 'Review',
  meeting: 'Meeting',
  visit: 'Visit',
  'case-note': 'Case note',
  document: 'Document',
  allocation: 'Allocation',
  'management-oversight': 'Management oversight',
  closure: 'Closure',
  'early-help': 'Early help',
  'social-care': 'Social care',
  other: 'Other',
};

export interface ChronologyFilter {
  categories: readonly string[];
  /** 'YYYY-MM-DD', inclusive, Europe/London days. */
  from?: string | undefined;
  to?: string | undefined;
  significantOnly: boolean;
}

export async function chronologyFor(
  ctx: ReadContext,
  input: { childId: string; filter: ChronologyFilter; page: { limit: number; offset: number } },
) {
  const { db: trx, user, now } = ctx;
  const { childId, filter, page } = input;
  requirePermission(user, 'child:read');
  await requireAccess(trx, user, 'read', [childId], now);
  let q = trx.selectFrom('caseEvents as e').where('e.childId', '=', childId);
  if (filter.categories.length) q = q.where('e.category', 'in', [...filter.categories]);
  if (filter.from) q = q.where('e.occurredAt', '>=', instantAt(filter.from, '00:00'));
  if (filter.to) {
    const [y, m, d] = filter.to.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
    q = q.where('e.occurredAt', '<', instantAt(next, '00:00'));
  }
  if (filter.significantOnly) q = q.where('e.significant', '=', true);
  const [rows, count] = await Promise.all([
    q
      .leftJoin('users as u', 'u.id', 'e.recordedBy')
      .select([
        'e.id',
        'e.occurredAt',
        'e.recordedAt',
        'e.category',
        'e.title',
        'e.summary',
        'e.significant',
        'e.sourceType',
        'e.sourceId',
        'u.displayName as recordedByName',
      ])
      .orderBy('e.occurredAt', 'desc')
      .orderBy('e.recordedAt', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const linked = await withSourceLinks(childId, rows);
  return {
    rows: linked.map((r) => ({
      ...r,
      categoryLabel: CATEGORY_LABELS[r.category as keyof typeof CATEGORY_LABELS] ?? r.category,
    })),
    total: Number(count.n),
  };
}

/** The most recent significant events, for the record summary. */
export async function recentSignificantEvents(trx: Trx, childId: string, limit = 5) {
  const rows = await trx
    .selectFrom('caseEvents')
    .select(['id', 'occurredAt', 'category', 'title', 'sourceType', 'sourceId'])
    .where('childId', '=', childId)
    .where('significant', '=', true)
    .orderBy('occurredAt', 'desc')
    .limit(limit)
    .execute();
  return withSourceLinks(childId, rows);
}
