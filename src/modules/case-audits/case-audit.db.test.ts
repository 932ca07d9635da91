import { beforeAll, describe, expect, it } from 'vitest';
import { aCompletedAuditBody } from '../../../test/builders/case-audits.ts';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { aChild, aGrant, anAllocation } from '../../../test/builders/people.ts';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { decideRecordAccess, type CurrentUser } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  FieldProblemsError,
  NotFoundError,
} from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { loadAudit, myAuditsDue, saveAudit } from './case-audit.service.ts';
import { caseAuditWorktray } from './case-audit.worktray.ts';
import { createProgramme, listProgrammes, loadProgramme, sampleChildren } from './programme.service.ts';

const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let qa: CurrentUser;
let psw: CurrentUser;
let sw: CurrentUser;
let team: string;
let la: string;
const teamChildren: string[] = [];
let restricted: string;
let restrictedWithGrant: string;

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>, at = now) =>
  run(file.db, (trx) => fn(contextFor(trx, user, at)));

const monthly = { kind: 'monthly-sample' as const, month: '2026-11', sampleSize: 3, dueOn: '2026-12-31' };

beforeAll(async () => {
  qa = await userFor(file.db, 'qa-officer');
  psw = await userFor(file.db, 'principal-social-worker');
  sw = await userFor(file.db, 'social-worker');
  team = await teamId(file.db, 'Assessment Team');
  la = qa.localAuthorityId!;
  for (const name of ['Ada', 'Ben', 'Cai', 'Dee', 'Eve', 'Fin']) {
    const child = await aChild(file.db, { givenName: name, familyName: 'Sampled' });
    await anAllocation(file.db, child, { role: 'social-worker' });
    teamChildren.push(child.id);
  }
  const r = await aChild(file.db, { givenName: 'Rory', familyName: 'Restricted', restricted: true });
  await anAllocation(file.db, r, { role: 'social-worker' });
  restricted = r.id;
  const g = await aChild(file.db, { givenName: 'Gail', familyName: 'Granted', restricted: true });
  await anAllocation(file.db, g, { role: 'social-worker' });
  await aGrant(file.db, g, 'qa-officer', 'read');
  restrictedWithGrant = g.id;
});

const sampling = (seed: string, limit: number | null) =>
  sampleChildren(file.db, {
    localAuthorityId: la,
    auditorId: qa.id,
    now,
    seed,
    team: { teamId: team, first: '2026-11-01', last: '2026-11-30' },
    limit,
  });

describe('sampling', () => {
  it('is reproducible from the seed, and a different seed draws a different order', async () => {
    const first = (await sampling('seed-one', null)).map((r) => r.childId);
    const again = (await sampling('seed-one', null)).map((r) => r.childId);
    expect(again).toEqual(first);
    expect(first).toHaveLength(7); // six unrestricted children and the restricted one the auditor holds a grant for
    const other = (await sampling('seed-two', null)).map((r) => r.childId);
    expect(new Set(other)).toEqual(new Set(first));
    expect(other).not.toEqual(first);
    expect((await sampling('seed-one', 3)).map((r) => r.childId)).toEqual(first.slice(0, 3));
  });

  it('leaves out restricted records unless the auditor holds a grant', async () => {
    const ids = (await sampling('any', null)).map((r) => r.childId);
    expect(ids).not.toContain(restricted);
    expect(ids).toContain(restrictedWithGrant);
  });

  it('names each child’s allocated worker', async () => {
    const rows = await sampling('seed-one', 2);
    expect(rows.every((r) => r.workerId === sw.id)).toBe(true);
  });
});

