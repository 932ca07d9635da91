import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import {
  aCinEpisode,
  aCpPlan,
  agencyIdOfKind,
  anAssessment,
  participants,
  userIdForRole,
} from '../../../test/builders/social-care.ts';
import { socialCareDb } from '../../../test/builders/social-care-db.ts';
import { anAgreedPlan, anEarlyHelpEpisode, aReview } from '../../../test/builders/early-help.ts';
import { contextFor, userFor } from '../../../test/builders/context.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { startCinPlan, recordCinReview } from '../social-care/cin-plan.service.ts';
import { recordReviewConference } from '../social-care/child-protection.service.ts';
import { closeEpisode, stepDownToEarlyHelp } from '../social-care/closure.service.ts';
import { closeEpisode as closeEarlyHelp } from '../early-help/closure.service.ts';
import { episodeVersion } from '../early-help/episode.repository.ts';
import { documentAttachment, DocumentStore } from '../people/index.ts';
import type { LetterKind } from './letter-kinds.ts';
import { letterFor, produceLetter } from './letter.service.ts';

/**
 * Every letter source (issue 23): each produces its PDF from the record, and the PDF's text, read back, carries the
 * record's facts (dates, goals, decisions, the lead practitioner) in the default template's words.
 */

const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);
let dir: string;
let store: DocumentStore;
let ehp: CurrentUser;
const WORRY = 'Worry: Everyone is worried that Olivia is frightened when her parents argue.';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-letters-'));
  store = new DocumentStore(dir);
  ehp = await userFor(t.db, 'early-help-practitioner');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Produces the letter as the user would (the prefilled text, unedited) and reads the PDF's text back. */
async function produce(user: CurrentUser, kind: LetterKind, sourceType: string, sourceId: string) {
  const input = { kind, sourceType, sourceId };
  const view = await t.db.transaction().execute((trx) => letterFor(contextFor(trx, user, now), input));
  const made = await t.db
    .transaction()
    .execute((trx) =>
      produceLetter(
        contextFor(trx, user, now),
        { ...input, version: 0, subject: view.subject, body: view.body },
        store,
      ),
    );
  const file = await documentAttachment(t.db, store, made.documentId);
  const text = (await new PDFParse({ data: file.content }).getText()).text.replace(/\s+/g, ' ');
  return { text, childId: made.childId, subject: view.subject };
}

async function cinPlanFor(episodeId: string) {
  await anAssessment(t.db, episodeId, {
    startDate: '2026-11-02',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-05',
  });
  return t.act(t.sw, startCinPlan, {
    episodeId,
    startDate: '2026-11-06',
    familySummary: 'Our plan',
    goals: [
      {
        worry: WORRY,
        goal: 'No shouting in front of Olivia',
        measure: 'Olivia tells us',
        responsible: 'Mum and Dad',
        targetDate: '2027-01-01',
      },
    ],
  });
}

