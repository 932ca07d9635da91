import { z } from 'zod';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { zodToFieldErrors } from '../../web/forms/errors.ts';
import { choice, govukDate, integer, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { latestChildVoice } from '../people/index.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { recordFeedback } from './closure.service.ts';
import {
  ATTENDANCE,
  ATTENDANCE_VALUES,
  DOMAIN_KEYS,
  DOMAINS,
  FEEDBACK_QUESTIONS,
  FEEDBACK_RESPONDENTS,
  GOAL_STATUS_VALUES,
  GOAL_STATUSES,
  REVIEW_DECISION_VALUES,
  REVIEW_DECISIONS,
  type Attendance,
  type DomainKey,
} from './early-help.ts';
import { tafMembers } from './episode.repository.ts';
import {
  goalsToReview,
  hasMeetings,
  listMeetings,
  meetingFeedback,
  loadMeeting,
  nextReviewDueOn,
  planAgreed,
  PLAN_NOT_AGREED,
  recordReview,
} from './review.service.ts';
import { earlyHelpSettings } from './settings.ts';
import { EH_PATHS, ehPath, reviewPath } from './paths.ts';
import {
  episodeParams,
  episodeSubject,
  loadEpisodeHeader,
  pageNumber,
  PAGE_SIZE,
  withProblems,
} from './pages-common.ts';
import { letterLinks } from '../documents/index.ts';

export const reviewsPage = definePage({
  path: EH_PATHS.reviews,
  view: 'early-help/views/reviews.njk',
  access: 'early-help:read',
  title: 'Team-around-the-family meetings and reviews',
  params: episodeParams,
  query: z.object({ page: pageNumber }),
  audit: { action: 'early-help-reviews.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const { rows, total } = await listMeetings(ctx.db, header.episode.id, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const settings = await earlyHelpSettings(ctx.db, header.episode.localAuthorityId);
    const nextDue = await nextReviewDueOn(ctx.db, header.episode);
    return {
      ...header,
      meetings: rows.map((m) => ({
        ...m,
        href: reviewPath(header.episode.id, m.id),
        decisionLabel: REVIEW_DECISIONS.find((d) => d.value === m.decision)?.text ?? m.decision,
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      nextDue,
      overdue: !!nextDue && nextDue < isoDateOf(ctx.now),
      weeks: settings.reviewIntervalWeeks,
      newHref: ehPath(EH_PATHS.newReview, header.episode.id),
    };
  },
});

type Goal = { id: string; position: number; whatWillChange: string };
type Member = { id: string; name: string | null; agency: string };

export function reviewSchema(goals: Goal[], members: Member[], today: string) {
  const shape: Record<string, z.ZodType<unknown>> = {
    heldOn: govukDate({ label: 'Date of the meeting', required: true, when: 'past', today: () => today }),
    familyAttendance: optionalText(500, 'Who attended from the family must be 500 characters or fewer'),
    otherAttendees: optionalText(2000, 'Other people who attended must be 2,000 characters or fewer'),
    workerScale: integer({
      label: 'Your scaling',
      min: 0,
      max: 10,
      required: 'Give your scaling from 0 to 10',
    }),
    familyScale: integer({
      label: 'The family’s scaling',
      min: 0,
      max: 10,
      required: 'Record the family’s own scaling from 0 to 10',
    }),
    childsViews: requiredText(
      'Record the child’s views, in their own words',
      5000,
      'The child’s views must be 5,000 characters or fewer',
    ),
    familyViews: requiredText(
      'Record the family’s views',
      5000,
      'The family’s views must be 5,000 characters or fewer',
    ),
    decision: choice(REVIEW_DECISION_VALUES, 'Select the decision: continue, close or step up'),
    decisionRationale: requiredText(
      'Say why you made this decision',
      5000,
      'The reason must be 5,000 characters or fewer',
    ),
  };
  for (const d of DOMAINS)
    shape[`domain-${d.value}`] = integer({
      label: `Score for ${d.text.toLowerCase()}`,
      min: 1,
      max: 5,
      required: `Give a score from 1 to 5 for ${d.text.toLowerCase()}`,
    });
  for (const m of members)
    shape[`attendance-${m.id}`] = choice(ATTENDANCE_VALUES, `Select whether ${m.name ?? 'they'} attended`);
  for (const g of goals) {
    shape[`goal-${g.id}-score`] = integer({
      label: `Score for goal ${g.position}`,
      min: 0,
      max: 10,
      required: `Give a score from 0 to 10 for goal ${g.position}`,
    });
    shape[`goal-${g.id}-progress`] = requiredText(
      `Say what progress there has been on goal ${g.position}`,
      3000,
      `Progress on goal ${g.position} must be 3,000 characters or fewer`,
    );
    shape[`goal-${g.id}-status`] = choice(GOAL_STATUS_VALUES, `Select where goal ${g.position} has got to`);
  }
  return z.object(shape);
}

async function reviewData(ctx: Parameters<typeof loadEpisodeHeader>[0]) {
  const header = await loadEpisodeHeader(ctx, 'write');
  const [goals, members, settings] = await Promise.all([
    goalsToReview(ctx, header.episode.id),
    tafMembers(ctx.db, header.episode.id),
    earlyHelpSettings(ctx.db, header.episode.localAuthorityId),
  ]);
  return { header, goals, members, settings };
}

export const newReviewPage = definePage({
  path: EH_PATHS.newReview,
  view: 'early-help/views/review-new.njk',
  access: 'early-help:write',
  title: 'Record a team-around-the-family meeting',
  params: episodeParams,
  form: z.record(z.string(), z.unknown()),
  audit: { action: 'early-help-reviews.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const { header, goals, members, settings } = await reviewData(ctx);
    const first = !(await hasMeetings(ctx, header.episode.id));
    return {
      ...header,
      planAgreed: await planAgreed(ctx.db, header.episode.id),
      planNotAgreed: PLAN_NOT_AGREED,
      first,
      goals,
      members,
      weeks: settings.reviewIntervalWeeks,
      attendance: ATTENDANCE.map((a) => ({ value: a.value, text: a.text })),
      statuses: GOAL_STATUSES.map((s) => ({ value: s.value, text: s.text })),
      decisions: REVIEW_DECISIONS.map((d) => ({ value: d.value, text: d.text, hint: d.hint })),
      domains: DOMAINS,
      latestWords: await latestChildVoice(
        ctx,
        header.children.map((c) => c.id),
      ),
    };
  },
  submit: async (ctx, body) => {
    const { header, goals, members } = await reviewData(ctx);
    if (!(await planAgreed(ctx.db, header.episode.id)))
      return { errors: [{ field: 'form', message: PLAN_NOT_AGREED, href: '#form' }] };
    const parsed = reviewSchema(goals, members, isoDateOf(ctx.now)).safeParse(body);
    if (!parsed.success) return { errors: zodToFieldErrors(parsed.error) };
    const v = parsed.data as Record<string, unknown>;
    return withProblems(async () => {
      const result = await recordReview(ctx, {
        episodeId: header.episode.id,
        heldOn: v.heldOn as string,
        attendance: Object.fromEntries(members.map((m) => [m.id, v[`attendance-${m.id}`] as Attendance])),
        familyAttendance: v.familyAttendance as string | undefined,
        otherAttendees: v.otherAttendees as string | undefined,
        goals: goals.map((g) => ({
          goalId: g.id,
          score: v[`goal-${g.id}-score`] as number,
          progress: v[`goal-${g.id}-progress`] as string,
          status: v[`goal-${g.id}-status`] as (typeof GOAL_STATUS_VALUES)[number],
        })),
        workerScale: v.workerScale as number,
        familyScale: v.familyScale as number,
        domainScores: Object.fromEntries(DOMAIN_KEYS.map((d) => [d, v[`domain-${d}`] as number])) as Record<
          DomainKey,
          number
        >,
        childsViews: v.childsViews as string,
        familyViews: v.familyViews as string,
        decision: v.decision as (typeof REVIEW_DECISION_VALUES)[number],
        decisionRationale: v.decisionRationale as string,
      });
      if (v.decision === 'close') {
        ctx.flash(
          'The meeting has been recorded. Now close early help: ask the family and child for their feedback first.',
        );
        return ehPath(EH_PATHS.closure, header.episode.id);
      }
      if (v.decision === 'step-up') {
        ctx.flash('The meeting has been recorded. Now send the step-up to the front door.');
        return ehPath(EH_PATHS.stepUp, header.episode.id);
      }
      ctx.flash(
        `The meeting has been recorded. The next review is due by ${result.nextReviewDueOn ? formatDateGovUk(result.nextReviewDueOn) : 'the date set'}.`,
      );
      return reviewPath(header.episode.id, result.id);
    });
  },
});

export const reviewPage = definePage({
  path: EH_PATHS.review,
  view: 'early-help/views/review.njk',
  access: 'early-help:read',
  title: 'Team-around-the-family meeting',
  params: z.object({ ehEpisodeId: z.uuid(), ehMeetingId: z.uuid() }),
  audit: { action: 'early-help-review.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const data = await loadMeeting(ctx.db, header.episode.id, ctx.params.ehMeetingId);
    const feedback = await meetingFeedback(ctx, header.episode.id, ctx.params.ehMeetingId);
    const byAgency = [...new Set(data.attendance.map((a) => a.agency))].map((agency) => ({
      agency,
      people: data.attendance.filter((a) => a.agency === agency),
    }));
    return {
      ...header,
      ...data,
      byAgency,
      feedback,
      attendanceLabel: (v: string) => ATTENDANCE.find((a) => a.value === v)?.text ?? v,
      decisionLabel:
        REVIEW_DECISIONS.find((d) => d.value === data.meeting.decision)?.text ?? data.meeting.decision,
      domainLabel: (k: string) => DOMAINS.find((d) => d.value === k)?.text ?? k,
      feedbackHref: ehPath(EH_PATHS.feedback, header.episode.id, {
        stage: 'review',
        meetingId: ctx.params.ehMeetingId,
      }),
      respondentLabel: (v: string) => FEEDBACK_RESPONDENTS.find((r) => r.value === v)?.text ?? v,
      letters: letterLinks(ctx.user, 'eh-review', ctx.params.ehMeetingId, [
        { kind: 'review-outcome', text: 'Produce the letter to the family about what was decided' },
      ]),
    };
  },
});

export const feedbackPage = definePage({
  path: EH_PATHS.feedback,
  view: 'early-help/views/feedback.njk',
  access: 'early-help:write',
  title: 'Feedback from the child and family',
  params: episodeParams,
  query: z.object({
    stage: z.enum(['review', 'closure']).catch('review').default('review'),
    meetingId: z.uuid().optional().catch(undefined),
  }),
  form: ({ today }) =>
    z.object({
      stage: choice(['review', 'closure'] as const, 'Select when the feedback was given'),
      meetingId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid().optional()),
      respondent: choice(
        FEEDBACK_RESPONDENTS.map((r) => r.value) as ['child', 'parent-carer', 'other-family'],
        'Select who is giving feedback',
      ),
      respondentName: optionalText(200, 'Their name must be 200 characters or fewer'),
      listened: choice(
        ['yes', 'a-bit', 'no'] as const,
        'Choose an answer to “Did the people helping you listen to you?”',
      ),
      helped: choice(
        ['yes', 'a-bit', 'no'] as const,
        'Choose an answer to “Did we help with the things you were worried about?”',
      ),
      thingsBetter: choice(
        ['better', 'same', 'worse'] as const,
        'Choose an answer to “How are things at home now?”',
      ),
      knowsNext: choice(
        ['yes', 'not-sure', 'no'] as const,
        'Choose an answer to “Do you know what will happen next?”',
      ),
      comments: optionalText(3000, 'What they told us must be 3,000 characters or fewer'),
      givenOn: govukDate({ label: 'Date', required: true, when: 'past', today: () => today }),
    }),
  audit: { action: 'early-help-feedback.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    return {
      ...header,
      stage: ctx.query.stage,
      meetingId: ctx.query.meetingId ?? '',
      respondents: FEEDBACK_RESPONDENTS.map((r) => ({ value: r.value, text: r.text })),
      questions: FEEDBACK_QUESTIONS,
    };
  },
  submit: async (ctx, form) => {
    await recordFeedback(ctx, { episodeId: ctx.params.ehEpisodeId, ...form, givenOn: form.givenOn! });
    ctx.flash('Thank you: the feedback has been recorded');
    return form.stage === 'closure'
      ? ehPath(EH_PATHS.closure, ctx.params.ehEpisodeId)
      : ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
  },
});

export const reviewPages = [reviewsPage, newReviewPage, reviewPage, feedbackPage];
