import { beforeAll, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, NotFoundError, ConflictError } from '../../kernel/errors.ts';
import {
  aCinEpisode,
  anAssessment,
  calendar,
  COMPLETE_ANSWERS,
  run,
  userFor,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal } from '../../../test/builders/social-care-db.ts';
import {
  authoriseAssessment,
  completeAssessment,
  recordChildSeen,
  saveAssessmentAnswers,
  startAssessment,
} from './assessment.service.ts';
import { templateContractProblems, worriesAndNeedsOf } from './assessment-contract.ts';
import { ASSESSMENT_TEMPLATE_KEY } from './assessment.service.ts';
import { currentTemplate } from '../form-templates/form-templates.service.ts';
import { formTemplateSchema } from '../../kernel/forms-as-data/template.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

let police: CurrentUser;
const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);

beforeAll(async () => {
  police = await userFor(t.db, 'partner-agency-user');
});

describe('child and family assessment', () => {
  it('starts on the current template version, due 45 working days from the referral, with a chronology entry and an audit row', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const id = await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-03' });
    const row = await t.db
      .selectFrom('cinAssessments as a')
      .innerJoin('formTemplates as t', 't.id', 'a.templateId')
      .select(['a.dueDate', 'a.status', 't.key', 't.version'])
      .where('a.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      dueDate: calendar.addWorkingDays('2026-11-02', 45),
      status: 'in-progress',
      key: 'child-and-family-assessment',
      // The newest published default: version 2 opens with "Why we are assessing" (issue 18).
      version: 2,
    });
    expect(row.dueDate).toBe('2027-01-06');
    expect((await rowsOf(t.db, 'auditEvents', { subjectId: id }, ['action'])).map((a) => a.action)).toEqual([
      'cin-assessment.started',
    ]);
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, sourceId: id }, 'title')).toBe(
      'Child and family assessment started',
    );
  });

  it('refuses a start before the referral (1103) and a second open assessment (8896); a start inside a finished one is a query (8863Q) until explained', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const early = await censusRefusal(t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-01' }));
    expect(early.violations.map((v) => v.rule)).toEqual(['1103']);
    expect(early.field).toBe('startDate');
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-03',
      complete: { completedOn: '2026-11-20' },
      authorisedOn: '2026-11-23',
    });
    const inside = await censusRefusal(t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-10' }));
    expect(inside.violations).toMatchObject([{ rule: '8863Q', kind: 'query', field: 'queryExplanation' }]);
    const id = await t.act(t.sw, startAssessment, {
      episodeId,
      startDate: '2026-11-10',
      queryExplanation: 'Second assessment of the new baby’s needs',
    });
    expect(await rowsOf(t.db, 'censusQueryExplanations', { subjectId: id }, ['rule', 'explanation'])).toEqual(
      [{ rule: '8863Q', explanation: 'Second assessment of the new baby’s needs' }],
    );
    const second = await censusRefusal(t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-24' }));
    expect(second.violations.map((v) => v.rule)).toContain('8896');
  });

  it('cannot be started, read or changed without access to the child’s record', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await expect(t.act(police, startAssessment, { episodeId, startDate: '2026-11-03' })).rejects.toThrow();
    const mash = await userFor(t.db, 'mash-practitioner');
    await expect(t.act(mash, startAssessment, { episodeId, startDate: '2026-11-03' })).rejects.toThrow();
    const id = await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-03' });
    const otherWorker = await userFor(t.db, 'early-help-practitioner');
    await expect(
      t.act(otherWorker, saveAssessmentAnswers, {
        assessmentId: id,
        answers: {},
        version: 1,
      }),
    ).rejects.toThrow();
    await expect(
      t.act(t.sw, saveAssessmentAnswers, {
        assessmentId: '00000000-0000-4000-8000-000000000000',
        answers: {},
        version: 1,
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('is completed only when the template’s questions are answered and the child has been seen; late needs a reason', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-09-01' });
    const id = await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-09-02' });
    const input = {
      assessmentId: id,
      completedOn: '2026-11-20',
      outcome: 'cin-plan' as const,
      outcomeReason: 'Support needed',
      primaryNeedCode: 'N1',
      proposedFactors: ['3B'],
      today: '2026-11-24',
    };
    const unfinished = await censusRefusal(t.act(t.sw, completeAssessment, input));
    expect(unfinished.violations.map((v) => v.message).join(' ')).toMatch(
      /Finish the assessment first: The child’s world, What are we worried about\?.*still need answers/,
    );
    expect(unfinished.violations.map((v) => v.message).join(' ')).toContain('Record when the child was seen');
    expect(unfinished.violations.map((v) => v.field)).toContain('lateReason');
    await run(t.db, async (trx) => {
      await saveAssessmentAnswers(contextFor(trx, t.sw, now), {
        assessmentId: id,
        answers: COMPLETE_ANSWERS,
        version: 1,
      });
      await recordChildSeen(contextFor(trx, t.sw, now), {
        assessmentId: id,
        seenOn: '2026-09-03',
        seenAlone: true,
      });
    });
    const late = await censusRefusal(t.act(t.sw, completeAssessment, input));
    expect(late.violations).toMatchObject([{ field: 'lateReason' }]);
    expect(late.violations[0]!.message).toContain('it was due by 2026-11-02');
    await t.act(t.sw, completeAssessment, {
      ...input,
      lateReason: 'The father was in hospital for three weeks',
    });
    const row = await firstRow(t.db, 'cinAssessments', { id }, [
      'status',
      'lateReason',
      'proposedFactors',
      'factors',
    ]);
    expect(row).toEqual({
      status: 'awaiting-authorisation',
      lateReason: 'The father was in hospital for three weeks',
      proposedFactors: ['3B'],
      factors: [],
    });
  });

  it('applies the census factor rules on completion: 21 alone (8869), no duplicates (8898), 18A/19A queries explained (8945Q/8950Q), a primary need (8610)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02', primaryNeedCode: null });
    const id = await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-03' });
    await run(t.db, async (trx) => {
      await saveAssessmentAnswers(contextFor(trx, t.sw, now), {
        assessmentId: id,
        answers: COMPLETE_ANSWERS,
        version: 1,
      });
      await recordChildSeen(contextFor(trx, t.sw, now), {
        assessmentId: id,
        seenOn: '2026-11-04',
        seenAlone: false,
      });
    });
    const base = {
      assessmentId: id,
      completedOn: '2026-11-20',
      outcome: 'cin-plan' as const,
      outcomeReason: 'Support',
      primaryNeedCode: 'N4',
      today: '2026-11-24',
    };
    expect(
      (
        await censusRefusal(t.act(t.sw, completeAssessment, { ...base, proposedFactors: ['21', '1B'] }))
      ).violations.map((v) => v.rule),
    ).toEqual(['8869']);
    expect(
      (
        await censusRefusal(t.act(t.sw, completeAssessment, { ...base, proposedFactors: ['1B', '1B'] }))
      ).violations.map((v) => v.rule),
    ).toEqual(['8898']);
    expect(
      (
        await censusRefusal(
          t.act(t.sw, completeAssessment, {
            ...base,
            primaryNeedCode: null,
            proposedFactors: ['1B'],
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['8610']);
    const query = await censusRefusal(
      t.act(t.sw, completeAssessment, { ...base, proposedFactors: ['18A', '19A'] }),
    );
    expect(query.violations).toHaveLength(1);
    expect(query.violations[0]).toMatchObject({
      rule: '8945Q, 8950Q',
      kind: 'query',
      field: 'queryExplanation',
    });
    // Nothing was saved by the refusals.
    expect(await valueOf(t.db, 'cinAssessments', { id }, 'status')).toBe('in-progress');
    await t.act(t.sw, completeAssessment, {
      ...base,
      proposedFactors: ['18A', '19A'],
      queryExplanation: 'The police have not yet said whether the harm was by an adult or a child',
    });
    expect(
      (
        await t.db
          .selectFrom('censusQueryExplanations')
          .select('rule')
          .where('subjectId', '=', id)
          .orderBy('rule')
          .execute()
      ).map((r) => r.rule),
    ).toEqual(['8945Q', '8950Q']);
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'primaryNeedCode')).toBe('N4');
  });

  it('a manager authorises with recorded oversight and the census factors; an authorisation before the start is refused (8608) and nothing is saved', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const id = await anAssessment(t.db, episodeId, {
      startDate: '2026-11-05',
      complete: { completedOn: '2026-11-20', factors: ['3B', '4B'] },
    });
    await expect(
      t.act(t.sw, authoriseAssessment, {
        assessmentId: id,
        decision: 'authorise',
        authorisedOn: '2026-11-23',
        oversight: 'x',
        factors: ['3B'],
      }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const before = await censusRefusal(
      t.act(t.manager, authoriseAssessment, {
        assessmentId: id,
        decision: 'authorise',
        authorisedOn: '2026-11-04',
        oversight: 'Agreed',
        factors: ['3B'],
      }),
    );
    expect(before.violations.map((v) => v.rule)).toContain('8608');
    expect(before.field).toBe('authorisedOn');
    expect(before.message).toContain('rule 8608');
    expect(await firstRow(t.db, 'cinAssessments', { id }, ['status', 'authorisedOn'])).toEqual({
      status: 'awaiting-authorisation',
      authorisedOn: null,
    });
    const bad = await censusRefusal(
      t.act(t.manager, authoriseAssessment, {
        assessmentId: id,
        decision: 'authorise',
        authorisedOn: '2026-11-23',
        oversight: 'Agreed',
        factors: ['21', '3B'],
      }),
    );
    expect(bad.violations.map((v) => v.rule)).toEqual(['8869']);
    await t.act(t.manager, authoriseAssessment, {
      assessmentId: id,
      decision: 'authorise',
      authorisedOn: '2026-11-23',
      oversight: 'The analysis is sound; I agree a CIN plan.',
      factors: ['3B', '4B'],
    });
    const row = await firstRow(t.db, 'cinAssessments', { id }, [
      'status',
      'authorisedOn',
      'authorisedBy',
      'oversight',
      'factors',
    ]);
    expect(row).toEqual({
      status: 'authorised',
      authorisedOn: '2026-11-23',
      authorisedBy: t.manager.id,
      oversight: 'The analysis is sound; I agree a CIN plan.',
      factors: ['3B', '4B'],
    });
    const events = await t.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child.id)
      .where('sourceId', '=', id)
      .orderBy('occurredAt')
      .execute();
    expect(events.map((e) => e.title)).toEqual(
      expect.arrayContaining([expect.stringContaining('Assessment authorised by Tom Mensah')]),
    );
    expect((await rowsOf(t.db, 'auditEvents', { subjectId: id }, ['action'])).map((a) => a.action)).toEqual(
      expect.arrayContaining(['cin-assessment.completed', 'cin-assessment.authorised']),
    );
  });

  it('a manager can return a completed assessment to the worker, who can change it again', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const id = await anAssessment(t.db, episodeId, { complete: { completedOn: '2026-11-20' } });
    await t.act(t.manager, authoriseAssessment, {
      assessmentId: id,
      decision: 'return',
      oversight: 'Say more about the father.',
      factors: [],
    });
    expect(await valueOf(t.db, 'cinAssessments', { id }, 'status')).toBe('in-progress');
    const { version } = await firstRow(t.db, 'cinAssessments', { id }, ['version']);
    await t.act(t.sw, saveAssessmentAnswers, {
      assessmentId: id,
      answers: COMPLETE_ANSWERS,
      version,
    });
  });

  it('two saves from the same version: exactly one wins, the other is a conflict (security probe M3)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const id = await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-03' });
    const save = () =>
      t.act(t.sw, saveAssessmentAnswers, {
        assessmentId: id,
        answers: COMPLETE_ANSWERS,
        version: 1,
      });
    const results = await Promise.allSettled([save(), save()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('the child and family assessment template (versioned data) and the code that reads it', () => {
  it('the published template has the fields the module reads: worries, what is working well, what needs to happen, scaling, the child’s views, analysis', async () => {
    const { template, version } = await currentTemplate(t.db, ASSESSMENT_TEMPLATE_KEY);
    expect(version).toBeGreaterThanOrEqual(1);
    expect(templateContractProblems(template)).toEqual([]);
    // The answers the builders give (through the template) are read back as the worries and needs goals tie to.
    expect(worriesAndNeedsOf(COMPLETE_ANSWERS)).toEqual([
      'Worry: Everyone is worried that Olivia is frightened when her parents argue.',
      'Need: Olivia feels safe at home.',
    ]);
  });

  it('names what an authority’s own version would break: a renamed worry field, a dropped section, a different scale', async () => {
    const { template } = await currentTemplate(t.db, ASSESSMENT_TEMPLATE_KEY);
    const copy = formTemplateSchema.parse(JSON.parse(JSON.stringify(template)));
    const worries = copy.sections.find((s) => s.id === 'worries')!.questions.find((q) => q.id === 'worries')!;
    if (worries.kind === 'repeating')
      worries.fields = worries.fields.map((f) => (f.id === 'statement' ? { ...f, id: 'worry' } : f));
    copy.sections = copy.sections.filter((s) => s.id !== 'workingWell');
    const scale = copy.sections.find((s) => s.id === 'scaling')!.questions.find((q) => q.id === 'worker')!;
    if (scale.kind === 'scale') scale.max = 5;
    expect(templateContractProblems(copy)).toEqual([
      'worries.worries needs a field statement',
      'workingWell.strengths is missing',
      'scaling.worker must run from 0 to 10',
    ]);
  });
});
