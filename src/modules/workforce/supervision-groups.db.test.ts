import { beforeAll, describe, expect, it } from 'vitest';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { aStaffMember } from '../../../test/builders/organisation.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { chronologyFor } from '../people/chronology.service.ts';
import { oversightWindowStart } from './supervision.ts';
import {
  followUpActions,
  loadSupervisionSession,
  recordChildDiscussion,
  recordManagementOversight,
  saveSupervisionSettings,
  startSupervisionSession,
  teamOversight,
} from './supervision.service.ts';
import {
  followUpGroupActions,
  groupSessions,
  loadGroupSession,
  recordGroupChildDiscussion,
  startGroupSession,
} from './supervision-group.service.ts';
import {
  changePersonalSupervision,
  loadPersonalSupervision,
  personalSupervisionRecords,
  recordPersonalSupervision,
} from './supervision-personal.service.ts';
import { oversightSummary } from './supervision.summary.ts';

/**
 * Supervision, continued: actions dropped with a note and every follow-up kept; group and reflective sessions writing
 * oversight onto each child's record (restricted records stay restricted); personal supervision private to the worker
 * and supervisor, never on a child's record; oversight in the last N working days on the record and the team's page.
 */

const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let sw: CurrentUser;
let tm: CurrentUser;
let sm: CurrentUser;
let ehp: CurrentUser;
let second: { id: string; displayName: string };

beforeAll(async () => {
  sw = await userFor(file.db, 'social-worker');
  tm = await userFor(file.db, 'team-manager');
  sm = await userFor(file.db, 'service-manager');
  ehp = await userFor(file.db, 'early-help-practitioner');
  second = await aStaffMember(file.db, {
    team: 'Assessment Team',
    displayName: 'Grace Second',
    role: 'social-worker',
  });
});

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>) =>
  run(file.db, (trx) => fn(contextFor(trx, user, now)));

const part = (childId: string, action?: string) => ({
  childId,
  worries: 'Worry',
  decision: 'Keep the plan',
  rationale: 'It is working',
  actions: action ? [{ description: action, owner: 'Sian Walker', dueOn: '2026-12-04' }] : [],
});

const audits = (action: string, subjectId?: string) => {
  let q = file.db
    .selectFrom('auditEvents')
    .select(['childId', 'details', 'subjectId'])
    .where('action', '=', action);
  if (subjectId) q = q.where('subjectId', '=', subjectId);
  return q.execute();
};