describe('audit programmes', () => {
  let programmeId: string;
  let auditId: string;
  let childId: string;

  it('samples the team’s children with the stored seed, creates their audits and grants the auditor access', async () => {
    const created = await as(qa, (ctx) => createProgramme(ctx, { ...monthly, teamId: team }, 'fixed-seed'));
    programmeId = created.id;
    expect(created.audits).toBe(3);
    const expected = (await sampling('fixed-seed', 3)).map((r) => r.childId);
    const audits = await file.db
      .selectFrom('caseAudits')
      .select(['id', 'childId', 'grantId', 'auditorId', 'status'])
      .where('programmeId', '=', programmeId)
      .execute();
    expect(new Set(audits.map((a) => a.childId))).toEqual(new Set(expected));
    expect(audits.every((a) => a.auditorId === qa.id && a.status === 'not-started')).toBe(true);
    const programme = await file.db
      .selectFrom('caseAuditProgrammes')
      .select(['seed', 'title'])
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
    expect(programme).toEqual({ seed: 'fixed-seed', title: 'Assessment Team: November 2026 sample' });
    const withGrant = audits.find((a) => a.grantId)!;
    auditId = withGrant.id;
    childId = withGrant.childId;
    const grant = await file.db
      .selectFrom('recordGrants')
      .selectAll()
      .where('id', '=', withGrant.grantId!)
      .executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ userId: qa.id, childId, access: 'read' });
    expect(grant.expiresAt?.toISOString()).toBe('2026-12-31T23:59:59.000Z');
    const events = await file.db
      .selectFrom('auditEvents')
      .select(['action', 'childId'])
      .where((eb) => eb.or([eb('subjectId', '=', programmeId), eb('subjectId', '=', withGrant.grantId!)]))
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        { action: 'case-audit-programme.created', childId: null },
        { action: 'record-grant.created', childId },
      ]),
    );
  });

  it('the grant opens a restricted record until the due date, and not after', async () => {
    await file.db.updateTable('people').set({ restricted: true }).where('id', '=', childId).execute();
    const before = (await decideRecordAccess(file.db, qa, [childId], now)).get(childId)!;
    const after = (await decideRecordAccess(file.db, qa, [childId], new Date('2027-01-01T09:00:00Z'))).get(
      childId,
    )!;
    expect(before.read).toBe(true);
    expect(after.read).toBe(false);
  });

  it('lists programmes and the auditor’s audits due, paged, and puts them on the worktray', async () => {
    const list = await as(qa, (ctx) => listProgrammes(ctx, { page: 1 }));
    expect(list.rows.find((p) => p.id === programmeId)).toMatchObject({ audits: 3, completed: 0 });
    const mine = await as(qa, (ctx) => myAuditsDue(ctx, { page: 1 }));
    expect(mine.total).toBe(3);
    const programme = await as(psw, (ctx) => loadProgramme(ctx, { programmeId, page: 1 }));
    expect(programme.audits).toHaveLength(3);
    const tray = await as(qa, (ctx) => caseAuditWorktray({ ...ctx, today: '2026-11-24' }));
    expect(tray.map((i) => i.href)).toContain(`/case-audits/audits/${auditId}`);
    expect(await as(sw, (ctx) => caseAuditWorktray({ ...ctx, today: '2026-11-24' }))).toEqual([]);
  });

  it('refuses people without the permission, and a sample with no children', async () => {
    await expect(as(sw, (ctx) => createProgramme(ctx, { ...monthly, teamId: team }))).rejects.toThrow(
      AccessDeniedError,
    );
    const empty = await teamId(file.db, 'Quality Assurance');
    await expect(as(qa, (ctx) => createProgramme(ctx, { ...monthly, teamId: empty }))).rejects.toThrow(
      BusinessRuleError,
    );
  });

  it('saves a draft, refuses completion field by field (keeping the draft), completes, then is read-only', async () => {
    const { audit } = await as(qa, (ctx) => loadAudit(ctx, auditId));
    await as(qa, (ctx) =>
      saveAudit(ctx, {
        auditId,
        body: { frontDoor__grade: 'good' },
        action: 'draft',
        version: audit.version,
      }),
    );
    let v = audit.version + 1;
    const refused = await as(qa, (ctx) =>
      saveAudit(ctx, {
        auditId,
        body: { frontDoor__grade: 'outstanding' },
        action: 'complete',
        version: v,
      }).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(FieldProblemsError);
    const fields = (refused as FieldProblemsError).problems.map((p) => p.field);
    expect(fields).toContain('frontDoor__evidence');
    expect(fields).toContain('impact__whatChanged');
    expect(fields).toContain('reflection__workerReflection');
    v += 1;
    // A stale version is a conflict, nothing overwritten.
    await expect(
      as(qa, (ctx) => saveAudit(ctx, { auditId, body: {}, action: 'draft', version: v - 1 })),
    ).rejects.toThrow(ConflictError);
    // Someone who cannot see the (now restricted) record cannot touch its audit.
    await expect(
      as(psw, (ctx) => saveAudit(ctx, { auditId, body: {}, action: 'draft', version: v })),
    ).rejects.toThrow(NotFoundError);
    const done = await as(qa, (ctx) =>
      saveAudit(ctx, {
        auditId,
        body: aCompletedAuditBody({ recording: 'requires-improvement' }),
        action: 'complete',
        version: v,
      }),
    );
    expect(done.status).toBe('completed');
    const grades = await file.db
      .selectFrom('caseAuditGrades')
      .select(['area', 'grade'])
      .where('auditId', '=', auditId)
      .orderBy('area')
      .execute();
    expect(grades).toHaveLength(7);
    expect(grades.find((g) => g.area === 'recording')?.grade).toBe('requires-improvement');
    // The grant ended with the audit: the (now restricted) record is closed to the auditor again.
    expect((await decideRecordAccess(file.db, qa, [childId], now)).get(childId)!.read).toBe(false);
    const actions = await file.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', childId)
      .where('action', 'in', ['case-audit.saved', 'case-audit.completed', 'record-grant.revoked'])
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      'case-audit.completed',
      'case-audit.saved',
      'case-audit.saved',
      'record-grant.revoked',
    ]);
  });

  it('shows the record’s own figures beside the audit', async () => {
    await file.db.updateTable('people').set({ restricted: false }).where('id', '=', childId).execute();
    const { figures, editable } = await as(psw, (ctx) => loadAudit(ctx, auditId));
    expect(editable).toBe(false);
    // A completed audit is read-only, even for its auditor …
    await expect(
      as(qa, (ctx) => saveAudit(ctx, { auditId, body: {}, action: 'draft', version: 3 })),
    ).rejects.toThrow(BusinessRuleError);
    // … and only the auditor records it.
    await expect(
      as(psw, (ctx) => saveAudit(ctx, { auditId, body: {}, action: 'draft', version: 1 })),
    ).rejects.toThrow(AccessDeniedError);
    expect(figures.socialCare).toMatchObject({ referrals: 0, cpPlanStartDate: null });
    expect(figures.earlyHelp.episodeReference).toBeNull();
    expect(figures.contactsInYear).toBe(0);
  });
});

