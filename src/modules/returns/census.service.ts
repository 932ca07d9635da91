import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createGzip, gunzipSync } from 'node:zlib';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { censusRecordBatches, countCensusChildren } from '../social-care/index.ts';
import { censusChildFor, type CensusChild } from './census-scope.ts';
import { CensusReturnTotals, validateCensusChild, type CensusFailure } from './census-validate.ts';
import { censusXmlWriter, type CensusHeader } from './census-xml.ts';
import { CENSUS_YEARS, type CensusYearId } from './census-years.ts';

/**
 * Making the CIN census return: read the record in batches (social care's set-based extraction), turn each child
 * into the return as at the reference date, validate them, write the XML as it goes, then the rules over the whole
 * return. `buildCensusReturn` is the engine (pages and the CLI use it); the services below check the permission
 * (returns:produce), keep each produced file, and audit every file made and downloaded.
 */

export const SOFTWARE_CODE = 'Threshold';
export const RELEASE: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface CensusCounts {
  children: number;
  /** CIN details with a referral in the year (including no further action). */
  referrals: number;
  /** Assessments authorised in the year. */
  assessments: number;
  /** Section 47 enquiries started in the year. */
  section47s: number;
  /** Child protection plans started in the year. */
  cpPlans: number;
}

export interface CensusBuild {
  yearId: CensusYearId;
  counts: CensusCounts;
  failures: CensusFailure[];
  errors: number;
  queries: number;
}

export interface BuildCensusInput {
  yearId: CensusYearId;
  localAuthorityId: string;
  /** Receives the XML, a batch of children at a time (awaited: a slow reader holds the next batch back). */
  out?: (chunk: string) => Promise<void> | void;
  header?: CensusHeader;
  /** Called after each batch with the children done so far and the total. */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
}

function countChild(counts: CensusCounts, c: CensusChild, periodStart: string) {
  counts.children += 1;
  for (const e of c.episodes) {
    if (e.referralDate >= periodStart) counts.referrals += 1;
    counts.assessments += e.assessments.filter((a) => a.authorisedOn && a.authorisedOn >= periodStart).length;
    counts.section47s += e.section47s.filter((s) => s.startDate >= periodStart).length;
    counts.cpPlans += e.cpPlans.filter((p) => p.startDate >= periodStart).length;
  }
}

/** The engine: no permission check and no audit (the callers do both). */
export async function buildCensusReturn(
  db: Db,
  calendar: WorkingDayCalendar,
  input: BuildCensusInput,
): Promise<CensusBuild> {
  const year = CENSUS_YEARS[input.yearId];
  const scope = {
    localAuthorityId: input.localAuthorityId,
    periodStart: year.periodStart,
    referenceDate: year.referenceDate,
  };
  const total = input.onProgress ? await countCensusChildren(db, scope) : 0;
  const context = {
    year,
    dayBeforeYear: calendar.previousWorkingDay(year.periodStart),
    workingDaysBetween: (a: string, b: string) => calendar.workingDaysBetween(a, b),
  };
  const counts: CensusCounts = { children: 0, referrals: 0, assessments: 0, section47s: 0, cpPlans: 0 };
  const failures: CensusFailure[] = [];
  const totals = new CensusReturnTotals(year);
  let pending: string[] = [];
  const writer =
    input.out && input.header ? censusXmlWriter(year, input.header, (chunk) => pending.push(chunk)) : null;
  const flush = async () => {
    if (!input.out || !pending.length) return;
    const text = pending.join('');
    pending = [];
    await input.out(text);
  };
  for await (const batch of censusRecordBatches(db, scope, input.batchSize)) {
    for (const record of batch) {
      const child = censusChildFor(record, year);
      countChild(counts, child, year.periodStart);
      failures.push(...validateCensusChild(child, context), ...totals.add(child));
      writer?.child(child);
    }
    await flush();
    input.onProgress?.(counts.children, total);
  }
  failures.push(...totals.finish(year.referenceDate));
  writer?.end();
  await flush();
  return {
    yearId: input.yearId,
    counts,
    failures,
    errors: failures.filter((f) => f.kind === 'error').length,
    queries: failures.filter((f) => f.kind === 'query').length,
  };
}

export async function laCodeOf(db: Db, localAuthorityId: string): Promise<string> {
  const la = await db
    .selectFrom('localAuthorities')
    .select('laCode')
    .where('id', '=', localAuthorityId)
    .executeTakeFirst();
  if (!la) throw new NotFoundError('local authority');
  return la.laCode;
}

function homeAuthority(ctx: ReadContext): string {
  requirePermission(ctx.user, 'returns:produce');
  if (!ctx.user.localAuthorityId) throw new NotFoundError('local authority');
  return ctx.user.localAuthorityId;
}

/** The validation report for a year, without keeping a file. */
export async function censusValidationReport(ctx: ReadContext, yearId: CensusYearId): Promise<CensusBuild> {
  const localAuthorityId = homeAuthority(ctx);
  return buildCensusReturn(ctx.db, ctx.calendar, { yearId, localAuthorityId });
}

/** This year's counts beside last year's (each as at its own reference date, from today's record). */
export async function censusComparison(
  ctx: ReadContext,
  yearId: CensusYearId,
): Promise<{ previous: CensusYearId | null; counts: CensusCounts | null }> {
  const localAuthorityId = homeAuthority(ctx);
  const previous = CENSUS_YEARS[yearId].previous;
  if (!previous) return { previous: null, counts: null };
  const build = await buildCensusReturn(ctx.db, ctx.calendar, { yearId: previous, localAuthorityId });
  return { previous, counts: build.counts };
}

