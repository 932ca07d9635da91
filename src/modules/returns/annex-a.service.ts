import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';
import { addCalendarDays, differenceInCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import { annexAList, type AnnexAListNumber } from './annex-a.ts';
import { annexACounts, annexAScope, type AnnexAScope } from './annex-a.rows.ts';
import { writeAnnexACsv, writeAnnexAWorkbook } from './annex-a.writer.ts';

/**
 * Producing Annex A for a window: the workbook, the inspection pack (the workbook with a one-page summary first) or
 * one list as CSV. Needs `returns:produce`. The file is written to a private temporary folder (so memory stays
 * flat), and the download is recorded in the audit trail with who, when, the authority, the window, the format and
 * the rows per list, in the same transaction as the reads.
 */

export const ANNEX_A_FORMATS = ['xlsx', 'pack', 'csv'] as const;
export type AnnexAFormat = (typeof ANNEX_A_FORMATS)[number];

/** The longest window: five years, the history a large authority keeps in Threshold. */
export const MAX_WINDOW_DAYS = 5 * 366;

/** The default window: the six months before today (the day six months ago to today). */
export function defaultAnnexAWindow(today: string): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const month = m - 6 <= 0 ? m + 6 : m - 6;
  const year = m - 6 <= 0 ? y - 1 : y;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const from = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
  return { from: addCalendarDays(from, 1), to: today };
}

export interface AnnexAAuthority {
  id: string;
  name: string;
  laCode: string;
}

/** The authorities the user may produce Annex A for: those they work for, by name. */
export async function annexAAuthorities(
  ctx: Pick<ServiceContext, 'user'> & { db: Db },
): Promise<AnnexAAuthority[]> {
  requirePermission(ctx.user, 'returns:produce');
  if (!ctx.user.localAuthorityIds.length) return [];
  return ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .where('id', 'in', ctx.user.localAuthorityIds)
    .orderBy('name')
    .execute();
}

export interface ProduceAnnexAInput {
  from: string;
  to: string;
  format: AnnexAFormat;
  /** For CSV: which list. */
  list?: AnnexAListNumber;
  /** One of the user's authorities; by default their home authority. */
  localAuthorityId?: string;
}

export interface ProducedFile {
  /** The file on disk (in its own temporary folder, removed by `remove`). */
  path: string;
  filename: string;
  contentType: string;
  rows: number;
  remove: () => Promise<void>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function checkWindow(from: string, to: string): void {
  if (from > to) throw new Error('The window must end on or after its start');
  if (differenceInCalendarDays(from, to) > MAX_WINDOW_DAYS)
    throw new Error('The window is longer than 5 years');
}

async function writeFile(
  db: Db,
  scope: AnnexAScope,
  authority: AnnexAAuthority,
  input: Pick<ProduceAnnexAInput, 'format' | 'list'>,
  producedBy: string,
  producedAt: Date,
  onProgress?: (rows: number) => void,
): Promise<Omit<ProducedFile, 'remove'> & { dir: string; perList: Record<string, number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'threshold-annex-a-'));
  const stem = `annex-a-${authority.laCode}-${scope.from}-to-${scope.to}`;
  try {
    if (input.format === 'csv') {
      const list = annexAList(input.list ?? 1);
      const filename = `${stem}-list-${list.number}.csv`;
      const path = join(dir, filename);
      const n = await writeAnnexACsv(db, scope, list.number, path, { onProgress });
      return {
        dir,
        path,
        filename,
        contentType: 'text/csv; charset=utf-8',
        rows: n,
        perList: { [list.number]: n },
      };
    }
    const filename = input.format === 'pack' ? `inspection-pack-${stem}.xlsx` : `${stem}.xlsx`;
    const path = join(dir, filename);
    const summary =
      input.format === 'pack'
        ? {
            authorityName: authority.name,
            laCode: authority.laCode,
            producedBy,
            producedAt,
            counts: await annexACounts(db, scope),
          }
        : undefined;
    const written = await writeAnnexAWorkbook(db, scope, path, { summary, onProgress });
    const rows = Object.values(written).reduce((a, b) => a + b, 0);
    return { dir, path, filename, contentType: XLSX, rows, perList: written };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Annex A for one of the user's authorities, written to a temporary file and recorded in the audit trail. */
export async function produceAnnexA(ctx: ServiceContext, input: ProduceAnnexAInput): Promise<ProducedFile> {
  requirePermission(ctx.user, 'returns:produce');
  checkWindow(input.from, input.to);
  const authorities = await annexAAuthorities(ctx);
  const wanted = input.localAuthorityId ?? ctx.user.localAuthorityId ?? authorities[0]?.id;
  const authority = authorities.find((a) => a.id === wanted);
  if (!authority) throw new NotFoundError();
  const scope = annexAScope(authority.id, input.from, input.to);
  const file = await writeFile(ctx.db, scope, authority, input, ctx.user.displayName, ctx.now);
  await recordChange(ctx, {
    audit: {
      action: 'annex-a.downloaded',
      subjectType: 'return',
      subjectId: 'annex-a',
      details: {
        format: input.format,
        list: input.format === 'csv' ? (input.list ?? 1) : null,
        from: input.from,
        to: input.to,
        localAuthorityId: authority.id,
        laCode: authority.laCode,
        rows: file.perList,
      },
    },
  });
  return { ...file, remove: () => rm(file.dir, { recursive: true, force: true }) };
}

/** The file's bytes, chunk by chunk, then the temporary folder is removed. */
export async function* fileChunks(file: ProducedFile): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(file.path)) yield chunk as Buffer;
  } finally {
    await file.remove();
  }
}

