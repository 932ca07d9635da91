import { beforeAll, describe, expect, it } from 'vitest';
import { aCompletedAuditBody, AUDIT_AREAS } from '../../../test/builders/case-audits.ts';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, FieldProblemsError } from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { addAction, completeAction, loadAction, saveLearningSummary } from './action.service.ts';
import { assignAuditor } from './assignment.service.ts';
import { saveAudit } from './case-audit.service.ts';
import {
  caseAuditActionWorktray,
  caseAuditModerationWorktray,
  caseAuditWorktray,
} from './case-audit.worktray.ts';
import { inModerationSample, moderationRates, saveModeration } from './moderation.service.ts';
import { createProgramme } from './programme.service.ts';
import { auditsBehindFigure, reportFigures, reportScope } from './report.service.ts';

/**
 * Case audits (issue 20): assigning auditors (grants follow the assignee), moderation (a reproducible share; a
 * changed grade needs its reason; the rates in SQL), actions on the owner's worktray and the child's chronology, the
 * learning summary, and the QA report's figures against a hand count.
 */

const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let qa: CurrentUser;
let psw: CurrentUser;
let sw: CurrentUser;
let programmeId: string;
let audits: { id: string; childId: string; version: number; grantId: string | null }[];

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>, at = now) =>
  run(file.db, (trx) => fn(contextFor(trx, user, at)));
const auditRow = (id: string) =>
  file.db.selectFrom('caseAudits').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const grant = (id: string) =>
  file.db.selectFrom('recordGrants').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  qa = await userFor(file.db, 'qa-officer');
  psw = await userFor(file.db, 'principal-social-worker');
  sw = await userFor(file.db, 'social-worker');
  for (const name of ['Asha', 'Bram', 'Cleo']) {
    const child = await aChild(file.db, { givenName: name, familyName: 'Moderated' });
    await anAllocation(file.db, child, { role: 'social-worker' });
  }
  const team = await teamId(file.db, 'Assessment Team');
  const created = await as(qa, (ctx) =>
    createProgramme(
      ctx,
      {
        kind: 'monthly-sample',
        teamId: team,
        month: '2026-11',
        sampleSize: 3,
        dueOn: '2026-12-31',
        moderationPercent: 34,
      },
      'qa-seed',
    ),
  );
  programmeId = created.id;
  audits = await file.db
    .selectFrom('caseAudits')
    .select(['id', 'childId', 'version', 'grantId'])
    .where('programmeId', '=', programmeId)
    .orderBy('id')
    .execute();
});

describe('moderation sample', () => {
  it('is ⌈34% of 3⌉ = 2 audits, the first two in the order of the seed’s hash, the same every time', async () => {
    const chosen = [];
    for (const a of audits) if (await inModerationSample(file.db, a.id)) chosen.push(a.id);
    expect(chosen).toHaveLength(2);
    const { createHash } = await import('node:crypto');
    const byHash = [...audits]
      .sort((x, y) =>
        createHash('md5')
          .update(`qa-seed:moderation:${x.id}`)
          .digest('hex')
          .localeCompare(createHash('md5').update(`qa-seed:moderation:${y.id}`).digest('hex')),
      )
      .map((a) => a.id);
    expect(new Set(chosen)).toEqual(new Set(byHash.slice(0, 2)));
    const again = [];
    for (const a of audits) if (await inModerationSample(file.db, a.id)) again.push(a.id);
    expect(again).toEqual(chosen);
  });
});