describe('social care letters', () => {
  it('the initial conference invitation gives the enquiry’s conference target', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Ina', familyName: 'Vite' } });
    const { s47Id } = await aCpPlan(t.db, episodeId);
    // The enquiry already has its conference: the invitation is offered only before one.
    await t.db.deleteFrom('cpPlans').where('episodeId', '=', episodeId).execute();
    await t.db.deleteFrom('cpConferenceAttendees').execute();
    await t.db.deleteFrom('cpConferences').where('episodeId', '=', episodeId).execute();
    const { text } = await produce(t.sw, 'conference-invitation', 'section-47', s47Id);
    expect(text).toContain('You are invited to an initial child protection conference about Ina Vite.');
    expect(text).toContain('It will be on 20 November 2026.');
  });

  it('a child protection plan gives the review conference and core group invitations, the family’s copy and the child-friendly version', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Cora', familyName: 'Plan' } });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19' });
    const review = await produce(t.sw, 'conference-invitation', 'cp-plan', planId);
    expect(review.text).toContain('You are invited to a review child protection conference about Cora Plan.');
    expect(review.text).toContain('It will be on 19 February 2027.');
    const coreGroup = await produce(t.sw, 'core-group-invitation', 'cp-plan', planId);
    expect(coreGroup.text).toContain('next core group meeting about Cora Plan on 2 December 2026.');
    const family = await produce(t.sw, 'cp-plan-family', 'cp-plan', planId);
    expect(family.subject).toBe('Cora’s child protection plan');
    expect(family.text).toContain('agreed on 19 November 2026');
    expect(family.text).toContain('reviewed by 19 February 2027');
    const child = await produce(t.sw, 'child-friendly-plan', 'cp-plan', planId);
    expect(child.text).toContain('Hello Cora,');
  });

  it('a child in need plan gives the family’s copy with its goals, and a review gives what was decided', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Olivia', familyName: 'Need' } });
    const planId = await cinPlanFor(episodeId);
    const family = await produce(t.sw, 'cin-plan-family', 'cin-plan', planId);
    expect(family.text).toContain('Olivia Need’s child in need plan, agreed on 6 November 2026');
    expect(family.text).toContain('No shouting in front of Olivia');
    const child = await produce(t.sw, 'child-friendly-plan', 'cin-plan', planId);
    expect(child.text).toContain('No shouting in front of Olivia');
    const goal = await t.db.selectFrom('cinPlanGoals').select('id').where('cinPlanId', '=', planId).execute();
    const reviewId = await t.act(t.sw, recordCinReview, {
      cinPlanId: planId,
      heldOn: '2026-11-23',
      agencies: ['social-care', await agencyIdOfKind(t.db, 'school')],
      attendees: 'Mum, Dad',
      childsViews: 'Quieter',
      familyViews: 'Trying',
      summary: 'Good progress',
      decision: 'continue',
      progress: goal.map((g) => ({ goalId: g.id, rating: 'progressing' as const })),
      actionsDone: [],
    });
    const review = await produce(t.sw, 'review-outcome', 'cin-review', reviewId);
    expect(review.text).toContain('review on 23 November 2026');
    expect(review.text).toContain('We agreed that Olivia’s child in need plan carries on.');
  });

  it('a review conference gives what the conference decided', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Rex', familyName: 'View' } });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-02' });
    const conferenceId = await t.act(t.sw, recordReviewConference, {
      cpPlanId: planId,
      heldOn: '2026-11-23',
      chair: 'Chair Person',
      attendees: await participants(t.db),
      outcome: 'continue-plan',
      latestCategory: 'NEG',
      decisions: 'Rex stays on the plan under neglect.',
      actionsDone: [],
    });
    const { text } = await produce(t.sw, 'review-outcome', 'cp-conference', conferenceId);
    expect(text).toContain('Rex’s child protection plan carries on.');
    expect(text).toContain('Rex stays on the plan under neglect.');
  });

  // The step-down letters are produced by the new lead practitioner: once stepped down, early help holds the record.
  it('a closed episode gives the closure letter; a step-down gives the letters to the family and the lead practitioner', async () => {
    const closed = await aCinEpisode(t.db, { child: { givenName: 'Clo', familyName: 'Sure' } });
    await anAssessment(t.db, closed.episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    await t.act(t.sw, closeEpisode, {
      episodeId: closed.episodeId,
      closureDate: '2026-11-23',
      reason: 'RC8',
      notes: 'No further action',
    });
    const closure = await produce(t.sw, 'closure-letter', 'cin-episode', closed.episodeId);
    expect(closure.text).toContain('Our work with Clo Sure and your family ended on 23 November 2026.');
    expect(closure.text).toContain('After our assessment, we decided that your family does not need support');

    const stepped = await aCinEpisode(t.db, { child: { givenName: 'Step', familyName: 'Down' } });
    await cinPlanFor(stepped.episodeId);
    const { earlyHelpEpisodeId, reference } = await t.act(t.sw, stepDownToEarlyHelp, {
      episodeId: stepped.episodeId,
      closureDate: '2026-11-23',
      siblingIds: [],
      proposedLeadPractitionerId: await userIdForRole(t.db, 'early-help-practitioner'),
      handoverHeldOn: '2026-11-23',
      attendees: [{ name: 'Sian Walker', role: 'Social worker' }],
      planSummary: 'Keep the routines going',
      consentGiven: true,
    });
    const lead = await t.db
      .selectFrom('users')
      .select('displayName')
      .where('id', '=', await userIdForRole(t.db, 'early-help-practitioner'))
      .executeTakeFirstOrThrow();
    const family = await produce(ehp, 'step-down-family', 'eh-step-down', earlyHelpEpisodeId);
    expect(family.childId).toBe(stepped.child.id);
    expect(family.text).toContain(
      'from 23 November 2026 your family’s support moves from social care to early help',
    );
    expect(family.text).toContain(`Your new lead practitioner is ${lead.displayName}`);
    const practitioner = await produce(
      ehp,
      'step-down-lead-practitioner',
      'eh-step-down',
      earlyHelpEpisodeId,
    );
    expect(practitioner.subject).toBe(`Step-down to early help (reference ${reference})`);
    expect(practitioner.text).toContain(`Dear ${lead.displayName},`);
  });
});

describe('early help letters', () => {
  it('an agreed plan gives the family’s copy and the child-friendly version; a review gives what was decided; a closed episode the closure letter', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, { now });
    const { goalId } = await anAgreedPlan(t.db, episode.id, { now });
    const plan = await t.db
      .selectFrom('earlyHelpPlans')
      .select('id')
      .where('episodeId', '=', episode.id)
      .executeTakeFirstOrThrow();
    const family = await produce(ehp, 'early-help-plan-family', 'eh-plan', plan.id);
    expect(family.childId).toBe(child.id);
    expect(family.text).toContain(
      'the early help plan we agreed together for Ellie Hart on 24 November 2026',
    );
    expect(family.text).toContain('Ellie is in school every day');
    const forChild = await produce(ehp, 'child-friendly-plan', 'eh-plan', plan.id);
    expect(forChild.text).toContain('Hello Ellie,');

    const meeting = await aReview(t.db, episode.id, {
      now,
      heldOn: '2026-11-24',
      workerScale: 6,
      familyScale: 6,
      goals: [{ goalId, score: 6 }],
      decision: 'close',
    });
    const review = await produce(ehp, 'review-outcome', 'eh-review', meeting.id);
    expect(review.text).toContain('review on 24 November 2026');
    expect(review.text).toContain('We agreed that your family no longer needs early help');

    await t.db.transaction().execute(async (trx) =>
      closeEarlyHelp(contextFor(trx, ehp, now), {
        episodeId: episode.id,
        closedOn: '2026-11-24',
        reason: 'needs-met',
        outcome: 'improved',
        summary: 'Ellie is in school every day.',
        workerScale: 7,
        familyScale: 7,
        domainScores: { childDevelopment: 4, parentingCapacity: 4, familyEnvironment: 4 },
        goals: [{ goalId, status: 'achieved', score: 8 }],
        version: await episodeVersion(trx, episode.id),
      }),
    );
    const closure = await produce(ehp, 'closure-letter', 'eh-episode', episode.id);
    expect(closure.text).toContain('ended on 24 November 2026');
    expect(closure.text).toContain('things are better and your family no longer needs early help');
  });
});