describe('following up actions', () => {
  it('drops an action only with a note, keeps each follow-up, and shows them at the session', async () => {
    const child = await aChild(file.db, { givenName: 'Dot' });
    await anAllocation(file.db, child, { role: 'social-worker' });
    const first = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-01' }),
    );
    await as(tm, (ctx) => recordChildDiscussion(ctx, { ...part(child.id, 'Ring school'), sessionId: first }));
    const next = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-29' }),
    );
    const action = (await as(tm, (ctx) => loadSupervisionSession(ctx, next))).followUps
      .flatMap((e) => e.actions)
      .find((a) => a.description === 'Ring school')!;

    await expect(
      as(tm, (ctx) =>
        followUpActions(ctx, {
          sessionId: next,
          items: [{ actionId: action.id, version: action.version, outcome: 'dropped' }],
        }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    await as(tm, (ctx) =>
      followUpActions(ctx, {
        sessionId: next,
        items: [
          {
            actionId: action.id,
            version: action.version,
            outcome: 'dropped',
            note: 'School closed for the term',
          },
        ],
      }),
    );
    // Stale: the same version again is a conflict.
    await expect(
      as(tm, (ctx) =>
        followUpActions(ctx, {
          sessionId: next,
          items: [{ actionId: action.id, version: action.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    const row = await file.db
      .selectFrom('supervisionActions')
      .select(['status', 'completedOn', 'version'])
      .where('id', '=', action.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'dropped', completedOn: '2026-10-29', version: action.version + 1 });
    const history = await file.db
      .selectFrom('supervisionActionFollowUps')
      .select(['outcome', 'note', 'sessionId'])
      .where('actionId', '=', action.id)
      .execute();
    expect(history).toEqual([{ outcome: 'dropped', note: 'School closed for the term', sessionId: next }]);
    const atNext = await as(sw, (ctx) => loadSupervisionSession(ctx, next));
    expect(atNext.followedUpHere.map((f) => [f.description, f.outcome, f.note])).toEqual([
      ['Ring school', 'dropped', 'School closed for the term'],
    ]);
    expect(atNext.followUps.flatMap((e) => e.actions).some((a) => a.id === action.id)).toBe(false);
    // Audited under the child, and on the child's chronology with the note.
    expect((await audits('supervision-action.dropped', action.id))[0]?.childId).toBe(child.id);
    const events = await file.db
      .selectFrom('caseEvents')
      .select(['title', 'summary'])
      .where('childId', '=', child.id)
      .where('title', '=', 'Supervision action dropped')
      .execute();
    expect(events[0]?.summary).toContain('Note: School closed for the term');
  });

  it('refuses a stale follow-up as a conflict', async () => {
    const child = await aChild(file.db, { givenName: 'Eve' });
    await anAllocation(file.db, child, { role: 'social-worker' });
    const first = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-02' }),
    );
    await as(tm, (ctx) => recordChildDiscussion(ctx, { ...part(child.id, 'Visit'), sessionId: first }));
    const next = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-30' }),
    );
    const action = (await as(tm, (ctx) => loadSupervisionSession(ctx, next))).followUps
      .flatMap((e) => e.actions)
      .find((a) => a.description === 'Visit')!;
    // Someone else carried it forward in between (the version moved on, the action is still open).
    await file.db
      .updateTable('supervisionActions')
      .set({ version: action.version + 1 })
      .where('id', '=', action.id)
      .execute();
    await expect(
      as(tm, (ctx) =>
        followUpActions(ctx, {
          sessionId: next,
          items: [{ actionId: action.id, version: action.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('group supervision', () => {
  it('writes each child’s part onto that child’s record; a restricted child the facilitator may not see cannot be added', async () => {
    const ava = await aChild(file.db, { givenName: 'Ava', familyName: 'Group' });
    await anAllocation(file.db, ava, { role: 'social-worker' });
    const bo = await aChild(file.db, { givenName: 'Bo', familyName: 'Group' });
    await file.db
      .insertInto('allocations')
      .values({
        childId: bo.id,
        workerId: second.id,
        teamId: sw.teamId!,
        role: 'allocated-worker',
        startedOn: '2026-10-01',
      })
      .execute();
    // Restricted and held by the early help practitioner: the team manager may not see it.
    const hidden = await aChild(file.db, { givenName: 'Cy', familyName: 'Hidden', restricted: true });
    await anAllocation(file.db, hidden, { role: 'early-help-practitioner' });

    await expect(
      as(tm, (ctx) => startGroupSession(ctx, { kind: 'group', heldOn: '2026-11-20', attendeeIds: [sw.id] })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(
      as(tm, (ctx) =>
        startGroupSession(ctx, { kind: 'group', heldOn: '2026-11-20', attendeeIds: [sw.id, ehp.id] }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(
      as(sw, (ctx) =>
        startGroupSession(ctx, { kind: 'group', heldOn: '2026-11-20', attendeeIds: [tm.id, second.id] }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const id = await as(tm, (ctx) =>
      startGroupSession(ctx, {
        kind: 'reflective',
        heldOn: '2026-11-20',
        focus: 'Neglect',
        attendeeIds: [sw.id, second.id],
      }),
    );
    const session = await as(tm, (ctx) => loadGroupSession(ctx, id));
    expect(session.session.attendees.map((a) => a.displayName).sort()).toEqual(
      ['Grace Second', sw.displayName].sort(),
    );
    expect(session.toDiscuss.map((c) => c.name)).toEqual(expect.arrayContaining(['Ava Group', 'Bo Group']));
    expect(session.toDiscuss.map((c) => c.name)).not.toContain('Cy Hidden');

    const a = await as(tm, (ctx) =>
      recordGroupChildDiscussion(ctx, { ...part(ava.id, 'Ask Nan'), groupSessionId: id }),
    );
    await as(tm, (ctx) => recordGroupChildDiscussion(ctx, { ...part(bo.id), groupSessionId: id }));
    await expect(
      as(tm, (ctx) => recordGroupChildDiscussion(ctx, { ...part(hidden.id), groupSessionId: id })),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      as(tm, (ctx) => recordGroupChildDiscussion(ctx, { ...part(ava.id), groupSessionId: id })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    // Only the facilitator records.
    await expect(
      as(sw, (ctx) => recordGroupChildDiscussion(ctx, { ...part(bo.id), groupSessionId: id })),
    ).rejects.toBeInstanceOf(AccessDeniedError);

    const chronology = await as(sw, (ctx) =>
      chronologyFor(ctx, {
        childId: ava.id,
        filter: { categories: ['management-oversight'], significantOnly: false },
        page: { limit: 10, offset: 0 },
      }),
    );
    expect(chronology.rows.map((r) => r.title)).toEqual([
      `Reflective group session: management oversight (facilitated by ${tm.displayName})`,
    ]);
    expect((await audits('management-oversight.recorded', a))[0]).toMatchObject({
      childId: ava.id,
      details: expect.objectContaining({ groupSessionId: id }),
    });
    expect((await audits('group-supervision.recorded', id)).length).toBe(1);

    // Attendees and the management line see it; another practitioner gets 404.
    expect(
      (await as(sw, (ctx) => loadGroupSession(ctx, id))).discussed.map((d) => d.childName).sort(),
    ).toEqual(['Ava Group', 'Bo Group']);
    expect((await as(sm, (ctx) => loadGroupSession(ctx, id))).isFacilitator).toBe(false);
    await expect(as(ehp, (ctx) => loadGroupSession(ctx, id))).rejects.toBeInstanceOf(NotFoundError);
    expect((await as(sw, (ctx) => groupSessions(ctx, { page: 1 }))).rows.map((r) => r.id)).toContain(id);
    expect((await as(ehp, (ctx) => groupSessions(ctx, { page: 1 }))).total).toBe(0);
  });

  it('follows up the actions of the group’s earlier sessions (same kind, an attendee in common) at its next one', async () => {
    const ada = await aChild(file.db, { givenName: 'Ada', familyName: 'Follow' });
    await anAllocation(file.db, ada, { role: 'social-worker' });
    const ben = await aChild(file.db, { givenName: 'Ben', familyName: 'Follow' });
    await file.db
      .insertInto('allocations')
      .values({
        childId: ben.id,
        workerId: second.id,
        teamId: sw.teamId!,
        role: 'allocated-worker',
        startedOn: '2026-10-01',
      })
      .execute();
    const start = (kind: 'group' | 'reflective', heldOn: string) =>
      as(tm, (ctx) => startGroupSession(ctx, { kind, heldOn, attendeeIds: [sw.id, second.id] }));
    const g1 = await start('group', '2026-11-02');
    await as(tm, (ctx) =>
      recordGroupChildDiscussion(ctx, { ...part(ada.id, 'Call GP'), groupSessionId: g1 }),
    );
    await as(tm, (ctx) =>
      recordGroupChildDiscussion(ctx, { ...part(ben.id, 'Ring nursery'), groupSessionId: g1 }),
    );
    const mine = <A extends { description: string }>(actions: A[]) =>
      actions.filter((a) => ['Call GP', 'Ring nursery'].includes(a.description));

    // A reflective session is another group: it does not follow up group supervision's actions.
    const reflective = await start('reflective', '2026-11-09');
    expect(
      mine((await as(tm, (ctx) => loadGroupSession(ctx, reflective))).followUps.flatMap((e) => e.actions)),
    ).toEqual([]);
    // Nor does the first session follow up its own.
    expect(
      mine((await as(tm, (ctx) => loadGroupSession(ctx, g1))).followUps.flatMap((e) => e.actions)),
    ).toEqual([]);

    const g2 = await start('group', '2026-11-16');
    const open = mine((await as(tm, (ctx) => loadGroupSession(ctx, g2))).followUps.flatMap((e) => e.actions));
    expect(open.map((a) => a.description).sort()).toEqual(['Call GP', 'Ring nursery']);
    const gp = open.find((a) => a.description === 'Call GP')!;
    const nursery = open.find((a) => a.description === 'Ring nursery')!;
    // An attendee sees them but may not follow them up; a drop needs a note.
    expect(
      mine((await as(sw, (ctx) => loadGroupSession(ctx, g2))).followUps.flatMap((e) => e.actions)),
    ).toHaveLength(2);
    await expect(
      as(sw, (ctx) =>
        followUpGroupActions(ctx, {
          groupSessionId: g2,
          items: [{ actionId: gp.id, version: gp.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      as(tm, (ctx) =>
        followUpGroupActions(ctx, {
          groupSessionId: g2,
          items: [{ actionId: nursery.id, version: nursery.version, outcome: 'dropped' }],
        }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);

    await as(tm, (ctx) =>
      followUpGroupActions(ctx, {
        groupSessionId: g2,
        items: [
          { actionId: gp.id, version: gp.version, outcome: 'carry-forward' },
          { actionId: nursery.id, version: nursery.version, outcome: 'dropped', note: 'Nursery place ended' },
        ],
      }),
    );
    // Versioned: the old version of the carried-forward action is a conflict; the dropped one is no longer open.
    await expect(
      as(tm, (ctx) =>
        followUpGroupActions(ctx, {
          groupSessionId: g2,
          items: [{ actionId: gp.id, version: gp.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      as(tm, (ctx) =>
        followUpGroupActions(ctx, {
          groupSessionId: g2,
          items: [{ actionId: nursery.id, version: nursery.version + 1, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);

    const history = await file.db
      .selectFrom('supervisionActionFollowUps')
      .select(['actionId', 'outcome', 'note', 'sessionId', 'groupSessionId'])
      .where('actionId', 'in', [gp.id, nursery.id])
      .orderBy('outcome')
      .execute();
    expect(history).toEqual([
      { actionId: gp.id, outcome: 'carried-forward', note: null, sessionId: null, groupSessionId: g2 },
      {
        actionId: nursery.id,
        outcome: 'dropped',
        note: 'Nursery place ended',
        sessionId: null,
        groupSessionId: g2,
      },
    ]);
    const atG2 = await as(sw, (ctx) => loadGroupSession(ctx, g2));
    expect(atG2.followedUpHere.map((f) => [f.childName, f.description, f.outcome]).sort()).toEqual([
      ['Ada Follow', 'Call GP', 'carried-forward'],
      ['Ben Follow', 'Ring nursery', 'dropped'],
    ]);
    // Audited under the child; the drop's note on the child's chronology.
    expect((await audits('supervision-action.dropped', nursery.id))[0]).toMatchObject({
      childId: ben.id,
      details: expect.objectContaining({ groupSessionId: g2 }),
    });
    const events = await file.db
      .selectFrom('caseEvents')
      .select(['summary'])
      .where('childId', '=', ben.id)
      .where('title', '=', 'Supervision action dropped')
      .execute();
    expect(events[0]?.summary).toContain('followed up in group supervision on 16 November 2026');
    expect(events[0]?.summary).toContain('Note: Nursery place ended');

    // At the next session the carried-forward action is still open (counted), the dropped one is gone.
    const g3 = await start('group', '2026-11-23');
    const still = mine(
      (await as(tm, (ctx) => loadGroupSession(ctx, g3))).followUps.flatMap((e) => e.actions),
    );
    expect(still.map((a) => [a.description, a.timesCarriedForward])).toEqual([['Call GP', 1]]);
  });
});

describe('personal supervision', () => {
  it('is private to the worker and the supervisor, versioned, audited without its content, and never on a child’s record', async () => {
    const eventsBefore = await file.db
      .selectFrom('caseEvents')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      as(tm, (ctx) => recordPersonalSupervision(ctx, { superviseeId: sw.id, heldOn: '2026-11-20' })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(
      as(tm, (ctx) =>
        recordPersonalSupervision(ctx, { superviseeId: ehp.id, heldOn: '2026-11-20', wellbeing: 'x' }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    const id = await as(tm, (ctx) =>
      recordPersonalSupervision(ctx, {
        superviseeId: sw.id,
        heldOn: '2026-11-20',
        wellbeing: 'Tired after a difficult court case',
        workload: 'Two fewer cases for a month',
      }),
    );
    expect((await as(sw, (ctx) => loadPersonalSupervision(ctx, id))).wellbeing).toBe(
      'Tired after a difficult court case',
    );
    // Not the service manager above them, not another worker.
    await expect(as(sm, (ctx) => loadPersonalSupervision(ctx, id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(ehp, (ctx) => loadPersonalSupervision(ctx, id))).rejects.toBeInstanceOf(NotFoundError);
    expect((await as(sm, (ctx) => personalSupervisionRecords(ctx, { page: 1 }))).total).toBe(0);
    expect((await as(sw, (ctx) => personalSupervisionRecords(ctx, { page: 1 }))).total).toBe(1);

    // The supervisor changes it, versioned; the worker may not.
    const change = { id, heldOn: '2026-11-20', wellbeing: 'Better', version: 1 };
    await expect(as(sw, (ctx) => changePersonalSupervision(ctx, change))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    await as(tm, (ctx) => changePersonalSupervision(ctx, change));
    await expect(as(tm, (ctx) => changePersonalSupervision(ctx, change))).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await as(tm, (ctx) => loadPersonalSupervision(ctx, id))).version).toBe(2);

    const trail = [
      ...(await audits('personal-supervision.recorded', id)),
      ...(await audits('personal-supervision.changed', id)),
    ];
    expect(trail).toHaveLength(2);
    expect(trail.every((r) => r.childId === null)).toBe(true);
    expect(JSON.stringify(trail)).not.toContain('Tired');
    expect(JSON.stringify(trail)).not.toContain('Better');
    const eventsAfter = await file.db
      .selectFrom('caseEvents')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(eventsAfter.n).toBe(eventsBefore.n);
  });
});

describe('oversight in the last N working days', () => {
  it('counts working days back from today (today included), skipping weekends and bank holidays', () => {
    const cal = englandAndWalesCalendar;
    // Tuesday 24 November 2026: 5 working days are Wed 18 to Tue 24.
    expect(oversightWindowStart('2026-11-24', 5, cal)).toBe('2026-11-18');
    // Sunday 29 November: the window ends on Friday 27.
    expect(oversightWindowStart('2026-11-29', 1, cal)).toBe('2026-11-27');
    // Across Christmas 2026 (Fri 25 and Mon 28 December are bank holidays).
    expect(oversightWindowStart('2026-12-29', 3, cal)).toBe('2026-12-23');
  });

  it('shows on the child’s summary and on the team’s page, matching a count by hand', async () => {
    const recent = await aChild(file.db, { givenName: 'Recent', familyName: 'Oversight' });
    await anAllocation(file.db, recent, { role: 'social-worker' });
    const stale = await aChild(file.db, { givenName: 'Stale', familyName: 'Oversight' });
    await anAllocation(file.db, stale, { role: 'social-worker' });
    await as(tm, (ctx) => recordManagementOversight(ctx, { ...part(recent.id) }));
    // An old entry for the stale child, recorded at a session in September.
    const old = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-09-01' }),
    );
    await as(tm, (ctx) => recordChildDiscussion(ctx, { ...part(stale.id), sessionId: old }));
    await as(tm, (ctx) =>
      saveSupervisionSettings(ctx, { frequency: 'monthly', oversightWindow: 10, version: 0 }),
    );

    const summary = (personId: string) =>
      run(file.db, (db) =>
        oversightSummary.nextDeadlines!({
          db,
          personId,
          user: sw,
          now,
          today: '2026-11-24',
          calendar: englandAndWalesCalendar,
        }),
      );
    expect(await summary(recent.id)).toContainEqual({
      title: 'Management oversight in the last 10 working days',
      dueOn: '2026-12-07',
      href: `/people/${recent.id}/chronology?category=management-oversight`,
      detail: '1 entry, the latest on 24 November 2026',
    });
    expect(
      (await summary(stale.id)).find((d) => d.title.startsWith('Management oversight in')),
    ).toMatchObject({
      dueOn: '2026-09-14',
      detail: 'None: the latest was on 1 September 2026',
    });

    const since = oversightWindowStart('2026-11-24', 10, englandAndWalesCalendar);
    const team = await as(tm, (ctx) => teamOversight(ctx, { teamId: sw.teamId!, since, page: 1 }));
    // By hand: every child with an open allocation in the Assessment Team, and those with oversight since `since`.
    const byHand = await file.db
      .selectFrom('allocations as a')
      .innerJoin('people as p', 'p.id', 'a.childId')
      .select((eb) => [
        eb.fn.count<string>('p.id').distinct().as('total'),
        eb.fn
          .count<string>('p.id')
          .distinct()
          .filterWhere((w) =>
            w.exists(
              w
                .selectFrom('managementOversight as o')
                .select('o.id')
                .whereRef('o.childId', '=', 'p.id')
                .where('o.occurredOn', '>=', since),
            ),
          )
          .as('with'),
      ])
      .where('a.teamId', '=', sw.teamId!)
      .where('a.endedOn', 'is', null)
      .where('p.kind', '=', 'child')
      .executeTakeFirstOrThrow();
    expect(team.total).toBe(Number(byHand.total));
    expect(team.withOversight).toBe(Number(byHand.with));
    const rows = new Map(team.rows.map((r) => [r.id, r]));
    expect(rows.get(recent.id)).toMatchObject({ inWindow: 1, last: '2026-11-24' });
    expect(rows.get(stale.id)).toMatchObject({ inWindow: 0, last: '2026-09-01' });
    // Without oversight in the window first.
    expect(team.rows.findIndex((r) => r.id === stale.id)).toBeLessThan(
      team.rows.findIndex((r) => r.id === recent.id),
    );
    await expect(
      as(ehp, (ctx) => teamOversight(ctx, { teamId: sw.teamId!, since, page: 1 })),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
