import { z } from 'zod';
import { FieldProblemsError } from '../../kernel/errors.ts';
import { choice, govukDate } from '../../kernel/forms/fields.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam, type PageContext } from '../../web/page.ts';
import {
  AUDIENCE_LABELS,
  AUDIENCES,
  CHANNEL_LABELS,
  FEEDBACK_POINTS,
  FEEDBACK_SERVICES,
  LINK_DAYS,
  labelOf,
  POINT_LABELS,
  SERVICE_LABELS,
  SURVEY_KEYS,
  type Audience,
} from './feedback.ts';
import {
  answerFeedbackLink,
  childForFeedbackLink,
  createFeedbackLink,
  feedbackLinkFor,
  feedbackResults,
  feedbackTeams,
  paperFeedbackTeams,
  recordPaperFeedback,
  WORDS_PAGE_SIZE,
} from './feedback.service.ts';
import { currentTemplate } from '../form-templates/index.ts';

/**
 * Family feedback pages: a worker gives the family a one-use link (from the child's record, at the end of an
 * assessment, a plan review or closure); the family answers at /feedback/:token without signing in (public, rate
 * limited, no child data: only the authority's name and the survey); a worker types in a paper response; the results
 * by team and service with the family's words, for the QA roles and managers.
 */

export const FEEDBACK_PATHS = {
  results: '/case-audits/feedback',
  paper: '/case-audits/feedback/paper',
  link: (personId: string) => `/people/${personId}/family-feedback/link`,
  answer: (token: string) => `/feedback/${token}`,
};

const items = <K extends string>(values: readonly K[], labels: Record<K, string>, selected?: unknown) =>
  values.map((v) => ({ value: v, text: labels[v], checked: v === selected, selected: v === selected }));

const offerQuery = z.object({
  service: z.enum(FEEDBACK_SERVICES).optional().catch(undefined),
  point: z.enum(FEEDBACK_POINTS).optional().catch(undefined),
});

const childForLink = (ctx: PageContext<{ personId: string }, unknown>) =>
  childForFeedbackLink(ctx, ctx.params.personId);

export const feedbackLinkPage = definePage({
  path: '/people/:personId/family-feedback/link',
  view: 'case-audits/views/feedback-link.njk',
  access: 'signed-in',
  title: 'Give the family a feedback link',
  params: z.object({ personId: uuidParam }),
  query: offerQuery,
  drafts: false,
  form: z.object({
    service: choice(FEEDBACK_SERVICES, 'Select the service'),
    point: choice(FEEDBACK_POINTS, 'Select when the feedback is asked for'),
    audience: choice(AUDIENCES, 'Select who will answer'),
  }),
  audit: {
    action: 'feedback-link.viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const child = await childForLink(ctx);
    return {
      child,
      linkDays: LINK_DAYS,
      preset: { service: ctx.query.service, point: ctx.query.point },
      services: FEEDBACK_SERVICES.map((v) => ({ value: v, text: SERVICE_LABELS[v] })),
      points: FEEDBACK_POINTS.map((v) => ({ value: v, text: POINT_LABELS[v] })),
      audiences: AUDIENCES.map((v) => ({ value: v, text: AUDIENCE_LABELS[v] })),
    };
  },
  submit: async (ctx, form) => {
    const child = await childForLink(ctx);
    const created = await createFeedbackLink(ctx, { childId: child.id, ...form });
    const base = ctx.services.config.mail?.publicUrl ?? `${ctx.request.protocol}://${ctx.request.host}`;
    return {
      render: {
        child,
        created: {
          url: `${base}${FEEDBACK_PATHS.answer(created.token)}`,
          expiresOn: formatDateGovUk(isoDateOf(created.expiresAt)),
          audience: AUDIENCE_LABELS[form.audience],
          point: POINT_LABELS[form.point],
          service: SERVICE_LABELS[form.service],
        },
      },
    };
  },
});

export const familyFeedbackPage = definePage({
  path: '/feedback/:token',
  view: 'case-audits/views/feedback-answer.njk',
  access: 'public',
  title: (d: { survey?: { title: string } | null }) => d.survey?.title ?? 'Give us your feedback',
  params: z.object({ token: z.string().max(100) }),
  drafts: false,
  rateLimit: { max: 20, timeWindowMs: 60_000, views: true },
  // The questions are data (the authority's survey): the service checks the answers against it.
  form: z.record(z.string(), z.unknown()),
  load: async (ctx) => {
    const link = await feedbackLinkFor(ctx.db, ctx.params.token, ctx.now);
    return {
      state: link.state,
      authorityName: link.authorityName,
      survey: link.template,
      template: link.template,
    };
  },
  submit: async (ctx, body) => {
    try {
      await answerFeedbackLink(ctx, { token: ctx.params.token, body });
    } catch (error) {
      if (error instanceof FieldProblemsError) return { errors: [...error.problems] };
      throw error;
    }
    const link = await feedbackLinkFor(ctx.db, ctx.params.token, ctx.now);
    return { render: { state: 'answered', authorityName: link.authorityName, survey: null } };
  },
});

const paperForm = ({ today }: { today: string }) =>
  z.looseObject({
    audience: choice(AUDIENCES, 'Select who answered'),
    service: choice(FEEDBACK_SERVICES, 'Select the service'),
    point: choice(FEEDBACK_POINTS, 'Select when the feedback was asked for'),
    teamId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid('Select a team').optional()),
    givenOn: govukDate({
      label: 'Date the family gave it',
      required: true,
      when: 'past',
      today: () => today,
    }),
  });

