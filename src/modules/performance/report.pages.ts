import { z } from 'zod';
import { choice, recordVersion } from '../../kernel/forms/fields.ts';
import { reportMailbox, saveReportMailbox } from './report-mailbox.service.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An email address, or blank (no mailbox). */
const optionalEmail = () =>
  z.preprocess(
    (v) =>
      typeof (Array.isArray(v) ? v[0] : v) === 'string' ? String(Array.isArray(v) ? v[0] : v).trim() : '',
    z
      .string()
      .max(320, 'The email address must be 320 characters or fewer')
      .refine(
        (e) => e === '' || EMAIL.test(e),
        'Enter an email address in the correct format, like leadership@example.gov.uk',
      ),
  );
import { formatDateTimeGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { monthName, reportMonthChoices } from './report.ts';
import {
  generateReport,
  listReports,
  reportAuthorities,
  PDF_TYPE,
  reportFile,
  ReportStore,
} from './report.service.ts';

/**
 * The monthly performance reports (docs/adr/0010-performance-report.md): the list of reports kept, made by the
 * schedule or on demand, each downloadable (reports:view; every download audited); and the form that makes one for
 * a chosen month (returns:produce: service managers and performance analysts).
 */

export const REPORT_PAGE_PATHS = {
  list: '/performance/reports',
  generate: '/performance/reports/new',
  download: '/performance/reports/:reportId/download',
  mailbox: '/performance/reports/email',
} as const;

const PAGE_SIZE = 20;

const storeOf = (ctx: { services: { config: { uploadDir: string } } }) =>
  new ReportStore(ctx.services.config.uploadDir);

export const reportsPage = definePage({
  path: REPORT_PAGE_PATHS.list,
  view: 'performance/views/reports.njk',
  access: 'reports:view',
  title: 'Monthly performance reports',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) }),
  load: async (ctx) => {
    const list = await listReports(ctx, { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE });
    return {
      total: list.total,
      reports: list.rows.map((r) => ({
        ...r,
        madeText: formatDateTimeGovUk(r.generatedAt),
        byText: r.trigger === 'schedule' ? 'The monthly schedule' : (r.generatedByName ?? 'The command line'),
        sizeText: `${Math.max(1, Math.round(r.sizeBytes / 1024))} KB`,
        href: pathTo(REPORT_PAGE_PATHS.download, { reportId: r.id }),
      })),
      canGenerate: ctx.user.permissions.has('returns:produce'),
      mailbox: (await reportMailbox(ctx))?.email ?? null,
      mailboxHref: ctx.user.permissions.has('returns:produce') ? REPORT_PAGE_PATHS.mailbox : null,
      generateHref: REPORT_PAGE_PATHS.generate,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, list.total),
      backHref: '/performance',
    };
  },
});

export const generateReportPage = definePage({
  path: REPORT_PAGE_PATHS.generate,
  view: 'performance/views/report-new.njk',
  access: 'returns:produce',
  title: 'Make a monthly performance report',
  drafts: false,
  form: ({ today }) =>
    z.object({
      month: choice(reportMonthChoices(today) as [string, ...string[]], 'Select the month'),
      la: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v) || undefined,
        z.uuid({ message: 'Select a local authority from the list' }).optional(),
      ),
    }),
  load: async (ctx) => {
    const today = isoDateOf(ctx.now);
    const las = await reportAuthorities(ctx);
    const months = reportMonthChoices(today);
    return {
      months: months.map((m) => ({ value: m, text: monthName(m) })),
      authorities: las.length > 1 ? las.map((a) => ({ value: a.id, text: `${a.name} (${a.laCode})` })) : [],
      saved: { month: months[0], la: ctx.user.localAuthorityId ?? '' },
      backHref: REPORT_PAGE_PATHS.list,
    };
  },
  submit: async (ctx, form) => {
    // Someone who works for several authorities chooses one; the form starts on their own.
    const la =
      form.la ??
      ctx.user.localAuthorityId ??
      (ctx.user.localAuthorityIds.length === 1 ? ctx.user.localAuthorityIds[0] : undefined);
    if (!la || !ctx.user.localAuthorityIds.includes(la))
      return { errors: [fieldError('la', 'Select a local authority from the list')] };
    const report = await generateReport(ctx, storeOf(ctx), { month: form.month, localAuthorityId: la });
    ctx.flash(`The performance report for ${monthName(report.month)} has been made`);
    return REPORT_PAGE_PATHS.list;
  },
});

export const reportDownloadPage = definePage({
  path: REPORT_PAGE_PATHS.download,
  view: 'performance/views/reports.njk',
  access: 'reports:view',
  title: 'Monthly performance reports',
  params: z.object({ reportId: z.uuid() }),
  load: async (ctx) => {
    const file = await reportFile(ctx, storeOf(ctx), ctx.params.reportId);
    await ctx.audit({
      action: 'performance-report.downloaded',
      subjectType: 'performance-report',
      subjectId: file.id,
      details: { month: file.month, filename: file.filename },
    });
    return new FileResponse(file.filename, PDF_TYPE, file.data);
  },
});

export const reportMailboxPage = definePage({
  path: REPORT_PAGE_PATHS.mailbox,
  view: 'performance/views/report-mailbox.njk',
  access: 'returns:produce',
  title: 'Email the monthly report',
  drafts: false,
  form: z.object({
    version: recordVersion(0),
    email: optionalEmail(),
  }),
  load: async (ctx) => {
    const mailbox = await reportMailbox(ctx);
    return {
      hasAuthority: !!mailbox,
      saved: { version: String(mailbox?.version ?? 0), email: mailbox?.email ?? '' },
      backHref: REPORT_PAGE_PATHS.list,
    };
  },
  submit: async (ctx, form) => {
    const la = ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0];
    if (!la) return { errors: [fieldError('email', 'You do not work for a local authority')] };
    const { changed } = await saveReportMailbox(ctx, {
      localAuthorityId: la,
      version: form.version,
      email: form.email || null,
    });
    ctx.flash(
      !changed
        ? 'Nothing was changed'
        : form.email
          ? `The monthly report will be emailed to ${form.email}`
          : 'The monthly report will no longer be emailed',
    );
    return REPORT_PAGE_PATHS.list;
  },
});

export const reportPages = [reportsPage, generateReportPage, reportDownloadPage, reportMailboxPage];
