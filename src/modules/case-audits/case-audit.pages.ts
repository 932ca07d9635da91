import { z } from 'zod';
import { answersSummary, answersToValues } from '../../kernel/forms-as-data/answers.ts';
import { FieldProblemsError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { moderationRates } from './moderation.service.ts';
import { QA_PATHS, qaPages } from './qa.pages.ts';
import { reportPages } from './report.pages.ts';
import {
  ACTION_LEVEL_LABELS,
  MODERATION_STATUS_LABELS,
  type ActionLevel,
  AUDIT_STATUS_LABELS,
  CRITERION_LABELS,
  CRITERIA,
  GRADE_LABELS,
  gradesOf,
  monthName,
  recentMonths,
} from './case-audit.ts';
import { programmeForm } from './case-audit.schemas.ts';
import { loadAudit, myAuditsDue, MY_AUDITS_PAGE_SIZE, saveAudit } from './case-audit.service.ts';
import {
  createProgramme,
  listProgrammes,
  loadProgramme,
  PROGRAMME_AUDITS_PAGE_SIZE,
  PROGRAMMES_PAGE_SIZE,
  teamsForSampling,
} from './programme.service.ts';

/**
 * Case audit pages: the QA list (the user's audits due and the programmes, each paged), starting a programme (a
 * monthly sample of a team or a thematic audit), a programme with its audits, and an audit (the form while it is the
 * auditor's and not complete; otherwise the completed audit, read-only), with the record's own figures beside it.
 */

export const CASE_AUDIT_PATHS = {
  list: '/case-audits',
  newProgramme: '/case-audits/programmes/new',
  programme: (id: string) => `/case-audits/programmes/${id}`,
  audit: (id: string) => `/case-audits/audits/${id}`,
};

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  programmes: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const pages = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

export const caseAuditsListPage = definePage({
  path: CASE_AUDIT_PATHS.list,
  view: 'case-audits/views/list.njk',
  access: 'case-audit:conduct',
  title: 'Case audits',
  query: pageQuery,
  audit: { action: 'case-audits.viewed', subjectType: 'case-audit' },
  load: async (ctx) => {
    const [mine, programmes] = await Promise.all([
      myAuditsDue(ctx, { page: ctx.query.page }),
      listProgrammes(ctx, { page: ctx.query.programmes }),
    ]);
    const today = isoDateOf(ctx.now);
    const minePages = pages(mine.total, MY_AUDITS_PAGE_SIZE);
    const programmePages = pages(programmes.total, PROGRAMMES_PAGE_SIZE);
    return {
      mine: mine.rows.map((a) => ({
        ...a,
        href: CASE_AUDIT_PATHS.audit(a.id),
        statusLabel: AUDIT_STATUS_LABELS[a.status] ?? a.status,
        overdue: a.dueOn < today,
      })),
      mineTotal: mine.total,
      minePagination: numberedPagination(Math.min(ctx.query.page, minePages), minePages, (n) =>
        pageHref(ctx.request.url, n),
      ),
      programmes: programmes.rows.map((p) => ({ ...p, href: CASE_AUDIT_PATHS.programme(p.id) })),
      programmesTotal: programmes.total,
      programmesPagination: numberedPagination(
        Math.min(ctx.query.programmes, programmePages),
        programmePages,
        (n) => pageHref(ctx.request.url, n, 'programmes'),
      ),
    };
  },
});

export const newProgrammePage = definePage({
  path: CASE_AUDIT_PATHS.newProgramme,
  view: 'case-audits/views/programme-new.njk',
  access: 'case-audit:conduct',
  title: 'Start an audit programme',
  form: ({ today }) => programmeForm(today, recentMonths(today)),
  load: async (ctx) => ({
    teams: (await teamsForSampling(ctx)).map((t) => ({ value: t.id, text: t.name })),
    months: recentMonths(isoDateOf(ctx.now)).map((m) => ({ value: m, text: monthName(`${m}-01`) })),
    criteria: CRITERIA.map((c) => ({ value: c, text: CRITERION_LABELS[c] })),
  }),
  submit: async (ctx, form) => {
    const created = await createProgramme(
      ctx,
      form.kind === 'monthly-sample'
        ? {
            kind: 'monthly-sample',
            teamId: form.teamId!,
            month: form.month!,
            sampleSize: form.sampleSize!,
            dueOn: form.dueOn!,
            moderationPercent: form.moderationPercent ?? 20,
          }
        : {
            kind: 'thematic',
            criterion: form.criterion!,
            periodStart: form.periodStart!,
            periodEnd: form.periodEnd!,
            dueOn: form.dueOn!,
            moderationPercent: form.moderationPercent ?? 20,
          },
    );
    ctx.flash(
      `Audit programme started: ${created.audits} ${created.audits === 1 ? 'child' : 'children'} to audit`,
    );
    return CASE_AUDIT_PATHS.programme(created.id);
  },
});

export const programmePage = definePage({
  path: '/case-audits/programmes/:programmeId',
  view: 'case-audits/views/programme.njk',
  access: 'case-audit:conduct',
  title: (d: { programme: { title: string } }) => d.programme.title,
  params: z.object({ programmeId: uuidParam }),
  query: pageQuery,
  audit: {
    action: 'case-audit-programme.viewed',
    subjectType: 'case-audit-programme',
    subject: (ctx) => ({ subjectId: ctx.params.programmeId }),
  },
  load: async (ctx) => {
    const data = await loadProgramme(ctx, { programmeId: ctx.params.programmeId, page: ctx.query.page });
    const n = pages(data.total, PROGRAMME_AUDITS_PAGE_SIZE);
    return {
      ...data,
      rates: await moderationRates(ctx.db, data.programme.id),
      learningHref: QA_PATHS.learning(data.programme.id),
      mayEditLearning: data.programme.createdBy === ctx.user.id,
      criterionLabel: data.programme.criterion
        ? (CRITERION_LABELS[data.programme.criterion as keyof typeof CRITERION_LABELS] ??
          data.programme.criterion)
        : null,
      audits: data.audits.map((a) => ({
        ...a,
        href: CASE_AUDIT_PATHS.audit(a.id),
        statusLabel: AUDIT_STATUS_LABELS[a.status] ?? a.status,
        moderationLabel: MODERATION_STATUS_LABELS[a.moderationStatus ?? ''] ?? 'Not sampled',
      })),
      pagination: numberedPagination(Math.min(ctx.query.page, n), n, (p) => pageHref(ctx.request.url, p)),
    };
  },
});

export const auditPage = definePage({
  path: '/case-audits/audits/:auditId',
  view: 'case-audits/views/audit.njk',
  access: 'case-audit:conduct',
  title: (d: { audit: { childId: string; childName: string; status: string } }) =>
    d.audit.status === 'completed'
      ? `Case audit: ${d.audit.childName}`
      : `Audit the case of ${d.audit.childName}`,
  params: z.object({ auditId: uuidParam }),
  // The questions are data (a versioned audit tool): the service validates the answers against it.
  form: z.record(z.string(), z.unknown()),
  audit: {
    action: 'case-audit.viewed',
    subjectType: 'case-audit',
    subject: (ctx, data: { audit: { childId: string; childName: string; status: string } }) => ({
      subjectId: ctx.params.auditId,
      childId: data.audit.childId,
    }),
  },
  load: async (ctx) => {
    const data = await loadAudit(ctx, ctx.params.auditId);
    const grades = gradesOf(data.template, data.audit.answers);
    return {
      ...data,
      savedValues: answersToValues(data.template, data.audit.answers),
      summary: answersSummary(data.template, data.audit.answers),
      grades: grades.map((g) => ({
        area: data.template.sections.find((s) => s.id === g.area)?.title ?? g.area,
        grade: GRADE_LABELS[g.grade],
        gradeValue: g.grade,
      })),
      statusLabel: AUDIT_STATUS_LABELS[data.audit.status] ?? data.audit.status,
      programmeHref: CASE_AUDIT_PATHS.programme(data.audit.programmeId),
      moderatedGrades: data.moderation.map((m) => ({
        area: data.template.sections.find((s) => s.id === m.area)?.title ?? m.area,
        original: GRADE_LABELS[m.original],
        grade: GRADE_LABELS[m.grade],
        agreed: m.agreed,
        reason: m.reason,
      })),
      actionRows: data.actions.map((x) => ({
        ...x,
        href: QA_PATHS.action(x.id),
        levelLabel: ACTION_LEVEL_LABELS[x.level as ActionLevel] ?? x.level,
        overdue: x.status === 'open' && x.dueOn < isoDateOf(ctx.now),
      })),
      links: {
        assign: ctx.user.permissions.has('case-audit:moderate') ? QA_PATHS.assign(data.audit.id) : null,
        moderate:
          data.audit.moderationStatus === 'pending' && data.audit.moderatorId === ctx.user.id
            ? QA_PATHS.moderate(data.audit.id)
            : null,
        newAction: data.audit.status === 'completed' ? QA_PATHS.newAction(data.audit.id) : null,
      },
    };
  },
  submit: async (ctx, body) => {
    const action = body.action === 'complete' ? 'complete' : 'draft';
    const version =
      typeof body.version === 'string' && /^\d+$/.test(body.version) ? Number(body.version) : undefined;
    try {
      const result = await saveAudit(ctx, { auditId: ctx.params.auditId, body, action, version });
      ctx.flash(
        result.status === 'completed' ? 'The audit is complete' : 'The audit has been saved as a draft',
      );
      return CASE_AUDIT_PATHS.audit(ctx.params.auditId);
    } catch (error) {
      // Problems are shown against their fields inside the transaction, so the draft saved before them is kept.
      if (error instanceof FieldProblemsError) return { errors: [...error.problems] };
      throw error;
    }
  },
});

export const caseAuditPages = [
  caseAuditsListPage,
  newProgrammePage,
  programmePage,
  auditPage,
  ...qaPages,
  ...reportPages,
];
