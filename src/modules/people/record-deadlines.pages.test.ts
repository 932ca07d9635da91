import { describe, expect, it } from 'vitest';
import type { CheerioAPI } from 'cheerio';
import { appForFile } from '../../../test/support/test-app.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';

/**
 * The statutory deadlines on the child's record summary (/people/:id) are counted on the authority's calendar:
 * England and Wales bank holidays and the closure days it configured (LOCAL_CLOSURE_DAYS), as the worktrays are.
 * With no closure days, 45 working days from Monday 2 November 2026 end on Wednesday 6 January 2027; closed on
 * 24 and 31 December, they end on Friday 8 January.
 */

const t = appForFile({ config: { LOCAL_CLOSURE_DAYS: '2026-12-24,2026-12-31' } });

const deadlines = (res: { $: CheerioAPI }) =>
  res
    .$('[data-testid="deadlines"] li')
    .map((_, li) => ({
      text: res.$(li).text().replace(/\s+/g, ' ').trim(),
      href: res.$(li).find('a').attr('href'),
    }))
    .get();

describe('next statutory deadlines on the child’s record', () => {
  it('shows an open children in need episode’s assessment due 45 working days from referral, skipping the authority’s closure days', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, {
      referralDate: '2026-11-02',
      child: { givenName: 'Della', familyName: 'Deadline' },
    });
    const reference = (
      await t.db
        .selectFrom('cinEpisodes')
        .select('reference')
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).reference;
    const sw = await t.as('social-worker');
    const page = await sw.get(`/people/${child.id}`);
    expect(page.statusCode).toBe(200);
    expect(deadlines(page)).toEqual([
      {
        text: `8 January 2027 – Start the child and family assessment (${reference}) Day 17 of 45 working days`,
        href: `/social-care/episodes/${episodeId}/assessments/new`,
      },
    ]);
  });

  it('counts an early help assessment’s working days on the same calendar', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const reference = (
      await t.db
        .selectFrom('earlyHelpEpisodes')
        .select('reference')
        .where('id', '=', episode.id)
        .executeTakeFirstOrThrow()
    ).reference;
    const eh = await t.as('early-help-practitioner');
    const page = await eh.get(`/people/${child.id}`);
    expect(page.statusCode).toBe(200);
    // 30 working days from Tuesday 24 November 2026: 7 January 2027 nationally, 11 January with the closures.
    expect(deadlines(page).map((d) => d.text)).toContain(
      `11 January 2027 – Early help assessment (${reference})`,
    );
  });
});
