import { describe, expect, it } from 'vitest';
import { aCensusCohort } from '../../../test/builders/census.ts';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import { localAuthorityId } from '../../../test/builders/people.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { buildCensusReturn, CENSUS_YEARS } from '../returns/index.ts';
import { measureFigure } from './performance.service.ts';

/**
 * The census return and the performance pages never disagree (docs/adr/0008-measures-layer.md): on a built census
 * cohort (every family of the census: NFA referrals, assessments, section 47s, CIN and CP plans, closures, transfers
 * in, unborn children, an episode open on 1 April), the return's own counts for 2025-26 equal the measures for
 * 1 April 2025 to 31 March 2026: referrals in the year; assessments authorised in the year (the denominator of
 * "assessments within 45 working days"); CP plans started in the year (the denominator of "second or subsequent
 * plans").
 */

const h = databaseForFile();

describe('the census return and the measures layer', () => {
  it('count the same referrals, completed assessments and CP plans started for a census year', async () => {
    const richmond = await localAuthorityId(h.db, '318');
    await aCensusCohort(h.db, 20);
    const year = CENSUS_YEARS['2025-26'];
    const census = await buildCensusReturn(h.db, englandAndWalesCalendar, {
      yearId: '2025-26',
      localAuthorityId: richmond,
    });
    const ctx = readContextFor(
      h.db,
      await userFor(h.db, 'performance-analyst'),
      new Date('2026-05-01T09:00:00Z'),
    );
    const scope = {
      localAuthorityIds: [richmond],
      teamId: null,
      from: year.periodStart,
      to: year.referenceDate,
    };
    const [referrals, assessments, plans] = [
      await measureFigure(ctx, 'referrals', scope),
      await measureFigure(ctx, 'assessment-timeliness', scope),
      await measureFigure(ctx, 'cp-plans-second', scope),
    ];
    expect(census.counts.referrals).toBeGreaterThan(0);
    expect(census.counts.assessments).toBeGreaterThan(0);
    expect(census.counts.cpPlans).toBeGreaterThan(0);
    expect({
      referrals: referrals.total,
      assessments: assessments.total,
      cpPlans: plans.total,
    }).toEqual({
      referrals: census.counts.referrals,
      assessments: census.counts.assessments,
      cpPlans: census.counts.cpPlans,
    });
  }, 300_000);
});