export interface ProduceCensusInput {
  yearId: CensusYearId;
  /** Required to make a file that has errors; kept with the file and in the audit trail. */
  overrideReason?: string | null;
}

/**
 * Makes the census file for a year and keeps it. Refused (BusinessRuleError on overrideReason) while the return
 * has errors, unless a reason to make it anyway is given. Returns the kept file's id.
 */
export async function produceCensusFile(ctx: ServiceContext, input: ProduceCensusInput): Promise<string> {
  const localAuthorityId = homeAuthority(ctx);
  const year = CENSUS_YEARS[input.yearId];
  const laCode = await laCodeOf(ctx.db, localAuthorityId);
  const last = await ctx.db
    .selectFrom('censusReturns')
    .select((eb) => eb.fn.max('serialNo').as('serial'))
    .where('localAuthorityId', '=', localAuthorityId)
    .where('year', '=', year.id)
    .executeTakeFirst();
  const serialNo = (last?.serial ?? 0) + 1;
  const gzip = createGzip();
  const compressed: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
  const hash = createHash('sha256');
  let size = 0;
  const build = await buildCensusReturn(ctx.db, ctx.calendar, {
    yearId: input.yearId,
    localAuthorityId,
    header: { laCode, softwareCode: SOFTWARE_CODE, release: RELEASE, serialNo, dateTime: ctx.now },
    out: async (text) => {
      hash.update(text);
      size += Buffer.byteLength(text);
      if (!gzip.write(text)) await new Promise((resolve) => gzip.once('drain', resolve));
    },
  });
  await new Promise<void>((resolve, reject) => {
    gzip.once('end', resolve);
    gzip.once('error', reject);
    gzip.end();
  });
  const reason = input.overrideReason?.trim() || null;
  if (build.errors > 0 && !reason)
    throw new BusinessRuleError(
      'overrideReason',
      `The return has ${build.errors} ${build.errors === 1 ? 'error' : 'errors'}: fix them, or give the reason to make the file anyway`,
    );
  const fileName = `CIN_${laCode}_${year.id}_${String(serialNo).padStart(3, '0')}.xml`;
  const row = await ctx.db
    .insertInto('censusReturns')
    .values({
      localAuthorityId,
      year: year.id,
      serialNo,
      referenceDate: year.referenceDate,
      producedAt: ctx.now,
      producedBy: ctx.user.id,
      children: build.counts.children,
      counts: JSON.stringify(build.counts),
      errors: build.errors,
      queries: build.queries,
      overrideReason: build.errors > 0 ? reason : null,
      fileName,
      content: Buffer.concat(compressed),
      contentSha256: hash.digest('hex'),
      sizeBytes: size,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new ConflictError('Another census file was made at the same moment: make it again');
  await recordChange(ctx, {
    audit: {
      action: build.errors > 0 ? 'census-return.produced-with-errors' : 'census-return.produced',
      subjectType: 'census-return',
      subjectId: row.id,
      details: {
        year: year.id,
        serialNo,
        children: build.counts.children,
        errors: build.errors,
        queries: build.queries,
        overrideReason: build.errors > 0 ? reason : null,
      },
    },
  });
  return row.id;
}

export interface CensusFileSummary {
  id: string;
  year: string;
  serialNo: number;
  fileName: string;
  producedAt: Date;
  producedByName: string;
  counts: CensusCounts;
  errors: number;
  queries: number;
  overrideReason: string | null;
  sizeBytes: number;
  contentSha256: string;
}

/** Every census file made for the user's authority, newest first. */
export async function listCensusFiles(ctx: ReadContext): Promise<CensusFileSummary[]> {
  const localAuthorityId = homeAuthority(ctx);
  const rows = await ctx.db
    .selectFrom('censusReturns as r')
    .innerJoin('users as u', 'u.id', 'r.producedBy')
    .select([
      'r.id',
      'r.year',
      'r.serialNo',
      'r.fileName',
      'r.producedAt',
      'u.displayName as producedByName',
      'r.counts',
      'r.errors',
      'r.queries',
      'r.overrideReason',
      'r.sizeBytes',
      'r.contentSha256',
    ])
    .where('r.localAuthorityId', '=', localAuthorityId)
    .orderBy('r.producedAt', 'desc')
    .orderBy('r.serialNo', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...r, counts: r.counts as unknown as CensusCounts }));
}

/** A kept census file, to download (the download is audited). */
export async function downloadCensusFile(
  ctx: ServiceContext,
  id: string,
): Promise<{ fileName: string; xml: Buffer }> {
  const localAuthorityId = homeAuthority(ctx);
  const row = await ctx.db
    .selectFrom('censusReturns')
    .select(['id', 'fileName', 'content', 'year', 'serialNo'])
    .where('id', '=', id)
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('census file');
  await recordChange(ctx, {
    audit: {
      action: 'census-return.downloaded',
      subjectType: 'census-return',
      subjectId: row.id,
      details: { year: row.year, serialNo: row.serialNo, fileName: row.fileName },
    },
  });
  return { fileName: row.fileName, xml: gunzipSync(row.content) };
}
