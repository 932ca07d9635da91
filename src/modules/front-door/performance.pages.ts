import { z } from 'zod';
import { agencyName, teamName, userDisplayName } from './organisation-lookups.service.ts';
import {
  differenceInCalendarDays,
  formatDateGovUk,
  formatDateTimeGovUk,
  isIsoDate,
  isoDateOf,
} from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { dateToParts, govukDate, EVEN_WITH_FIELD_ERRORS } from '../../kernel/forms/fields.ts';
import { definePage, FileResponse, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { OUTCOME_LABELS, OUTCOMES, STATUS_LABELS, type ContactStatus, type Outcome } from './contact.ts';
import { contactPath } from './paths.ts';
import { defaultPeriod, period, toCsv } from './performance.ts';
import {
  DRILL_MEASURES,
  drillDownContacts,
  drillDownRequests,
  type DrillFilter,
  type Scope,
} from './performance.repository.ts';
import {
  CSV_TABLES,
  frontDoorReport,
  levelLabels,
  OUTCOME_COLOURS,
  PERFORMANCE_PATHS,
  performanceScope,
  reportTable,
  sourceLabel,
  type DrillLink,
} from './performance.service.ts';
import { codeLabels } from './settings.ts';

/**
 * Front-door performance (permission reports:view: managers and performance analysts): for a period (by default
 * the last 12 weeks) contacts per day and week, decisions within timescale with the late ones, outcome mix by
 * referral source and level of need, repeat contacts within 12 months, information-request turnaround by agency,
 * and threshold consistency between workers and teams. Each chart is an SVG with a text alternative and the table
 * beneath it; every number links to the contacts behind it; every table downloads as CSV (audited as an export).
 */

const MAX_DAYS = 731;
const PAGE_SIZE = 25;
const pageQuery = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);
const isoDateQuery = z.string().refine(isIsoDate).optional().catch(undefined);
const rangeQuery = z.object({
  from: isoDateQuery,
  to: isoDateQuery,
  la: z.uuid().optional().catch(undefined),
});
type RangeQuery = z.output<typeof rangeQuery>;

/** The period asked for in the URL, or the last 12 weeks when it is missing or does not make sense. */
function periodFrom(query: RangeQuery, today: string) {
  const fallback = defaultPeriod(today);
  const from = query.from ?? fallback.from;
  const to = query.to ?? (query.from ? today : fallback.to);
  const span = differenceInCalendarDays(from, to);
  if (span < 0 || span >= MAX_DAYS) return period(fallback.from, fallback.to);
  return period(from, to);
}

const todayOf = (ctx: Pick<PageContext<unknown, unknown>, 'now'>) => isoDateOf(ctx.now);

/** Links from a figure to the contacts behind it, keeping the period and authority. */
const drillLink =
  (scope: Scope, la: string | null | undefined): DrillLink =>
  (filter) =>
    pathTo(
      PERFORMANCE_PATHS.contacts,
      {},
      { from: scope.period.from, to: scope.period.to, la: la ?? undefined, ...filter },
    );

export const performancePage = definePage({
  path: PERFORMANCE_PATHS.performance,
  view: 'front-door/views/performance.njk',
  access: 'reports:view',
  title: 'Front-door performance',
  query: rangeQuery.extend({ page: pageQuery, similarPage: pageQuery }),
  drafts: false,
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (_ctx, data: { period: { from: string; to: string } }) => ({
      subjectId: 'front-door-performance',
      details: { from: data.period.from, to: data.period.to },
    }),
  },
  form: ({ today }) =>
    z
      .object({
        from: govukDate({ label: 'Start date', required: true, when: 'past', today: () => today }),
        to: govukDate({ label: 'End date', required: true, when: 'past', today: () => today }),
        la: z.preprocess(
          (v) => (Array.isArray(v) ? v[0] : v) || undefined,
          z.uuid({ message: 'Select a local authority from the list' }).optional(),
        ),
      })
      .superRefine((v, ctx) => {
        // Runs even when a date was refused, so it sees whatever was sent: compare only two real dates.
        if (!isIsoDate(v.from) || !isIsoDate(v.to)) return;
        if (v.from > v.to)
          ctx.addIssue({
            code: 'custom',
            path: ['to', 'day'],
            message: 'The end date must be the same as or after the start date',
          });
        if (differenceInCalendarDays(v.from, v.to) >= MAX_DAYS)
          ctx.addIssue({
            code: 'custom',
            path: ['to', 'day'],
            message: 'Choose a period of 2 years or less',
          });
      }, EVEN_WITH_FIELD_ERRORS),
  load: async (ctx) => {
    const p = periodFrom(ctx.query, todayOf(ctx));
    const { scope, authorities, chosen, label } = await performanceScope(ctx.db, ctx.user, p, ctx.query.la);
    // The lists are paged, PAGE_SIZE a page: the late decisions (`page` in the URL) and the groups of similar
    // contacts (`similarPage`); the other figures are counts.
    const report = await frontDoorReport(
      ctx.db,
      scope,
      ctx.services.calendar,
      ctx.now,
      drillLink(scope, chosen?.id),
      {
        late: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
        similar: { limit: PAGE_SIZE, offset: (ctx.query.similarPage - 1) * PAGE_SIZE },
      },
    );
    const concerns = await codeLabels(ctx.db, 'contact-concern');
    const query = { from: p.from, to: p.to, la: chosen?.id };
    return {
      ...report,
      scopeLabel: label,
      canOpenContacts: ctx.user.permissions.has('contact:read'),
      outcomes: OUTCOMES.map((o) => ({ key: o, label: OUTCOME_LABELS[o], colour: OUTCOME_COLOURS[o] })),
      concernLabel: Object.fromEntries(concerns),
      csv: Object.fromEntries(
        CSV_TABLES.map((t) => [t, pathTo(PERFORMANCE_PATHS.exportCsv, {}, { table: t, ...query })]),
      ),
      authorities: [
        { value: '', text: `All (${authorities.map((a) => a.name).join(' and ')})` },
        ...authorities.map((a) => ({ value: a.id, text: a.name })),
      ],
      latePagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, report.timeliness.late),
      similarPagination: pagination(
        ctx.request.url,
        ctx.query.similarPage,
        PAGE_SIZE,
        report.consistency.similarTotal,
        'similarPage',
      ),
      saved: { ...dateToParts('from', p.from), ...dateToParts('to', p.to), la: chosen?.id ?? '' },
    };
  },
  submit: async (ctx, form) => {
    if (form.la && !ctx.user.localAuthorityIds.includes(form.la))
      return { errors: [fieldError('la', 'Select a local authority from the list')] };
    return pathTo(PERFORMANCE_PATHS.performance, {}, { from: form.from, to: form.to, la: form.la });
  },
});

