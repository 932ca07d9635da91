import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent, type AuditActor } from '../../kernel/audit-trail/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  scheduleRepeating,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { yearText } from './comparison.ts';
import { comparisonOf } from './comparison.service.ts';
import { queueReportEmail } from './report-mailbox.service.ts';
import { figureOf, MEASURE_IDS, MEASURES } from './measures.ts';
import {
  measureCountsForScopes,
  workingDayTable,
  workingDayTables,
  type MeasureScope,
} from './measures.repository.ts';
import { PATHWAY_STAGE_IDS, PATHWAY_STAGES, stageFigures } from './pathway.ts';
import { pathwayCounts } from './pathway.repository.ts';
import { PATHWAY_HISTORY_DAYS } from './pathway.service.ts';
import {
  comparisonMonths,
  monthName,
  monthPeriod,
  renderReportPdf,
  scheduledMonthDue,
  type ReportContent,
  type ReportStage,
} from './report.ts';

/**
 * The monthly performance report (docs/adr/0010-performance-report.md): its content read from the measures layer
 * (the same queries as the performance pages, so every figure agrees), the PDF kept under the upload folder at a
 * random storage key with its SHA-256, a row in performance_reports, and an audit event. Made on demand
 * (returns:produce: service managers and performance analysts), by `threshold performance-report`, or by the
 * schedule: on the first working day of a month, the month before, once per authority however many processes try.
 */

export const REPORT_SCHEDULE_ACTOR: AuditActor = { userId: null, label: 'system:performance-report' };
export const REPORT_COMMAND_ACTOR: AuditActor = { userId: null, label: 'system:command-line' };
export const PDF_TYPE = 'application/pdf';

/** Where report files are kept: `<upload folder>/reports/<2 hex>/<storage key>`, never served statically. */
export class ReportStore {
  readonly root: string;
  constructor(uploadDir: string) {
    this.root = path.join(uploadDir, 'reports');
  }

  pathOf(storageKey: string): string {
    if (!/^[0-9a-f]{32}$/.test(storageKey)) throw new Error('Not a storage key');
    return path.join(this.root, storageKey.slice(0, 2), storageKey);
  }

  async write(data: Buffer): Promise<{ storageKey: string; sha256: string; sizeBytes: number }> {
    const storageKey = randomUUID().replace(/-/g, '');
    const target = this.pathOf(storageKey);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fs.promises.writeFile(target, data, { mode: 0o600 });
    return { storageKey, sha256: sha256Of(data), sizeBytes: data.length };
  }

  /** The file's bytes, refused when they no longer match the checksum kept with it. */
  async read(storageKey: string, sha256: string): Promise<Buffer> {
    const data = await fs.promises.readFile(this.pathOf(storageKey));
    if (sha256Of(data) !== sha256) throw new Error('The report file does not match its checksum');
    return data;
  }

  /** A kept report's bytes by its id (the command line's --out). */
  async readReport(db: Db, id: string): Promise<{ data: Buffer }> {
    const row = await db
      .selectFrom('performanceReports')
      .select(['storageKey', 'sha256'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { data: await this.read(row.storageKey, row.sha256) };
  }

  async remove(storageKey: string): Promise<void> {
    await fs.promises.rm(this.pathOf(storageKey), { force: true });
  }
}

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const scopeOf = (localAuthorityId: string, month: string): MeasureScope => ({
  localAuthorityIds: [localAuthorityId],
  teamId: null,
  ...monthPeriod(month),
});

/**
 * Everything the report says for one authority and month, from the measures layer (no child named). `signal`: the
 * schedule's, checked before each figure, so an app shutting down does not wait for the whole report.
 */
export async function reportContent(
  db: Db,
  calendar: WorkingDayCalendar,
  authority: { id: string; name: string },
  month: string,
  generatedAt: Date,
  signal?: AbortSignal,
): Promise<ReportContent> {
  const { previousMonth, previousYear } = comparisonMonths(month);
  const scope = scopeOf(authority.id, month);
  const set = await comparisonOf(db, authority.id);
  // The month, the month before and the same month a year before: one statement per measure for the three, and
  // one walk of the calendar for their working-day tables.
  const scopes = [scope, scopeOf(authority.id, previousMonth), scopeOf(authority.id, previousYear)];
  const tables = workingDayTables(calendar, scopes);
  const measures = [];
  for (const id of MEASURE_IDS) {
    signal?.throwIfAborted();
    const [figure, before, yearBefore] = (await measureCountsForScopes(db, id, scopes, tables)).map((c) =>
      figureOf(MEASURES[id], c),
    );
    measures.push({
      comparison: set?.figures[id]
        ? {
            england: set.figures[id].england,
            neighbours: set.figures[id].neighbours,
            year: yearText(set.year),
          }
        : null,
      measure: MEASURES[id],
      figure: figure!,
      previousMonth: before!,
      previousYear: yearBefore!,
    });
  }
  const table = workingDayTable(calendar, scope, PATHWAY_HISTORY_DAYS);
  const pathway: ReportStage[] = [];
  for (const id of PATHWAY_STAGE_IDS) {
    signal?.throwIfAborted();
    const stage = PATHWAY_STAGES[id];
    const { all } = stageFigures(stage, [month], await pathwayCounts(db, id, scope, table));
    pathway.push({
      stage,
      total: all.total,
      conversion: stage.conversion
        ? { title: stage.conversion.title, counted: all.counted, total: all.total, percent: all.percent }
        : null,
      median: stage.time ? { title: stage.time.title, days: all.median } : null,
    });
  }
  return { authorityName: authority.name, month, generatedAt, measures, pathway };
}

const filenameOf = (laCode: string, month: string) => `performance-report-${laCode}-${month}.pdf`;

async function authority(db: Db, id: string) {
  const la = await db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!la) throw new NotFoundError('No such local authority');
  return la;
}

/** Makes the PDF and keeps it; the caller records the row. */
async function makeFile(
  db: Db,
  calendar: WorkingDayCalendar,
  store: ReportStore,
  la: { id: string; name: string },
  month: string,
  now: Date,
  signal?: AbortSignal,
) {
  const pdf = await renderReportPdf(await reportContent(db, calendar, la, month, now, signal));
  return { file: await store.write(pdf), pdf };
}

export interface GeneratedReport {
  id: string;
  month: string;
  filename: string;
}

/**
 * A report made on demand for a chosen month (returns:produce), for one of the user's authorities: kept and listed
 * beside the scheduled ones, recorded in the audit trail.
 */
export async function generateReport(
  ctx: ServiceContext,
  store: ReportStore,
  input: { month: string; localAuthorityId: string },
): Promise<GeneratedReport> {
  requirePermission(ctx.user, 'returns:produce');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId))
    throw new NotFoundError('No such local authority');
  const la = await authority(ctx.db, input.localAuthorityId);
  return insertOnDemand(ctx.db, ctx.calendar, store, la, input.month, ctx.now, ctx.user.id, async (report) =>
    recordChange(ctx, { audit: generatedAudit(report, la.id, 'on-demand') }),
  );
}

