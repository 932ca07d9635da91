import { beforeAll, describe, expect, it } from 'vitest';
import { contextFor, readContextFor, run, userFor } from '../../../test/builders/context.ts';
import { anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
} from '../../kernel/errors.ts';
import { hashToken } from './feedback.ts';
import {
  answerFeedbackLink,
  createFeedbackLink,
  feedbackLinkFor,
  feedbackResults,
  recordPaperFeedback,
} from './feedback.service.ts';

const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let sw: CurrentUser;
let qa: CurrentUser;
let tm: CurrentUser;
let child: string;
let assessmentTeam: string;

const answers = (words = '', extra: Record<string, string> = {}) => ({
  feedback__listened: 'yes',
  feedback__helped: 'a-bit',
  feedback__thingsBetter: 'better',
  feedback__knowsNext: 'not-sure',
  feedback__words: words,
  ...extra,
});

const newLink = (audience: 'child' | 'adult' = 'adult', at = now) =>
  run(file.db, (trx) =>
    createFeedbackLink(contextFor(trx, sw, at), {
      childId: child,
      service: 'social-care',
      point: 'plan-review',
      audience,
    }),
  );
const answer = (token: string, body: Record<string, unknown>, at = now) =>
  run(file.db, (trx) => answerFeedbackLink({ db: trx, now: at }, { token, body }));

beforeAll(async () => {
  sw = await userFor(file.db, 'social-worker');
  qa = await userFor(file.db, 'qa-officer');
  tm = await userFor(file.db, 'team-manager');
  assessmentTeam = await teamId(file.db, 'Assessment Team');
  const c = await aChild(file.db, { givenName: 'Fern', familyName: 'Feedback' });
  await anAllocation(file.db, c, { role: 'social-worker' });
  child = c.id;
});

describe('feedback links', () => {
  it('stores only the SHA-256 of the token, for the child the worker may write to', async () => {
    const { token, expiresAt } = await newLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.toISOString()).toBe('2026-12-22T10:00:00.000Z');
    const rows = await file.db.selectFrom('feedbackLinks').selectAll().where('childId', '=', child).execute();
    expect(rows.map((r) => r.tokenHash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.find((r) => r.tokenHash === hashToken(token))).toMatchObject({
      teamId: assessmentTeam,
      usedAt: null,
    });
    const audit = await file.db
      .selectFrom('auditEvents')
      .select(['action', 'childId'])
      .where('action', '=', 'feedback-link.created')
      .execute();
    expect(audit.some((a) => a.childId === child)).toBe(true);
    // A QA officer may read the record but not offer feedback on it.
    await expect(
      run(file.db, (trx) =>
        createFeedbackLink(contextFor(trx, qa, now), {
          childId: child,
          service: 'social-care',
          point: 'closure',
          audience: 'adult',
        }),
      ),
    ).rejects.toThrow();
  });

  it('shows the family only the authority and the survey, and takes one answer only', async () => {
    const { token } = await newLink('child');
    const open = await feedbackLinkFor(file.db, token, now);
    expect(open.state).toBe('open');
    expect(open.authorityName).toBeTruthy();
    expect(open.template?.key).toBe('family-feedback-child');
    expect(JSON.stringify(open)).not.toContain('Fern');

    await expect(answer(token, { feedback__listened: 'yes' })).rejects.toBeInstanceOf(FieldProblemsError);
    expect((await feedbackLinkFor(file.db, token, now)).state).toBe('open');

    await answer(token, answers('They listened to me'));
    expect((await feedbackLinkFor(file.db, token, now)).state).toBe('used');
    await expect(answer(token, answers('Again'))).rejects.toBeInstanceOf(BusinessRuleError);
    const kept = await file.db
      .selectFrom('feedbackResponses')
      .selectAll()
      .where('words', 'in', ['They listened to me', 'Again'])
      .execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      audience: 'child',
      channel: 'online',
      respondentName: null,
      recordedBy: null,
    });
  });

  it('refuses an expired link and one that was never made', async () => {
    const { token } = await newLink();
    const later = new Date('2026-12-23T10:00:00Z');
    expect((await feedbackLinkFor(file.db, token, later)).state).toBe('expired');
    await expect(answer(token, answers('Too late'), later)).rejects.toBeInstanceOf(BusinessRuleError);
    expect((await feedbackLinkFor(file.db, 'x'.repeat(43), now)).state).toBe('unknown');
    await expect(answer('not-a-token', answers())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is anonymous unless the family chooses to be named, and keeps no link to the child', async () => {
    const named = await newLink();
    await expect(answer(named.token, answers('', { named: 'yes' }))).rejects.toBeInstanceOf(
      FieldProblemsError,
    );
    await answer(named.token, answers('Named words', { named: 'yes', respondentName: 'Pat Parent' }));
    const anonymous = await newLink();
    await answer(
      anonymous.token,
      answers('Anonymous words', { named: 'no', respondentName: 'Ignored Name' }),
    );
    const rows = await file.db
      .selectFrom('feedbackResponses')
      .select(['words', 'respondentName'])
      .where('words', 'in', ['Named words', 'Anonymous words'])
      .orderBy('words')
      .execute();
    expect(rows).toEqual([
      { words: 'Anonymous words', respondentName: null },
      { words: 'Named words', respondentName: 'Pat Parent' },
    ]);
    const event = await file.db
      .selectFrom('auditEvents')
      .select(['actorLabel', 'childId'])
      .where('action', '=', 'family-feedback.answered')
      .execute();
    expect(event.length).toBeGreaterThanOrEqual(3);
    expect(event.every((e) => e.childId === null)).toBe(true);
  });
});