const drillQuery = rangeQuery.extend({
  measure: z.enum(DRILL_MEASURES).catch('received'),
  day: isoDateQuery,
  week: isoDateQuery,
  timely: z.enum(['yes', 'no']).optional().catch(undefined),
  source: z.string().max(4).optional().catch(undefined),
  level: z.string().max(40).optional().catch(undefined),
  outcome: z.enum(OUTCOMES).optional().catch(undefined),
  worker: z.uuid().optional().catch(undefined),
  team: z
    .union([z.uuid(), z.literal('none')])
    .optional()
    .catch(undefined),
  socialCare: z.enum(['yes', 'no']).optional().catch(undefined),
  departed: z.literal('yes').optional().catch(undefined),
  concerns: z
    .string()
    .max(400)
    .regex(/^[a-z0-9,-]+$/)
    .optional()
    .catch(undefined),
  agency: z.uuid().optional().catch(undefined),
  openOverdue: z.literal('yes').optional().catch(undefined),
  page: pageQuery,
});

const MEASURE_TEXT: Record<DrillFilter['measure'], string> = {
  received: 'Contacts received',
  decided: 'Contacts with a decision',
  overdue: 'Contacts past their decision time with no decision',
  outcome: 'Contacts with an authorised decision',
  repeat: 'Contacts about a child who had another contact in the 12 months before',
  consistency: 'Contacts with an authorised decision',
  requests: 'Information requests',
};

