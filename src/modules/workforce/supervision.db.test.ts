import { beforeAll, describe, expect, it } from 'vitest';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  RecordReadOnlyError,
} from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { chronologyFor } from '../people/chronology.service.ts';
import {
  followUpActions,
  loadSupervisionSession,
  recordChildDiscussion,
  recordManagementOversight,
  saveSupervisionSettings,
  startSupervisionSession,
  superviseesDue,
  supervisionSessions,
} from './supervision.service.ts';
import { supervisionWorktray } from './supervision.worktray.ts';

const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let sw: CurrentUser;
let tm: CurrentUser;
let sm: CurrentUser;
let ehp: CurrentUser;
let mashManager: CurrentUser;

beforeAll(async () => {
  sw = await userFor(file.db, 'social-worker');
  tm = await userFor(file.db, 'team-manager');
  sm = await userFor(file.db, 'service-manager');
  ehp = await userFor(file.db, 'early-help-practitioner');
  mashManager = await userFor(file.db, 'mash-manager');
});

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>) =>
  run(file.db, (trx) => fn(contextFor(trx, user, now)));

const discussion = (childId: string, extra: Partial<Parameters<typeof recordChildDiscussion>[1]> = {}) => ({
  childId,
  worries: 'Mum’s new partner is often at the house when the children come home',
  workingWell: 'School attendance is back to 95%',
  childVoice: 'I like it when Nan picks me up',
  hypotheses: 'Mum may be minimising the partner’s presence for fear of losing support',
  decision: 'Continue the child in need plan; hold a strategy discussion if the partner moves in',
  rationale: 'The worries are real but the protective factors are holding, and the family engage',
  actions: [{ description: 'Check the partner with the police', owner: 'Sian Walker', dueOn: '2026-12-04' }],
  ...extra,
});

const oversightEvents = (childId: string) =>
  file.db
    .selectFrom('caseEvents')
    .select(['category', 'title', 'summary', 'sourceId'])
    .where('childId', '=', childId)
    .where('category', '=', 'management-oversight')
    .execute();

const chronologyTitles = async (user: CurrentUser, childId: string) =>
  (
    await as(user, (ctx) =>
      chronologyFor(ctx, {
        childId,
        filter: { categories: ['management-oversight'], significantOnly: false },
        page: { limit: 50, offset: 0 },
      }),
    )
  ).rows.map((r) => r.title);