/**
 * The command line's Annex A (`threshold annex-a`): the same workbook for an authority by its DfE code, written to
 * `out`, and recorded in the audit trail as produced from the command line.
 */
export async function produceAnnexAFromCli(
  db: Kysely<DB>,
  input: {
    laCode: string | null;
    from: string | null;
    to: string | null;
    out: string;
    pack: boolean;
    now: Date;
    onStart?: (totalRows: number) => void;
    onProgress?: (rows: number) => void;
  },
): Promise<{ rows: number; from: string; to: string; authority: AnnexAAuthority }> {
  const authorities = await db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .orderBy('laCode')
    .execute();
  const authority = input.laCode ? authorities.find((a) => a.laCode === input.laCode) : authorities[0];
  if (!authority || (!input.laCode && authorities.length > 1))
    throw new NotFoundError(
      input.laCode
        ? `There is no local authority with the code ${input.laCode}.`
        : `Name the authority with --la-code (${authorities.map((a) => a.laCode).join(', ') || 'none set up'}).`,
    );
  const window = defaultAnnexAWindow(isoDateOf(input.now));
  const from = input.from ?? window.from;
  const to = input.to ?? window.to;
  checkWindow(from, to);
  const scope = annexAScope(authority.id, from, to);
  const counts = await annexACounts(db, scope);
  input.onStart?.(Object.values(counts).reduce((a, b) => a + b, 0));
  const written = await writeAnnexAWorkbook(db, scope, input.out, {
    summary: input.pack
      ? {
          authorityName: authority.name,
          laCode: authority.laCode,
          producedBy: 'the command line',
          producedAt: input.now,
          counts,
        }
      : undefined,
    onProgress: input.onProgress,
  });
  await db.transaction().execute((trx) =>
    recordAuditEvent(trx, {
      actor: { userId: null, label: 'cli' },
      action: 'annex-a.downloaded',
      subjectType: 'return',
      subjectId: 'annex-a',
      childId: null,
      occurredAt: input.now,
      details: {
        format: input.pack ? 'pack' : 'xlsx',
        list: null,
        from,
        to,
        localAuthorityId: authority.id,
        laCode: authority.laCode,
        rows: written,
      },
    }),
  );
  return { rows: Object.values(written).reduce((a, b) => a + b, 0), from, to, authority };
}