/** The same from the command line (no user: the system actor). */
export async function generateReportFromCommand(
  db: Kysely<DB>,
  calendar: WorkingDayCalendar,
  store: ReportStore,
  input: { month: string; laCode: string | null; now: Date },
): Promise<GeneratedReport & { authorityName: string }> {
  let q = db.selectFrom('localAuthorities').select(['id', 'name', 'laCode']);
  if (input.laCode) q = q.where('laCode', '=', input.laCode);
  const las = await q.execute();
  if (las.length !== 1)
    throw new NotFoundError(
      las.length ? 'More than one authority: choose one with --la-code' : 'No such local authority',
    );
  const la = las[0]!;
  return db.transaction().execute(async (trx) => ({
    ...(await insertOnDemand(trx, calendar, store, la, input.month, input.now, null, async (report) => {
      await recordAuditEvent(trx, {
        actor: REPORT_COMMAND_ACTOR,
        occurredAt: input.now,
        ...generatedAudit(report, la.id, 'on-demand'),
      });
    })),
    authorityName: la.name,
  }));
}

async function insertOnDemand(
  db: Db,
  calendar: WorkingDayCalendar,
  store: ReportStore,
  la: { id: string; name: string; laCode: string },
  month: string,
  now: Date,
  userId: string | null,
  audit: (report: GeneratedReport) => Promise<void>,
): Promise<GeneratedReport> {
  const { file } = await makeFile(db, calendar, store, la, month, now);
  try {
    const filename = filenameOf(la.laCode, month);
    const row = await db
      .insertInto('performanceReports')
      .values({
        localAuthorityId: la.id,
        month,
        trigger: 'on-demand',
        scheduleKey: null,
        ...file,
        filename,
        generatedAt: now,
        generatedBy: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const report = { id: row.id, month, filename };
    await audit(report);
    return report;
  } catch (error) {
    await store.remove(file.storageKey);
    throw error;
  }
}

function generatedAudit(
  report: GeneratedReport,
  localAuthorityId: string,
  trigger: 'schedule' | 'on-demand',
) {
  return {
    action: 'performance-report.generated',
    subjectType: 'performance-report',
    subjectId: report.id,
    details: { month: report.month, localAuthorityId, trigger, filename: report.filename },
  };
}

export interface ScheduleResult {
  /** The month due (null before the first working day of this month). */
  month: string | null;
  generated: number;
  /** Authorities whose report for the month was already made (by another process, or an earlier run). */
  already: number;
  /** Reports queued to a leadership mailbox (the email outbox sends them). */
  emailed: number;
}

/**
 * The schedule: from the first working day of a month, the report for the month before, once for each authority.
 * Safe with several processes: a report already made is skipped, and when two make one at the same time the
 * unique schedule_key lets one insert win (`on conflict do nothing`); the other removes the file it wrote.
 * `signal` (the schedule's, aborted when the app shuts down) stops it before the next figure of a report: a report
 * not finished is neither kept nor recorded, and the next run (e.g. the next start's first check) makes it.
 */
export async function generateScheduledReports(
  db: Kysely<DB>,
  calendar: WorkingDayCalendar,
  store: ReportStore,
  now: Date,
  signal?: AbortSignal,
): Promise<ScheduleResult> {
  const month = scheduledMonthDue(isoDateOf(now), calendar);
  if (!month) return { month: null, generated: 0, already: 0, emailed: 0 };
  const las = await db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .orderBy('name')
    .execute();
  let generated = 0;
  let already = 0;
  let emailed = 0;
  for (const la of las) {
    const scheduleKey = `${la.id}:${month}`;
    const existing = await db
      .selectFrom('performanceReports')
      .select('id')
      .where('scheduleKey', '=', scheduleKey)
      .executeTakeFirst();
    if (existing) {
      already += 1;
      continue;
    }
    const { file, pdf } = await makeFile(db, calendar, store, la, month, now, signal);
    const filename = filenameOf(la.laCode, month);
    const won = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('performanceReports')
        .values({
          localAuthorityId: la.id,
          month,
          trigger: 'schedule',
          scheduleKey,
          ...file,
          filename,
          generatedAt: now,
          generatedBy: null,
        })
        .onConflict((oc) => oc.column('scheduleKey').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await recordAuditEvent(trx, {
        actor: REPORT_SCHEDULE_ACTOR,
        occurredAt: now,
        ...generatedAudit({ id: row.id, month, filename }, la.id, 'schedule'),
      });
      // The leadership mailbox gets the report once (the outbox sends and retries it).
      if (await queueReportEmail(trx, { localAuthority: la, month, filename, pdf, now })) emailed += 1;
      return true;
    });
    if (won) generated += 1;
    else {
      already += 1;
      await store.remove(file.storageKey);
    }
  }
  return { month, generated, already, emailed };
}

const FIRST_CHECK_MS = 30_000;

/**
 * Checks whether a report is due 30 seconds after start-up and then every `minutes` until stopped; errors are
 * logged, never thrown. Returns the stop function, which cancels a run in progress before its next figure and waits
 * for it.
 */
export function scheduleMonthlyReports(options: {
  db: Kysely<DB>;
  calendar: WorkingDayCalendar;
  store: ReportStore;
  minutes: number;
  now: () => Date;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}): () => Promise<void> {
  // A first check soon after start-up: a report missed while the app was down is made without waiting an interval.
  return scheduleRepeating({
    minutes: options.minutes,
    firstAfterMs: FIRST_CHECK_MS,
    run: async (signal) => {
      const r = await generateScheduledReports(
        options.db,
        options.calendar,
        options.store,
        options.now(),
        signal,
      );
      if (r.generated) options.log.info(r, 'monthly performance reports made');
    },
    onError: (err) => options.log.error({ err }, 'the monthly performance report failed'),
  });
}

/** The authorities the user may make a report for (returns:produce). */
export async function reportAuthorities(ctx: ReadContext) {
  requirePermission(ctx.user, 'returns:produce');
  const las = [...ctx.user.localAuthorityIds];
  if (!las.length) return [];
  return ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .where('id', 'in', las)
    .orderBy('name')
    .execute();
}

export interface ReportListItem {
  id: string;
  month: string;
  monthText: string;
  authorityName: string;
  trigger: string;
  generatedAt: Date;
  generatedByName: string | null;
  sizeBytes: number;
}

/** The reports of the user's authorities, the most recent month first, a page at a time (reports:view). */
export async function listReports(
  ctx: ReadContext,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: ReportListItem[] }> {
  requirePermission(ctx.user, 'reports:view');
  const las = [...ctx.user.localAuthorityIds];
  if (!las.length) return { total: 0, rows: [] };
  const base = ctx.db.selectFrom('performanceReports as r').where('r.localAuthorityId', 'in', las);
  const { n } = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('localAuthorities as la', 'la.id', 'r.localAuthorityId')
    .leftJoin('users as u', 'u.id', 'r.generatedBy')
    .select([
      'r.id',
      'r.month',
      'r.trigger',
      'r.generatedAt',
      'r.sizeBytes',
      'la.name as authorityName',
      'u.displayName as generatedByName',
    ])
    .orderBy('r.month', 'desc')
    .orderBy('r.generatedAt', 'desc')
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(n),
    rows: rows.map((r) => ({ ...r, monthText: monthName(r.month) })),
  };
}

/** A report's file, for one of the user's authorities (reports:view); the caller records the download. */
export async function reportFile(
  ctx: ReadContext,
  store: ReportStore,
  id: string,
): Promise<{ id: string; month: string; filename: string; data: Buffer }> {
  requirePermission(ctx.user, 'reports:view');
  const las = [...ctx.user.localAuthorityIds];
  const row = las.length
    ? await ctx.db
        .selectFrom('performanceReports')
        .select(['id', 'month', 'filename', 'storageKey', 'sha256'])
        .where('id', '=', id)
        .where('localAuthorityId', 'in', las)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('No such report');
  return {
    id: row.id,
    month: row.month,
    filename: row.filename,
    data: await store.read(row.storageKey, row.sha256),
  };
}
