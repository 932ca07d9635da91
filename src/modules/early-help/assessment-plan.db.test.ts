import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BusinessRuleError, NotFoundError, ConflictError } from '../../kernel/errors.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import {
  aCompletedAssessment,
  aGoal,
  anEarlyHelpEpisode,
  assessmentBody,
  currentUserFor,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { recordAssessmentOversight, saveAssessment } from './assessment.service.ts';
import { RuleProblemsError } from './early-help.ts';
import { agreePlan, loadPlan, saveGoal, setNotWorkedOn, type GoalInput } from './plan.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { planVersion } from './episode.repository.ts';

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');
const { run } = h;

const versionOf = async (goalId: string) => await valueOf(h.db, 'earlyHelpGoals', { id: goalId }, 'version');

describe('the assessment', () => {
  it('saves a draft with the template version, and cannot be completed without the risk analysis', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const body = assessmentBody({ worries: [], workerScale: null, familyScale: null, needsToHappen: '' });
    const draft = await run((trx) =>
      saveAssessment(serviceContext(trx, eh, now), { episodeId: episode.id, body, action: 'draft' }),
    );
    expect(draft).toMatchObject({ status: 'draft' });
    // Caught inside the transaction, as a page does: the answers are saved as a draft before completion is refused.
    const refused = await run((trx) =>
      saveAssessment(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        body,
        action: 'complete',
        version: 1,
      }).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(RuleProblemsError);
    expect((refused as RuleProblemsError).problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([
        'riskAnalysis__worries__0__what',
        'riskAnalysis__workerScale',
        'riskAnalysis__familyScale',
        'riskAnalysis__needsToHappen',
      ]),
    );
    const saved = await h.db
      .selectFrom('auditEvents')
      .select('details')
      .where('subjectId', '=', draft.assessmentId)
      .where('action', '=', 'early-help-assessment.saved')
      .orderBy('seq')
      .execute();
    expect(saved.map((e) => e.details)).toMatchObject([
      { riskAnalysisComplete: false, completionRefused: false },
      { riskAnalysisComplete: false, completionRefused: true },
    ]);
    const row = await h.db
      .selectFrom('earlyHelpAssessments as a')
      .innerJoin('formTemplates as t', 't.id', 'a.templateId')
      .select(['a.status', 'a.riskAnalysisComplete', 't.key', 't.version'])
      .where('a.episodeId', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'draft',
      riskAnalysisComplete: false,
      key: 'early-help-assessment',
      version: 1,
    });
    // The database refuses a completed assessment without a risk analysis, whatever the code does.
    await expect(
      sql`update early_help_assessments set status = 'completed', completed_at = now() where episode_id = ${episode.id}`.execute(
        h.db,
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('completes: extracts each worry and need, records the first scores, asks for oversight, and is audited', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const { items, assessmentId } = await aCompletedAssessment(h.db, episode.id, {
      now,
      workerScale: 3,
      familyScale: 5,
      worries: [
        { what: 'Ellie misses school', whoIsWorried: 'School', impact: 'She falls behind' },
        {
          what: 'Jo is very low',
          whoIsWorried: 'Jo’s GP',
          impact: 'Ellie looks after Jo instead of playing',
        },
      ],
      needs: [
        { domain: 'childDevelopment', need: 'Routine for school', outcome: 'education' },
        { domain: 'parentingCapacity', need: 'Support for Jo’s mental health', outcome: 'health' },
      ],
    });
    expect(items.map((i) => [i.kind, i.summary])).toEqual([
      ['worry', 'Ellie misses school'],
      ['worry', 'Jo is very low'],
      ['need', 'Routine for school'],
      ['need', 'Support for Jo’s mental health'],
    ]);
    const assessment = await h.db
      .selectFrom('earlyHelpAssessments')
      .selectAll()
      .where('id', '=', assessmentId)
      .executeTakeFirstOrThrow();
    expect(assessment).toMatchObject({
      status: 'completed',
      riskAnalysisComplete: true,
      workerScale: 3,
      familyScale: 5,
      oversightStatus: 'awaiting',
    });
    const scores = await h.db
      .selectFrom('earlyHelpScores')
      .select(['subject', 'subjectKey', 'score'])
      .where('sourceId', '=', assessmentId)
      .orderBy('subject')
      .orderBy('subjectKey')
      .execute();
    expect(scores).toEqual([
      { subject: 'domain', subjectKey: 'childDevelopment', score: 2 },
      { subject: 'domain', subjectKey: 'familyEnvironment', score: 2 },
      { subject: 'domain', subjectKey: 'parentingCapacity', score: 2 },
      { subject: 'scale', subjectKey: 'family', score: 5 },
      { subject: 'scale', subjectKey: 'worker', score: 3 },
    ]);
    const event = await firstRow(
      h.db,
      'caseEvents',
      { childId: child.id, title: 'Early help assessment completed' },
      ['title', 'summary'],
    );
    expect(event.summary).toContain(
      '2 worries and 2 needs identified. Scaling: worker 3 out of 10, family 5 out of 10.',
    );
    const audit = await rowsOf(h.db, 'auditEvents', { subjectId: assessmentId }, ['action']);
    expect(audit.map((a) => a.action)).toContain('early-help-assessment.completed');
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const again = (await run((trx) =>
      saveAssessment(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        body: assessmentBody(),
        action: 'draft',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(again).toBeInstanceOf(BusinessRuleError);
  });

  it('refuses a scaling outside 0 to 10', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const refused = await run((trx) =>
      saveAssessment(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        body: { ...assessmentBody(), riskAnalysis__familyScale: '12' },
        action: 'complete',
      }).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(RuleProblemsError);
    expect(refused).toMatchObject({
      problems: [{ field: 'riskAnalysis__familyScale', message: 'The family’s scaling must be 10 or less' }],
    });
    // Nothing was saved: not even a draft.
    const rows = await rowsOf(h.db, 'earlyHelpAssessments', { episodeId: episode.id }, ['id']);
    expect(rows).toEqual([]);
  });

  it('cannot be written by someone without access', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    await expect(
      run((trx) =>
        saveAssessment(serviceContext(trx, school, now), {
          episodeId: episode.id,
          body: assessmentBody(),
          action: 'draft',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a manager records oversight; not on their own assessment; sending back makes it a draft again', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now, lead: 'team-manager', by: 'team-manager' });
    await aCompletedAssessment(h.db, episode.id, { now, by: 'team-manager' });
    const manager = await currentUserFor(h.db, 'team-manager');
    const own = (await run((trx) =>
      recordAssessmentOversight(serviceContext(trx, manager, now), {
        episodeId: episode.id,
        decision: 'agreed',
        rationale: 'Fine',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(own.message).toBe('A different manager must review an assessment you completed yourself');
    const head = await currentUserFor(h.db, 'service-manager');
    await run((trx) =>
      recordAssessmentOversight(serviceContext(trx, head, now), {
        episodeId: episode.id,
        decision: 'changes-requested',
        rationale: 'The worry statement does not say what could happen to Ellie.',
      }),
    );
    const row = await h.db
      .selectFrom('earlyHelpAssessments')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'draft',
      oversightStatus: 'changes-requested',
      oversightBy: head.id,
      oversightRationale: 'The worry statement does not say what could happen to Ellie.',
    });
    expect(await rowsOf(h.db, 'earlyHelpAssessmentItems', { episodeId: episode.id }, ['id'])).toEqual([]);
    const audit = await firstRow(
      h.db,
      'auditEvents',
      { action: 'early-help-assessment.overseen', subjectId: row.id },
      ['action', 'details'],
    );
    expect(audit.details).toMatchObject({ decision: 'changes-requested' });
  });
});

describe('the plan', () => {
  it('two saves of one goal from the same version: exactly one wins, the other is a conflict (security probe M3)', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const goalId = await aGoal(h.db, episode.id, { now, itemIds: [items[0]!.id] });
    const version = await versionOf(goalId);
    const save = (whatWillChange: string) =>
      run((trx) =>
        saveGoal(serviceContext(trx, eh, now), {
          ...goal(episode.id, [items[0]!.id]),
          goalId,
          version,
          whatWillChange,
        }),
      );
    const results = await Promise.allSettled([save('First tab'), save('Second tab')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect(await versionOf(goalId)).toBe(version + 1);
  });

  const goal = (episodeId: string, itemIds: string[], overrides: Partial<GoalInput> = {}): GoalInput => ({
    episodeId,
    itemIds,
    whatWillChange: 'Ellie is in school every day',
    actions: 'Breakfast club',
    who: 'Jo and the school',
    byWhen: '2027-02-26',
    measure: 'Attendance above 95% for six weeks',
    outcomeHeading: 'education',
    baselineScore: 3,
    ...overrides,
  });

  it('a goal without a measure or a date is refused, against those fields', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const error = (await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), goal(episode.id, [items[0]!.id], { measure: ' ', byWhen: '' })),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(error).toBeInstanceOf(RuleProblemsError);
    expect(error.problems.map((p) => [p.field, p.message])).toEqual([
      ['measure', 'Enter how we will know the goal has been met'],
      ['byWhen', 'Enter the date the goal should be met by'],
    ]);
    const past = (await run((trx) =>
      saveGoal(
        serviceContext(trx, eh, now),
        goal(episode.id, [items[0]!.id], { byWhen: '2026-01-01', baselineScore: 11 }),
      ),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(past.problems.map((p) => p.field)).toEqual(['byWhen', 'baselineScore']);
  });

  it('cannot be agreed while a worry or need has no goal; marking it not worked on with a reason lets it through', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, {
      now,
      needs: [
        { domain: 'childDevelopment', need: 'Routine for school', outcome: 'education' },
        { domain: 'familyEnvironment', need: 'Debt advice', outcome: 'financial' },
      ],
    });
    const [worry, schoolNeed, debt] = items;
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const goalId = await aGoal(h.db, episode.id, { now, itemIds: [worry!.id, schoolNeed!.id] });
    const refused = (await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(refused).toBeInstanceOf(RuleProblemsError);
    expect(refused.problems).toEqual([
      {
        field: `item-${debt!.id}`,
        href: `#item-${debt!.id}`,
        message:
          'Need 1 (Family and environmental factors) (“Debt advice”) has no goal: add a goal that meets it, or mark it as not being worked on with the reason',
      },
    ]);
    // A need met by a goal cannot be marked as not worked on.
    const linked = (await run((trx) =>
      setNotWorkedOn(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        itemId: worry!.id,
        reason: 'No',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(linked.message).toContain('is met by a goal in the plan');
    await run((trx) =>
      setNotWorkedOn(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        itemId: debt!.id,
        reason: 'Jo is already seeing Citizens Advice',
      }),
    );
    await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
        familySummary: 'Getting Ellie to school happily.',
      }),
    );
    const plan = await loadPlan(h.db, episode.id);
    expect(plan.plan).toMatchObject({ status: 'agreed', agreedOn: '2026-11-24', familyAgreed: true });
    expect(plan.uncovered).toEqual([]);
    expect(plan.goals[0]).toMatchObject({
      id: goalId,
      outcomeLabel: 'Getting a good education',
      position: 1,
    });
    expect(plan.goals[0]!.items.map((i) => i.id)).toEqual([worry!.id, schoolNeed!.id]);
    const baseline = await rowsOf(h.db, 'earlyHelpScores', { subjectKey: goalId }, ['occasion', 'score']);
    expect(baseline).toEqual([{ occasion: 'plan', score: 3 }]);
    const events = await rowsOf(h.db, 'caseEvents', { childId: child.id, category: 'plan' }, ['title']);
    expect(events.map((e) => e.title)).toEqual(
      expect.arrayContaining([
        'Early help plan goal added',
        'Need 1 (Family and environmental factors) not being worked on',
        'Early help plan agreed',
      ]),
    );
    const audit = await h.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', child.id)
      .where('action', 'like', 'early-help-%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['early-help-goal.added', 'early-help-item.updated', 'early-help-plan.agreed']),
    );
  });

  it('every goal meets at least one need or worry, when added and when changed', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const added = (await run((trx) => saveGoal(serviceContext(trx, eh, now), goal(episode.id, []))).catch(
      (e: unknown) => e,
    )) as RuleProblemsError;
    expect(added.problems).toEqual([
      { field: 'itemIds', message: 'Select the needs or worries this goal meets', href: '#itemIds' },
    ]);
    const goalId = await aGoal(h.db, episode.id, { now, itemIds: [items[0]!.id] });
    const v1 = await versionOf(goalId);
    const changed = (await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), {
        ...goal(episode.id, []),
        goalId,
        version: v1,
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(changed.problems.map((p) => [p.field, p.message])).toEqual([
      ['itemIds', 'Select the needs or worries this goal meets'],
    ]);
    const links = await rowsOf(h.db, 'earlyHelpGoalItems', { goalId }, ['itemId']);
    expect(links).toEqual([{ itemId: items[0]!.id }]);
  });

  it('once the plan is agreed, changing a goal cannot leave a need or worry with no goal; moving it to another goal can', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now });
    const [worry, need] = items;
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const first = await aGoal(h.db, episode.id, { now, itemIds: [worry!.id, need!.id] });
    // Before agreement a goal may be changed freely: agreement checks the whole plan.
    const v2 = await versionOf(first);
    await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), {
        ...goal(episode.id, [worry!.id]),
        goalId: first,
        version: v2,
      }),
    );
    const refusedAgreement = (await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(refusedAgreement.problems.map((p) => p.field)).toEqual([`item-${need!.id}`]);
    const v3 = await versionOf(first);
    await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), {
        ...goal(episode.id, [worry!.id, need!.id]),
        goalId: first,
        version: v3,
      }),
    );
    await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
      }),
    );

    const v4 = await versionOf(first);
    const orphaning = (await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), {
        ...goal(episode.id, [worry!.id]),
        goalId: first,
        version: v4,
        whatWillChange: 'Only school',
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(orphaning).toBeInstanceOf(RuleProblemsError);
    expect(orphaning.problems).toEqual([
      {
        field: 'itemIds',
        href: '#itemIds',
        message:
          'The plan is agreed: Need 1 (Child’s developmental needs) (“Ellie needs to be in school every day”) would have no goal. Keep it selected, or first add another goal that meets it or mark it as not being worked on',
      },
    ]);
    const unchanged = await firstRow(h.db, 'earlyHelpGoals', { id: first }, ['whatWillChange', 'version']);
    expect(unchanged).toEqual({ whatWillChange: 'Ellie is in school every day', version: 3 });
    expect((await rowsOf(h.db, 'earlyHelpGoalItems', { goalId: first }, ['itemId'])).length).toBe(2);
    // Clearing "not worked on" on an agreed plan would also leave a need with no goal.
    await aGoal(h.db, episode.id, {
      now,
      itemIds: [need!.id],
      whatWillChange: 'Ellie has a morning routine',
    });
    const v5 = await versionOf(first);
    await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), {
        ...goal(episode.id, [worry!.id]),
        goalId: first,
        version: v5,
      }),
    );
    const plan = await loadPlan(h.db, episode.id);
    expect(plan.uncovered).toEqual([]);
    expect(plan.goals.map((g) => g.items.map((i) => i.id))).toEqual([[worry!.id], [need!.id]]);
    const audit = await rowsOf(
      h.db,
      'auditEvents',
      { childId: child.id, action: 'early-help-goal.changed' },
      ['action'],
    );
    expect(audit.length).toBe(3);
  });

  it('on an agreed plan, a need marked “not being worked on” cannot go back to having no goal', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now });
    const [worry, need] = items;
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await aGoal(h.db, episode.id, { now, itemIds: [worry!.id] });
    await run((trx) =>
      setNotWorkedOn(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        itemId: need!.id,
        reason: 'Another service is helping',
      }),
    );
    await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
      }),
    );
    const refused = (await run((trx) =>
      setNotWorkedOn(serviceContext(trx, eh, now), { episodeId: episode.id, itemId: need!.id, reason: null }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect(refused.message).toBe(
      'The plan is agreed, so Need 1 (Child’s developmental needs) cannot be left with no goal: add a goal that meets it (that records it as being worked on)',
    );
    const item = await firstRow(h.db, 'earlyHelpAssessmentItems', { id: need!.id }, ['notWorkedOnReason']);
    expect(item.notWorkedOnReason).toBe('Another service is helping');
    // A goal that meets it takes it back into the plan.
    await aGoal(h.db, episode.id, {
      now,
      itemIds: [need!.id],
      whatWillChange: 'Ellie has a morning routine',
    });
    expect((await loadPlan(h.db, episode.id)).items.find((i) => i.id === need!.id)).toMatchObject({
      notWorkedOnReason: null,
    });
  });

  it('a goal must meet needs or worries of this family’s assessment', async () => {
    const a = await anEarlyHelpEpisode(h.db, { now });
    const b = await anEarlyHelpEpisode(h.db, { now });
    await aCompletedAssessment(h.db, a.episode.id, { now });
    const other = await aCompletedAssessment(h.db, b.episode.id, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const error = (await run((trx) =>
      saveGoal(serviceContext(trx, eh, now), goal(a.episode.id, [other.items[0]!.id])),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(error.problems[0]).toMatchObject({
      field: 'itemIds',
      message: 'Select needs and worries from this family’s assessment',
    });
  });
});
