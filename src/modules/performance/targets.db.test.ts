import { describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { contextFor, readContextFor, userFor } from '../../../test/builders/context.ts';
import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import { MEASURES, figureOf } from './measures.ts';
import { biggestMoves } from './moved.ts';
import { ragOf, TARGETABLE_MEASURES } from './targets.ts';
import { saveTargets, targetsForUser, targetsOf } from './targets.service.ts';

/** The authority's targets (versioned, audited, validated) and red, amber or green against them. */

const h = databaseForFile();
const now = new Date('2026-12-07T10:00:00Z');

describe('red, amber or green against a target', () => {
  const assessments = MEASURES['assessment-timeliness'];
  const reReferrals = MEASURES['re-referrals'];
  it('higher is better: green at or above, amber within the tolerance below, red further below', () => {
    const t = { target: 80, tolerance: 5 };
    expect(ragOf(assessments, 80, t)).toMatchObject({ status: 'green', label: 'On target' });
    expect(ragOf(assessments, 75, t)).toMatchObject({ status: 'amber', label: 'Near target' });
    expect(ragOf(assessments, 74.9, t)).toMatchObject({ status: 'red', label: 'Off target' });
    expect(ragOf(assessments, 90, t)?.text).toBe('Target 80% or more, amber within 5 points');
  });
  it('lower is better: green at or below, amber within the tolerance above', () => {
    const t = { target: 20, tolerance: 3 };
    expect(ragOf(reReferrals, 18, t)?.status).toBe('green');
    expect(ragOf(reReferrals, 23, t)?.status).toBe('amber');
    expect(ragOf(reReferrals, 23.1, t)?.status).toBe('red');
  });
  it('no status without a target, a figure, or a direction', () => {
    expect(ragOf(assessments, 50, undefined)).toBeNull();
    expect(ragOf(assessments, null, { target: 80, tolerance: 0 })).toBeNull();
    expect(ragOf(MEASURES.referrals, 50, { target: 80, tolerance: 0 })).toBeNull();
    expect(TARGETABLE_MEASURES.map((m) => m.id)).not.toContain('referrals');
  });
  it('the measures that moved: biggest change first, points for a rate, share of the month before for a count', () => {
    const rate = (counted: number, total: number) =>
      figureOf(assessments, [{ grp: '01-10', total, counted }]);
    const count = (n: number) => figureOf(MEASURES.referrals, [{ grp: '2A', total: n, counted: n }]);
    const moves = biggestMoves(
      [
        { figure: rate(3, 4), previous: rate(1, 2) }, // 50% → 75%: 25 points
        { figure: count(12), previous: count(10) }, // +20%
        { figure: rate(1, 1), previous: rate(2, 2) }, // no change: left out
      ],
      { 'assessment-timeliness': { target: 80, tolerance: 5 } },
      5,
    );
    expect(moves.map((m) => [m.figure.measure.id, m.text, m.rag?.status ?? null])).toEqual([
      ['assessment-timeliness', 'Up 25 points, from 50% to 75%', 'amber'],
      ['referrals', 'Up 2, from 10 to 12', null],
    ]);
  });
});

describe('saving the authority’s targets', () => {
  it('saves, audits and reads back; a stale version is a conflict; bad values are field errors', async () => {
    const sm = await userFor(h.db, 'service-manager');
    const la = sm.localAuthorityId!;
    const save = (version: number, targets: Parameters<typeof saveTargets>[1]['targets']) =>
      h.db
        .transaction()
        .execute((trx) => saveTargets(contextFor(trx, sm, now), { localAuthorityId: la, version, targets }));
    expect(
      await save(0, {
        'assessment-timeliness': { target: 85, tolerance: 5 },
        're-referrals': { target: 22, tolerance: 2 },
      }),
    ).toEqual({
      changed: ['re-referrals', 'assessment-timeliness'],
    });
    const read = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
    expect((await targetsOf(read, la)).version).toBe(1);
    expect(await targetsForUser(read)).toEqual({
      're-referrals': { target: 22, tolerance: 2 },
      'assessment-timeliness': { target: 85, tolerance: 5 },
    });
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['subjectId', 'details'])
      .where('action', '=', 'performance-targets.changed')
      .executeTakeFirstOrThrow();
    expect(audit.subjectId).toBe(la);
    expect(audit.details).toMatchObject({ changed: ['re-referrals', 'assessment-timeliness'], before: {} });

    await expect(save(0, {})).rejects.toBeInstanceOf(ConflictError);
    const fieldOf = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(BusinessRuleError);
      return (e as BusinessRuleError).field;
    };
    expect(await fieldOf(save(1, { 'assessment-timeliness': { target: 101, tolerance: 0 } }))).toBe(
      'target-assessment-timeliness',
    );
    expect(await fieldOf(save(1, { 'assessment-timeliness': { target: 80, tolerance: 51 } }))).toBe(
      'tolerance-assessment-timeliness',
    );
    expect(await fieldOf(save(1, { referrals: { target: 80, tolerance: 1 } }))).toBe('targets');
    expect((await targetsOf(read, la)).version).toBe(1);
  });

  it('is refused without the targets permission', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    await expect(
      h.db.transaction().execute((trx) =>
        saveTargets(contextFor(trx, analyst, now), {
          localAuthorityId: analyst.localAuthorityId!,
          version: 0,
          targets: {},
        }),
      ),
    ).rejects.toThrow();
  });
});