describe('case supervision', () => {
  it('writes each child’s part onto that child’s chronology, seen only by those who may see the child', async () => {
    const shared = await aChild(file.db, { givenName: 'Ava' });
    await anAllocation(file.db, shared, { role: 'social-worker' });
    // A restricted child held by the team manager themselves: the social worker may not see it.
    const restricted = await aChild(file.db, { givenName: 'Bea', restricted: true });
    await anAllocation(file.db, restricted, { role: 'team-manager' });

    const sessionId = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-11-20' }),
    );
    const a = await as(tm, (ctx) => recordChildDiscussion(ctx, { ...discussion(shared.id), sessionId }));
    const b = await as(tm, (ctx) =>
      recordChildDiscussion(ctx, { ...discussion(restricted.id, { actions: [] }), sessionId }),
    );

    const [eventA] = await oversightEvents(shared.id);
    const [eventB] = await oversightEvents(restricted.id);
    expect(eventA).toMatchObject({ sourceId: a, title: expect.stringContaining('Case supervision') });
    expect(eventA!.summary).toContain('Decision: Continue the child in need plan');
    expect(eventA!.summary).toContain('Rationale: The worries are real');
    expect(eventA!.summary).toContain(
      'Action: Check the partner with the police (Sian Walker, by 4 December 2026)',
    );
    expect(eventB).toMatchObject({ sourceId: b });
    expect(await oversightEvents(shared.id)).toHaveLength(1);

    // The shared child's entry: its worker, its manager and (staff default read) other staff see it.
    expect(await chronologyTitles(sw, shared.id)).toHaveLength(1);
    expect(await chronologyTitles(ehp, shared.id)).toHaveLength(1);
    // The restricted child's entry: its manager sees it; the social worker and other staff get "not found".
    expect(await chronologyTitles(tm, restricted.id)).toHaveLength(1);
    await expect(chronologyTitles(sw, restricted.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(chronologyTitles(ehp, restricted.id)).rejects.toBeInstanceOf(NotFoundError);

    // The session lists only the children the viewer may see.
    const bySupervisor = await as(tm, (ctx) => loadSupervisionSession(ctx, sessionId));
    expect(bySupervisor.discussed.map((d) => d.childName).sort()).toEqual([
      `${shared.givenName} ${shared.familyName}`,
      `${restricted.givenName} ${restricted.familyName}`,
    ]);
    const bySupervisee = await as(sw, (ctx) => loadSupervisionSession(ctx, sessionId));
    expect(bySupervisee.discussed.map((d) => d.childId)).toEqual([shared.id]);
    expect(bySupervisee.hiddenCount).toBe(1);
    expect(bySupervisee.isSupervisor).toBe(false);
    // Audited, under each child.
    const audits = await file.db
      .selectFrom('auditEvents')
      .select(['childId'])
      .where('action', '=', 'management-oversight.recorded')
      .where('subjectId', 'in', [a, b])
      .execute();
    expect(audits.map((r) => r.childId).sort()).toEqual([shared.id, restricted.id].sort());
    // A child is recorded once per session.
    await expect(
      as(tm, (ctx) => recordChildDiscussion(ctx, { ...discussion(shared.id), sessionId })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
  });

  it('follows actions up at the next session with the supervisee: carried forward until done', async () => {
    const child = await aChild(file.db, { givenName: 'Cal' });
    await anAllocation(file.db, child, { role: 'social-worker' });
    const first = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-01' }),
    );
    await as(tm, (ctx) => recordChildDiscussion(ctx, { ...discussion(child.id), sessionId: first }));

    const second = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-10-29' }),
    );
    const atSecond = await as(tm, (ctx) => loadSupervisionSession(ctx, second));
    const followUp = atSecond.followUps.find((e) => e.childId === child.id);
    expect(followUp?.actions.map((x) => x.description)).toEqual(['Check the partner with the police']);
    const action = followUp!.actions[0]!;
    // The first session's own page does not follow up its own actions.
    expect(
      (await as(tm, (ctx) => loadSupervisionSession(ctx, first))).followUps.some(
        (e) => e.childId === child.id,
      ),
    ).toBe(false);

    await as(tm, (ctx) =>
      followUpActions(ctx, {
        sessionId: second,
        items: [{ actionId: action.id, version: action.version, outcome: 'carry-forward' }],
      }),
    );
    // A second save from the same version is refused, and changes nothing.
    await expect(
      as(tm, (ctx) =>
        followUpActions(ctx, {
          sessionId: second,
          items: [{ actionId: action.id, version: action.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);

    const third = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-11-19' }),
    );
    const carried = (await as(tm, (ctx) => loadSupervisionSession(ctx, third))).followUps
      .flatMap((e) => e.actions)
      .find((x) => x.id === action.id);
    expect(carried).toMatchObject({ status: 'open', timesCarriedForward: 1, version: action.version + 1 });
    // The supervisee sees it too, but only the supervisor follows it up.
    await expect(
      as(sw, (ctx) =>
        followUpActions(ctx, {
          sessionId: third,
          items: [{ actionId: action.id, version: carried!.version, outcome: 'done' }],
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await as(tm, (ctx) =>
      followUpActions(ctx, {
        sessionId: third,
        items: [{ actionId: action.id, version: carried!.version, outcome: 'done' }],
      }),
    );
    const row = await file.db
      .selectFrom('supervisionActions')
      .select(['status', 'completedOn', 'timesCarriedForward'])
      .where('id', '=', action.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'done', completedOn: '2026-11-19', timesCarriedForward: 1 });
    const fourth = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-11-23' }),
    );
    expect(
      (await as(tm, (ctx) => loadSupervisionSession(ctx, fourth))).followUps
        .flatMap((e) => e.actions)
        .some((x) => x.id === action.id),
    ).toBe(false);
    // The follow-ups are on the child's chronology.
    expect((await oversightEvents(child.id)).map((e) => e.title)).toEqual(
      expect.arrayContaining(['Supervision action carried forward', 'Supervision action done']),
    );
  });

  it('is due at the authority’s frequency after the last session, on the supervisor’s worktray and the worker’s', async () => {
    // The latest session with the social worker is on 23 November (the test above): monthly → 23 December.
    const due = (await as(tm, (ctx) => superviseesDue(ctx))).find((s) => s.id === sw.id);
    expect(due).toMatchObject({ lastHeldOn: '2026-11-23', dueOn: '2026-12-23', frequency: 'monthly' });
    const items = await as(tm, (ctx) => supervisionWorktray({ ...ctx, today: '2026-11-24' }));
    expect(items.find((i) => i.href === `/supervision/new?supervisee=${sw.id}`)?.dueOn).toBe('2026-12-23');
    const own = await as(sw, (ctx) => supervisionWorktray({ ...ctx, today: '2026-11-24' }));
    expect(own).toEqual([expect.objectContaining({ title: 'Your case supervision', dueOn: '2026-12-23' })]);
    // The service manager supervises the team manager (who manages a team below theirs), not the social worker.
    const smList = await as(sm, (ctx) => superviseesDue(ctx));
    expect(smList.map((s) => s.id)).toContain(tm.id);
    expect(smList.map((s) => s.id)).not.toContain(sw.id);

    await as(tm, (ctx) => saveSupervisionSettings(ctx, { frequency: 'fortnightly', version: 0 }));
    expect((await as(tm, (ctx) => superviseesDue(ctx))).find((s) => s.id === sw.id)?.dueOn).toBe(
      '2026-12-07',
    );
    // A save from the version before is a conflict.
    await expect(
      as(tm, (ctx) => saveSupervisionSettings(ctx, { frequency: 'monthly', version: 0 })),
    ).rejects.toBeInstanceOf(ConflictError);
    await as(tm, (ctx) => saveSupervisionSettings(ctx, { frequency: 'monthly', version: 1 }));
  });

  it('cannot be used without the permission or the access', async () => {
    const child = await aChild(file.db, { givenName: 'Dev' });
    await anAllocation(file.db, child, { role: 'social-worker' });
    await expect(
      as(sw, (ctx) => startSupervisionSession(ctx, { superviseeId: ehp.id, heldOn: '2026-11-20' })),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    // Only people in the supervisor's management line.
    await expect(
      as(tm, (ctx) => startSupervisionSession(ctx, { superviseeId: ehp.id, heldOn: '2026-11-20' })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    const sessionId = await as(tm, (ctx) =>
      startSupervisionSession(ctx, { superviseeId: sw.id, heldOn: '2026-11-24' }),
    );
    // Someone outside the supervisee's line cannot see the session or add to it.
    await expect(as(mashManager, (ctx) => loadSupervisionSession(ctx, sessionId))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      as(mashManager, (ctx) => recordChildDiscussion(ctx, { ...discussion(child.id), sessionId })),
    ).rejects.toBeInstanceOf(NotFoundError);
    // The service manager (management line) sees it but only its supervisor adds to it.
    expect((await as(sm, (ctx) => loadSupervisionSession(ctx, sessionId))).isSupervisor).toBe(false);
    await expect(
      as(sm, (ctx) => recordChildDiscussion(ctx, { ...discussion(child.id), sessionId })),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    // The social worker sees their own sessions; the early help practitioner sees none of them.
    expect((await as(sw, (ctx) => supervisionSessions(ctx, { page: 1 }))).rows.map((r) => r.id)).toContain(
      sessionId,
    );
    expect((await as(ehp, (ctx) => supervisionSessions(ctx, { page: 1 }))).total).toBe(0);

    // Management oversight from the record: the manager writes to the chronology; a manager who may only read the
    // record is refused with the reason; a restricted record of someone else's is "not found".
    const id = await as(tm, (ctx) =>
      recordManagementOversight(ctx, {
        childId: child.id,
        decision: 'Step down to early help',
        rationale: 'The plan’s outcomes are met',
        reviewOn: '2026-12-15',
        actions: [],
      }),
    );
    expect((await oversightEvents(child.id)).map((e) => e.sourceId)).toContain(id);
    await expect(
      as(mashManager, (ctx) =>
        recordManagementOversight(ctx, { childId: child.id, decision: 'x', rationale: 'y', actions: [] }),
      ),
    ).rejects.toBeInstanceOf(RecordReadOnlyError);
    await expect(
      as(sw, (ctx) =>
        recordManagementOversight(ctx, { childId: child.id, decision: 'x', rationale: 'y', actions: [] }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const hidden = await aChild(file.db, { givenName: 'Eli', restricted: true });
    await anAllocation(file.db, hidden, { teamName: 'MASH' });
    await expect(
      as(tm, (ctx) =>
        recordManagementOversight(ctx, { childId: hidden.id, decision: 'x', rationale: 'y', actions: [] }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