export const performanceContactsPage = definePage({
  path: PERFORMANCE_PATHS.contacts,
  view: 'front-door/views/performance-contacts.njk',
  access: 'reports:view',
  title: (d: { heading: string }) => d.heading,
  query: drillQuery,
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (ctx) => ({
      subjectId: 'front-door-performance-contacts',
      details: { measure: ctx.query.measure, from: ctx.query.from ?? null, to: ctx.query.to ?? null },
    }),
  },
  load: async (ctx) => {
    const q = ctx.query;
    const p = periodFrom(q, todayOf(ctx));
    const { scope, chosen, label } = await performanceScope(ctx.db, ctx.user, p, q.la);
    const filter: DrillFilter = { ...q };
    const page = { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE };
    const canOpen = ctx.user.permissions.has('contact:read');
    const [levels, concerns, agency, worker, team] = [
      await levelLabels(ctx.db),
      q.concerns ? await codeLabels(ctx.db, 'contact-concern') : new Map<string, string>(),
      q.agency ? await agencyName(ctx, q.agency) : undefined,
      q.worker ? await userDisplayName(ctx, q.worker) : undefined,
      q.team && q.team !== 'none' ? await teamName(ctx, q.team) : undefined,
    ];
    const levelLabel = (code: string | null) => (code ? (levels.get(code) ?? code) : '');
    const conditions = [
      q.day ? `received on ${formatDateGovUk(q.day)}` : null,
      q.week ? `received in the week beginning ${formatDateGovUk(q.week)}` : null,
      q.measure === 'decided' && q.timely === 'yes' ? 'decided within 1 working day' : null,
      q.measure === 'decided' && q.timely === 'no' ? 'decided late' : null,
      q.measure === 'requests' && q.timely === 'yes' ? 'answered by the due time' : null,
      q.measure === 'requests' && q.timely === 'no' ? 'not answered by the due time' : null,
      q.openOverdue ? 'still open after the due time' : null,
      q.source ? `referral source ${sourceLabel(q.source)}` : null,
      q.level ? levelLabel(q.level) : null,
      q.concerns === 'none'
        ? 'no categories of concern recorded'
        : q.concerns
          ? `categories of concern exactly: ${q.concerns
              .split(',')
              .filter(Boolean)
              .map((c) => concerns.get(c) ?? c)
              .join(', ')}`
          : null,
      q.outcome ? `outcome: ${OUTCOME_LABELS[q.outcome]}` : null,
      worker !== undefined ? `decided by ${worker}` : null,
      team !== undefined
        ? `decided in ${team}`
        : q.team === 'none'
          ? 'decided by someone with no team'
          : null,
      q.socialCare === 'yes'
        ? 'routed to social care'
        : q.socialCare === 'no'
          ? 'not routed to social care'
          : null,
      q.departed ? 'the outcome departs from what the level usually leads to' : null,
      agency !== undefined ? `to ${agency}` : null,
    ].filter((c): c is string => !!c);
    const common = {
      heading: MEASURE_TEXT[q.measure],
      conditions,
      periodText: `${formatDateGovUk(p.from)} to ${formatDateGovUk(p.to)}`,
      scopeLabel: label,
      backHref: pathTo(PERFORMANCE_PATHS.performance, {}, { from: p.from, to: p.to, la: chosen?.id }),
      measure: q.measure,
    };
    if (q.measure === 'requests') {
      const { total, rows } = await drillDownRequests(ctx.db, scope, filter, ctx.now, page);
      return {
        ...common,
        total,
        pagination: pagination(ctx.request.url, q.page, PAGE_SIZE, total),
        requests: rows.map((r) => ({
          ...r,
          href: canOpen ? contactPath(r.contactId) : null,
          requestedText: formatDateTimeGovUk(r.requestedAt),
          dueText: formatDateTimeGovUk(r.dueAt),
          respondedText: r.respondedAt ? formatDateTimeGovUk(r.respondedAt) : null,
          hours: r.respondedAt
            ? Math.round(ctx.services.calendar.workingHoursBetween(r.requestedAt, r.respondedAt) * 10) / 10
            : null,
          statusText: r.status === 'answered' ? 'Answered' : r.status === 'withdrawn' ? 'Withdrawn' : 'Open',
        })),
        contacts: [],
      };
    }
    const { total, rows } = await drillDownContacts(ctx.db, scope, filter, ctx.now, page);
    return {
      ...common,
      total,
      pagination: pagination(ctx.request.url, q.page, PAGE_SIZE, total),
      requests: [],
      contacts: rows.map((r) => ({
        ...r,
        href: canOpen ? contactPath(r.id) : null,
        receivedText: formatDateTimeGovUk(r.receivedAt),
        dueText: formatDateTimeGovUk(r.decisionDueAt),
        decidedText: r.decidedAt ? formatDateTimeGovUk(r.decidedAt) : null,
        late: r.decidedAt
          ? r.decidedAt.getTime() > r.decisionDueAt.getTime()
          : r.decisionDueAt.getTime() < ctx.now.getTime(),
        sourceText: sourceLabel(r.referralSource),
        outcomeText: r.outcome ? OUTCOME_LABELS[r.outcome as Outcome] : null,
        levelText: levelLabel(r.levelOfNeed),
        statusText: STATUS_LABELS[r.status as ContactStatus],
      })),
    };
  },
});

export const performanceExportPage = definePage({
  path: PERFORMANCE_PATHS.exportCsv,
  view: 'front-door/views/performance.njk',
  access: 'reports:view',
  title: 'Front-door performance',
  query: rangeQuery.extend({ table: z.enum(CSV_TABLES).catch('contacts-per-week') }),
  load: async (ctx) => {
    const p = periodFrom(ctx.query, todayOf(ctx));
    const { scope, chosen } = await performanceScope(ctx.db, ctx.user, p, ctx.query.la);
    // The download has every late decision; the other tables need none of them.
    const report = await frontDoorReport(
      ctx.db,
      scope,
      ctx.services.calendar,
      ctx.now,
      drillLink(scope, chosen?.id),
      { late: ctx.query.table === 'late-decisions' ? 'all' : { limit: 0, offset: 0 }, similar: 'all' },
    );
    const table = reportTable(report, ctx.query.table);
    await ctx.audit({
      action: 'report.exported',
      subjectType: 'report',
      subjectId: 'front-door-performance',
      details: {
        table: ctx.query.table,
        from: p.from,
        to: p.to,
        localAuthorityIds: [...scope.localAuthorityIds],
        rows: table.rows.length,
        format: 'csv',
      },
    });
    return new FileResponse(
      `front-door-${ctx.query.table}-${p.from}-to-${p.to}.csv`,
      'text/csv; charset=utf-8',
      toCsv(table.head, table.rows),
    );
  },
});

export const performancePages = [performancePage, performanceContactsPage, performanceExportPage];