describe('feedback results', () => {
  beforeAll(async () => {
    const { episode } = await anEarlyHelpEpisode(file.db, { now });
    await file.db
      .updateTable('earlyHelpEpisodes')
      .set({ teamId: assessmentTeam })
      .where('id', '=', episode.id)
      .execute();
    await file.db
      .insertInto('earlyHelpFeedback')
      .values({
        episodeId: episode.id,
        stage: 'closure',
        respondent: 'parent-carer',
        listened: 'yes',
        helped: 'yes',
        thingsBetter: 'better',
        knowsNext: 'yes',
        comments: 'Early help words from the closure meeting',
        givenOn: '2026-11-20',
        recordedAt: now,
      })
      .execute();
    await run(file.db, (trx) =>
      recordPaperFeedback(contextFor(trx, qa, now), {
        teamId: assessmentTeam,
        service: 'social-care',
        point: 'closure',
        audience: 'adult',
        givenOn: '2026-11-18',
        body: answers('Paper words'),
      }),
    );
  });

  it('adds up online, paper and early help feedback by team and service, with the words paged', async () => {
    const results = await feedbackResults(readContextFor(file.db, qa, now), { teamId: assessmentTeam });
    const social = results.byTeam.find((r) => r.service === 'social-care')!;
    const early = results.byTeam.find((r) => r.service === 'early-help')!;
    expect(social.responses).toBeGreaterThanOrEqual(4);
    expect(early).toMatchObject({ responses: 1, listened: 1, helped: 1, better: 1 });
    const words = results.words.map((w) => w.words);
    expect(words).toContain('Early help words from the closure meeting');
    expect(words).toContain('Paper words');
    expect(results.words.find((w) => w.words === 'Paper words')).toMatchObject({
      channel: 'paper',
      respondentName: null,
    });
    expect(results.wordsTotal).toBe(results.words.length);
    const listenedYes = results.answers.find((a) => a.question === 'listened' && a.answer === 'yes')!;
    expect(listenedYes.n).toBe(results.byTeam.reduce((n, r) => n + r.listened, 0));
    const onlyEarlyHelp = await feedbackResults(readContextFor(file.db, qa, now), {
      service: 'early-help',
      point: 'closure',
    });
    expect(onlyEarlyHelp.words.map((w) => w.words)).toEqual(['Early help words from the closure meeting']);
    const paged = await feedbackResults(readContextFor(file.db, qa, now), { page: 2 });
    expect(paged.words).toEqual([]);
  });

  it('is for the QA roles and managers (their own teams); practitioners are refused', async () => {
    await expect(feedbackResults(readContextFor(file.db, sw, now), {})).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    const managed = await feedbackResults(readContextFor(file.db, tm, now), {});
    expect(managed.byTeam.every((r) => r.teamId !== null && tm.managedTeamIds.includes(r.teamId))).toBe(true);
  });
});