describe('thematic audits', () => {
  it('chooses every child on a child protection plan for more than 18 months', async () => {
    const episode = await aCinEpisode(file.db, { child: { givenName: 'Long', familyName: 'Plan' } });
    const { planId } = await aCpPlan(file.db, episode.episodeId);
    await file.db.updateTable('cpPlans').set({ startDate: '2025-03-01' }).where('id', '=', planId).execute();
    const recent = await aCinEpisode(file.db, { child: { givenName: 'New', familyName: 'Plan' } });
    await aCpPlan(file.db, recent.episodeId);
    const created = await as(qa, (ctx) =>
      createProgramme(ctx, {
        kind: 'thematic',
        criterion: 'long-cp-plans',
        periodStart: '2026-09-01',
        periodEnd: '2026-11-23',
        dueOn: '2026-12-31',
      }),
    );
    const children = await file.db
      .selectFrom('caseAudits')
      .select('childId')
      .where('programmeId', '=', created.id)
      .execute();
    expect(children.map((c) => c.childId)).toEqual([episode.child.id]);
    const longAudit = await file.db
      .selectFrom('caseAudits')
      .select('id')
      .where('programmeId', '=', created.id)
      .executeTakeFirstOrThrow();
    const { figures } = await as(qa, (ctx) => loadAudit(ctx, longAudit.id));
    expect(figures.socialCare.cpPlanStartDate).toBe('2025-03-01');
    expect(figures.socialCare.referrals).toBe(1);
  });

  it('refuses a period that ends before it starts', async () => {
    await expect(
      as(qa, (ctx) =>
        createProgramme(ctx, {
          kind: 'thematic',
          criterion: 'step-downs',
          periodStart: '2026-10-01',
          periodEnd: '2026-09-01',
          dueOn: '2026-12-31',
        }),
      ),
    ).rejects.toThrow(FieldProblemsError);
  });
});