export const paperFeedbackPage = definePage({
  path: FEEDBACK_PATHS.paper,
  view: 'case-audits/views/feedback-paper.njk',
  access: 'feedback:record',
  title: 'Type in feedback given on paper',
  query: z.object({ survey: z.enum(AUDIENCES).catch('adult').default('adult') }),
  form: paperForm,
  load: async (ctx) => {
    const audience: Audience = ctx.query.survey;
    const survey = await currentTemplate(ctx.db, SURVEY_KEYS[audience]);
    const teams = await paperFeedbackTeams(ctx);
    return {
      audience,
      audienceLabel: AUDIENCE_LABELS[audience],
      otherSurvey: {
        href: `${FEEDBACK_PATHS.paper}?survey=${audience === 'adult' ? 'child' : 'adult'}`,
        label: AUDIENCE_LABELS[audience === 'adult' ? 'child' : 'adult'],
      },
      template: survey.template,
      teams: teams.map((t) => ({ value: t.id, text: t.name })),
      defaultTeamId: ctx.user.teamId ?? '',
      services: FEEDBACK_SERVICES.map((v) => ({ value: v, text: SERVICE_LABELS[v] })),
      points: FEEDBACK_POINTS.map((v) => ({ value: v, text: POINT_LABELS[v] })),
    };
  },
  submit: async (ctx, form) => {
    try {
      await recordPaperFeedback(ctx, {
        audience: form.audience,
        service: form.service,
        point: form.point,
        teamId: form.teamId ?? null,
        givenOn: form.givenOn!,
        body: form,
      });
    } catch (error) {
      if (error instanceof FieldProblemsError) return { errors: [...error.problems] };
      throw error;
    }
    ctx.flash('The feedback has been recorded');
    return ctx.user.permissions.has('case-audit:conduct') || ctx.user.permissions.has('supervision:record')
      ? FEEDBACK_PATHS.results
      : '/';
  },
});

const isoQuery = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const ANSWER_QUESTIONS = ['listened', 'helped', 'thingsBetter', 'knowsNext'] as const;

export const feedbackResultsPage = definePage({
  path: FEEDBACK_PATHS.results,
  view: 'case-audits/views/feedback-results.njk',
  access: 'feedback:record',
  title: 'Feedback from children and families',
  query: z.object({
    team: z.uuid().optional().catch(undefined),
    service: z.enum(FEEDBACK_SERVICES).optional().catch(undefined),
    point: z.enum(FEEDBACK_POINTS).optional().catch(undefined),
    from: isoQuery,
    to: isoQuery,
    page: z.coerce.number().int().min(1).max(10_000).catch(1),
  }),
  audit: {
    action: 'feedback-results.viewed',
    subjectType: 'report',
    subject: (ctx) => ({
      details: {
        team: ctx.query.team ?? null,
        service: ctx.query.service ?? null,
        point: ctx.query.point ?? null,
      },
    }),
  },
  load: async (ctx) => {
    const q = ctx.query;
    const [teams, results, survey] = await Promise.all([
      feedbackTeams(ctx),
      feedbackResults(ctx, {
        teamId: q.team,
        service: q.service,
        point: q.point,
        from: q.from,
        to: q.to,
        page: q.page,
      }),
      currentTemplate(ctx.db, SURVEY_KEYS.adult),
    ]);
    const pages = Math.max(1, Math.ceil(results.wordsTotal / WORDS_PAGE_SIZE));
    const questions = survey.template.sections.flatMap((s) => s.questions);
    const answers = ANSWER_QUESTIONS.map((id) => {
      const question = questions.find((x) => x.id === id);
      const options = question && question.kind === 'radios' ? question.options : [];
      const counts = results.answers.filter((a) => a.question === id);
      const total = counts.reduce((sum, c) => sum + c.n, 0);
      return {
        label: question?.label ?? id,
        total,
        rows: options.map((o) => ({
          label: o.label,
          n: counts.find((c) => c.answer === o.value)?.n ?? 0,
        })),
      };
    });
    const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : 'None');
    return {
      filters: q,
      teamItems: [
        { value: '', text: 'All teams' },
        ...teams.map((t) => ({ value: t.id, text: t.name, selected: t.id === q.team })),
      ],
      serviceItems: [
        { value: '', text: 'All services' },
        ...items(FEEDBACK_SERVICES, SERVICE_LABELS, q.service),
      ],
      pointItems: [{ value: '', text: 'Every point' }, ...items(FEEDBACK_POINTS, POINT_LABELS, q.point)],
      byTeam: results.byTeam.map((r) => ({
        ...r,
        teamName: r.teamName ?? 'No team recorded',
        serviceLabel: labelOf(SERVICE_LABELS, r.service),
        listenedShare: share(r.listened, r.responses),
        helpedShare: share(r.helped, r.responses),
        betterShare: share(r.better, r.responses),
      })),
      total: results.byTeam.reduce((sum, r) => sum + r.responses, 0),
      answers,
      words: results.words.map((w) => ({
        ...w,
        teamName: w.teamName ?? 'No team recorded',
        serviceLabel: labelOf(SERVICE_LABELS, w.service),
        pointLabel: labelOf(POINT_LABELS, w.point),
        channelLabel: CHANNEL_LABELS[w.channel] ?? w.channel,
        who: w.respondentName ?? 'Anonymous',
        audienceLabel: w.audience === 'child' ? 'Child or young person' : 'Adult',
      })),
      wordsTotal: results.wordsTotal,
      pagination: numberedPagination(Math.min(q.page, pages), pages, (n) => pageHref(ctx.request.url, n)),
      paperHref: FEEDBACK_PATHS.paper,
    };
  },
});

export const feedbackPages = [feedbackLinkPage, familyFeedbackPage, paperFeedbackPage, feedbackResultsPage];