describe('assigning, moderating, actions and the report', () => {
  let sampled: (typeof audits)[number];
  let actionId: string;

  it('gives an audit to another auditor: their grant starts, the previous one’s ends, audited, and it moves worktrays', async () => {
    const inSample = [];
    for (const a of audits) if (await inModerationSample(file.db, a.id)) inSample.push(a);
    sampled = inSample[0]!;
    await as(qa, (ctx) =>
      assignAuditor(ctx, { auditId: sampled.id, auditorId: psw.id, version: sampled.version }),
    );
    const row = await auditRow(sampled.id);
    expect(row.auditorId).toBe(psw.id);
    const newGrant = await grant(row.grantId!);
    expect(newGrant).toMatchObject({ userId: psw.id, childId: sampled.childId, revokedAt: null });
    expect(newGrant.expiresAt?.toISOString()).toBe('2026-12-31T23:59:59.000Z');
    expect((await grant(sampled.grantId!)).revokedAt).not.toBeNull();
    const events = await file.db
      .selectFrom('auditEvents')
      .select('action')
      .where('subjectId', 'in', [sampled.id, sampled.grantId!, row.grantId!])
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['case-audit.assigned', 'record-grant.created', 'record-grant.revoked']),
    );
    const pswTray = await as(psw, (ctx) => caseAuditWorktray({ ...ctx, today: '2026-11-24' }));
    expect(pswTray.map((i) => i.href)).toContain(`/case-audits/audits/${sampled.id}`);
    const qaTray = await as(qa, (ctx) => caseAuditWorktray({ ...ctx, today: '2026-11-24' }));
    expect(qaTray.map((i) => i.href)).not.toContain(`/case-audits/audits/${sampled.id}`);
    // A stale version, the same auditor, or someone who does not audit: refused.
    await expect(
      as(qa, (ctx) =>
        assignAuditor(ctx, { auditId: sampled.id, auditorId: qa.id, version: sampled.version }),
      ),
    ).rejects.toThrow(ConflictError);
    await expect(
      as(qa, (ctx) => assignAuditor(ctx, { auditId: sampled.id, auditorId: sw.id, version: row.version })),
    ).rejects.toThrow(BusinessRuleError);
    // Only the QA lead assigns.
    await expect(
      as(sw, (ctx) => assignAuditor(ctx, { auditId: sampled.id, auditorId: qa.id, version: row.version })),
    ).rejects.toThrow();
  });

  it('a sampled audit completed goes to the programme owner to moderate, with a grant, on their worktray', async () => {
    const row = await auditRow(sampled.id);
    await as(psw, (ctx) =>
      saveAudit(ctx, {
        auditId: sampled.id,
        body: aCompletedAuditBody(),
        action: 'complete',
        version: row.version,
      }),
    );
    const done = await auditRow(sampled.id);
    expect(done).toMatchObject({ status: 'completed', moderationStatus: 'pending', moderatorId: qa.id });
    expect(await grant(done.moderationGrantId!)).toMatchObject({ userId: qa.id, revokedAt: null });
    expect((await grant(done.grantId!)).revokedAt).not.toBeNull(); // the auditor's ended with the audit
    const tray = await as(qa, (ctx) => caseAuditModerationWorktray({ ...ctx, today: '2026-11-24' }));
    expect(tray.map((i) => i.href)).toContain(`/case-audits/audits/${sampled.id}/moderate`);
  });

  it('moderation: a changed grade needs a reason; then both grades are kept and the rates are counted', async () => {
    const row = await auditRow(sampled.id);
    const body: Record<string, string> = {};
    for (const area of AUDIT_AREAS) body[`${area}__grade`] = 'good';
    body.assessment__grade = 'inadequate';
    const refused = await as(qa, (ctx) =>
      saveModeration(ctx, { auditId: sampled.id, body, version: row.version }).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(FieldProblemsError);
    expect((refused as FieldProblemsError).problems.map((p) => p.field)).toEqual(['assessment__reason']);
    // Only the moderator moderates.
    await expect(
      as(psw, (ctx) =>
        saveModeration(ctx, {
          auditId: sampled.id,
          body: { ...body, assessment__reason: 'x' },
          version: row.version,
        }),
      ),
    ).rejects.toThrow();
    const result = await as(qa, (ctx) =>
      saveModeration(ctx, {
        auditId: sampled.id,
        body: {
          ...body,
          assessment__reason: 'No analysis of the history: the risks are listed, not weighed',
        },
        version: row.version,
      }),
    );
    expect(result).toEqual({ changed: 1 });
    const grades = await file.db
      .selectFrom('caseAuditModerationGrades')
      .selectAll()
      .where('auditId', '=', sampled.id)
      .where('area', '=', 'assessment')
      .executeTakeFirstOrThrow();
    expect(grades).toMatchObject({ agreed: false, grade: 'inadequate' });
    const original = await file.db
      .selectFrom('caseAuditGrades')
      .select('grade')
      .where('auditId', '=', sampled.id)
      .where('area', '=', 'assessment')
      .executeTakeFirstOrThrow();
    expect(original.grade).toBe('good');
    const done = await auditRow(sampled.id);
    expect((await grant(done.moderationGrantId!)).revokedAt).not.toBeNull();
    // 1 of 1 completed audits moderated; 6 of 7 grades agreed (86%).
    expect(await moderationRates(file.db, programmeId)).toMatchObject({
      completed: 1,
      moderated: 1,
      areas: 7,
      agreed: 6,
      moderationRate: 100,
      agreementRate: 86,
    });
  });

  it('an action goes on its owner’s worktray and the child’s chronology until done (versioned)', async () => {
    actionId = await as(qa, (ctx) =>
      addAction(ctx, {
        auditId: sampled.id,
        level: 'worker',
        description: 'Write the assessment’s analysis with the family',
        ownerId: sw.id,
        dueOn: '2026-11-30',
      }),
    );
    const tray = await as(
      sw,
      (ctx) => caseAuditActionWorktray({ ...ctx, today: '2026-12-02' }),
      new Date('2026-12-02T09:00:00Z'),
    );
    expect(tray).toEqual([
      expect.objectContaining({
        href: `/case-audits/actions/${actionId}`,
        dueOn: '2026-11-30',
        clockLabel: 'Overdue',
      }),
    ]);
    const entry = await file.db
      .selectFrom('caseEvents')
      .select(['category', 'title'])
      .where('childId', '=', sampled.childId)
      .where('sourceId', '=', actionId)
      .executeTakeFirstOrThrow();
    expect(entry.category).toBe('management-oversight');
    const action = await as(sw, (ctx) => loadAction(ctx, actionId));
    expect(action.canComplete).toBe(true);
    await expect(
      as(sw, (ctx) => completeAction(ctx, { actionId, note: 'Done', version: action.version + 1 })),
    ).rejects.toThrow(ConflictError);
    await expect(
      as(psw, (ctx) => completeAction(ctx, { actionId, note: 'Done', version: action.version })),
    ).rejects.toThrow();
  });

  it('counts the report’s figures as a hand count does, with the moderated grade', async () => {
    const later = new Date('2026-12-02T09:00:00Z');
    const figures = await as(qa, async (ctx) => reportFigures(ctx, await reportScope(ctx)), later);
    const assessment = figures.byArea.find((a) => a.area === 'assessment')!;
    expect(assessment.counts).toEqual({ outstanding: 0, good: 0, 'requires-improvement': 0, inadequate: 1 });
    expect(figures.byArea.find((a) => a.area === 'planning')!.counts.good).toBe(1);
    expect(figures.themes[0]).toMatchObject({ area: 'assessment', weak: 1, total: 1 });
    expect(figures.byMonth.find((m) => m.month === '2026-11')!.total).toBe(7);
    expect(figures.impact).toEqual({ completed: 1, recorded: 1, missing: 0 });
    expect(figures.actions.find((a) => a.level === 'worker')).toEqual({
      level: 'worker',
      open: 1,
      overdue: 1,
      done: 0,
    });
    expect(figures.moderation).toEqual({ completed: 1, moderated: 1, areas: 7, agreed: 6, changed: 1 });
    const drill = await as(
      qa,
      async (ctx) =>
        auditsBehindFigure(
          ctx,
          await reportScope(ctx),
          { area: 'assessment', grade: 'inadequate' },
          { limit: 25, offset: 0 },
        ),
      later,
    );
    expect(drill.rows.map((r) => r.id)).toEqual([sampled.id]);
    const overdue = await as(
      qa,
      async (ctx) =>
        auditsBehindFigure(ctx, await reportScope(ctx), { overdue: true }, { limit: 25, offset: 0 }),
      later,
    );
    expect(overdue.total).toBe(1);
    const none = await as(
      qa,
      async (ctx) =>
        auditsBehindFigure(
          ctx,
          await reportScope(ctx),
          { area: 'assessment', grade: 'good' },
          { limit: 25, offset: 0 },
        ),
      later,
    );
    expect(none.total).toBe(0);
  });

  it('the owner marks the action done; it leaves the worktray', async () => {
    const action = await as(sw, (ctx) => loadAction(ctx, actionId));
    await as(sw, (ctx) =>
      completeAction(ctx, { actionId, note: 'Analysis rewritten with the family', version: action.version }),
    );
    expect(await as(sw, (ctx) => caseAuditActionWorktray({ ...ctx, today: '2026-11-24' }))).toEqual([]);
    const events = await file.db
      .selectFrom('auditEvents')
      .select('action')
      .where('subjectId', '=', actionId)
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['case-audit-action.created', 'case-audit-action.done']),
    );
  });

  it('the programme owner saves the learning summary; a stale save is a 409', async () => {
    const { version } = await file.db
      .selectFrom('caseAuditProgrammes')
      .select('version')
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
    await as(qa, (ctx) =>
      saveLearningSummary(ctx, { programmeId, summary: 'Analysis is the theme', version }),
    );
    await expect(
      as(qa, (ctx) => saveLearningSummary(ctx, { programmeId, summary: 'Other', version })),
    ).rejects.toThrow(ConflictError);
    await expect(
      as(psw, (ctx) => saveLearningSummary(ctx, { programmeId, summary: 'Other', version: version + 1 })),
    ).rejects.toThrow();
  });
});
