import { describe, expect, it } from 'vitest';
import { cpMeetings, latestCpRating } from './cp-goal-progress.ts';

/** A child protection plan goal's latest rating comes from the last meeting that rated it, of either kind. */

describe('latest rating of a child protection plan goal', () => {
  const meetings = cpMeetings(
    [
      { id: 'cg1', heldOn: '2026-12-01' },
      { id: 'cg2', heldOn: '2027-01-12' },
    ],
    [{ id: 'rc1', heldOn: '2026-12-20' }],
  );

  it('orders core groups and review conferences by the day they were held', () => {
    expect(meetings.map((m) => [m.id, m.kind])).toEqual([
      ['cg1', 'core-group'],
      ['rc1', 'review-conference'],
      ['cg2', 'core-group'],
    ]);
  });

  it('takes the last meeting that rated the goal, skipping later ones that did not', () => {
    const progress = [
      { meetingId: 'cg1', goalId: 'g1', rating: 'not-started' },
      { meetingId: 'rc1', goalId: 'g1', rating: 'progressing' },
      { meetingId: 'cg2', goalId: 'g2', rating: 'achieved' },
    ];
    const g1 = latestCpRating(meetings, progress, 'g1');
    expect([g1?.meeting.id, g1?.meeting.kind, g1?.progress.rating]).toEqual([
      'rc1',
      'review-conference',
      'progressing',
    ]);
    expect(latestCpRating(meetings, progress, 'g2')?.meeting.heldOn).toBe('2027-01-12');
    expect(latestCpRating(meetings, progress, 'g3')).toBeUndefined();
  });
});
