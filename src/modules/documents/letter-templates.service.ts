import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';
import {
  isLetterKind,
  LETTER_KIND_KEYS,
  LETTER_KINDS,
  sampleFieldsFor,
  type LetterKind,
} from './letter-kinds.ts';
import { renderLetter, templateProblems } from './letter-template.ts';
import type { Letterhead } from './letter-pdf.ts';
import {
  detectType,
  formatBytes,
  sha256Of,
  virusScanner,
  type DocumentStore,
  type UploadedFile,
} from '../people/index.ts';

/**
 * Letter templates and the letterhead (documents module). A template is versioned like the forms-as-data templates:
 * saving an edit inserts the next version, and a letter keeps the version it was written from. The read helpers
 * take a database alone.
 */

export interface StoredLetterTemplate {
  id: string;
  kind: LetterKind;
  version: number;
  title: string;
  subject: string;
  body: string;
  notes: string | null;
  createdAt: Date;
}

const COLUMNS = ['id', 'kind', 'version', 'title', 'subject', 'body', 'notes', 'createdAt'] as const;

function stored(row: Omit<StoredLetterTemplate, 'kind'> & { kind: string }): StoredLetterTemplate {
  if (!isLetterKind(row.kind)) throw new NotFoundError();
  return { ...row, kind: row.kind };
}

/** The version new letters of a kind use: the newest. */
export async function currentLetterTemplate(db: Db, kind: LetterKind): Promise<StoredLetterTemplate> {
  const row = await db
    .selectFrom('letterTemplates')
    .select(COLUMNS)
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No letter template for ${kind}`);
  return stored(row);
}

export async function letterTemplateById(db: Db, id: string): Promise<StoredLetterTemplate> {
  const row = await db.selectFrom('letterTemplates').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return stored(row);
}

/** Every kind with its current version (one row per kind: the list is as long as LETTER_KINDS). */
export async function listLetterTemplates(db: Db) {
  const rows = await db
    .selectFrom('letterTemplates')
    .select(['kind', 'title'])
    .select((eb) => [eb.fn.max('version').as('version'), eb.fn.max('createdAt').as('changedAt')])
    .where('kind', 'in', LETTER_KIND_KEYS)
    .groupBy(['kind', 'title'])
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if ((latest.get(r.kind)?.version ?? 0) < r.version) latest.set(r.kind, r);
  return LETTER_KIND_KEYS.filter((k) => latest.has(k)).map((k) => ({
    kind: k,
    label: LETTER_KINDS[k].label,
    title: latest.get(k)!.title,
    version: latest.get(k)!.version,
    changedAt: latest.get(k)!.changedAt,
  }));
}

export interface TemplateEdit {
  kind: LetterKind;
  /** The version the administrator edited: a save against an older one is a conflict. */
  basedOnVersion: number;
  title: string;
  subject: string;
  body: string;
  notes?: string | undefined;
}

/** Field-level problems with an edit (unknown fields, syntax, a render that fails on sample data). */
export function editProblems(input: Pick<TemplateEdit, 'kind' | 'subject' | 'body'>): BusinessRuleError[] {
  const problems: BusinessRuleError[] = [];
  for (const field of ['subject', 'body'] as const) {
    const found = templateProblems(input.kind, input[field]);
    if (found.length) problems.push(new BusinessRuleError(field, found.join('. ')));
  }
  if (!problems.length) {
    try {
      renderLetter(input.kind, input, sampleFieldsFor(input.kind));
    } catch (error) {
      problems.push(
        new BusinessRuleError('body', `The template cannot be filled in: ${(error as Error).message}`),
      );
    }
  }
  return problems;
}

/** Saves an edit as the kind's next version (reference-data:manage); earlier versions stay as they were. */
export async function saveLetterTemplate(
  ctx: ServiceContext,
  input: TemplateEdit,
): Promise<StoredLetterTemplate> {
  requirePermission(ctx.user, 'reference-data:manage');
  const current = await currentLetterTemplate(ctx.db, input.kind);
  const problems = editProblems(input);
  if (problems.length) throw problems[0]!;
  if (current.version !== input.basedOnVersion)
    throw new ConflictError(
      `Someone else saved version ${current.version} of this template while you were editing. Nothing was changed.`,
    );
  const row = await ctx.db
    .insertInto('letterTemplates')
    .values({
      kind: input.kind,
      version: current.version + 1,
      title: input.title,
      subject: input.subject,
      body: input.body,
      notes: input.notes ?? null,
      createdAt: ctx.now,
      createdBy: ctx.user.id,
    })
    .onConflict((oc) => oc.columns(['kind', 'version']).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row)
    throw new ConflictError(
      'Someone else saved a new version of this template at the same time. Nothing was changed.',
    );
  await recordChange(ctx, {
    audit: {
      action: 'letter-template.saved',
      subjectType: 'letter-template',
      subjectId: row.id,
      details: { kind: input.kind, version: row.version },
    },
  });
  return stored(row);
}

// --- Letterhead ---

/** The logo's file, kept in the document store like a document's (storage key, SHA-256 checked on reading). */
export interface LetterLogo {
  storageKey: string;
  contentType: 'image/png' | 'image/jpeg';
  sha256: string;
  sizeBytes: number;
}

export interface LetterSettings extends Omit<Letterhead, 'logo'> {
  localAuthorityId: string;
  logo: LetterLogo | null;
  version: number;
}

/** The largest logo accepted: it is drawn at most 45 mm by 22 mm, so a larger file is only a heavier letter. */
export const LOGO_LIMIT_BYTES = 500 * 1024;

const isLogoType = (t: string | null): t is LetterLogo['contentType'] =>
  t === 'image/png' || t === 'image/jpeg';

/** The authority's letterhead and sign-off; until an administrator saves them, its name and a plain sign-off. */
export async function letterSettings(db: Db, localAuthorityId: string): Promise<LetterSettings> {
  const row = await db
    .selectFrom('letterSettings')
    .select([
      'letterheadName',
      'addressLines',
      'signOff',
      'logoStorageKey',
      'logoContentType',
      'logoSha256',
      'logoSizeBytes',
      'version',
    ])
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  if (row)
    return {
      localAuthorityId,
      name: row.letterheadName,
      addressLines: row.addressLines.split('\n').filter((l) => l.trim() !== ''),
      signOff: row.signOff,
      logo:
        row.logoStorageKey && row.logoSha256 && row.logoSizeBytes && isLogoType(row.logoContentType)
          ? {
              storageKey: row.logoStorageKey,
              contentType: row.logoContentType,
              sha256: row.logoSha256,
              sizeBytes: row.logoSizeBytes,
            }
          : null,
      version: row.version,
    };
  const la = await db
    .selectFrom('localAuthorities')
    .select('name')
    .where('id', '=', localAuthorityId)
    .executeTakeFirst();
  if (!la) throw new NotFoundError();
  return {
    localAuthorityId,
    name: la.name,
    addressLines: [],
    signOff: 'Yours sincerely,',
    logo: null,
    version: 0,
  };
}

/**
 * The letterhead as the PDF draws it: the settings with the logo's bytes read from the store. A logo file that is
 * missing or no longer matches its checksum is left off (the letter is still produced) and `logoProblem` says so.
 */
export async function letterheadFor(
  settings: LetterSettings,
  store: DocumentStore,
): Promise<{ letterhead: Letterhead; logoProblem: 'missing' | 'changed' | null }> {
  const { name, addressLines, signOff } = settings;
  if (!settings.logo) return { letterhead: { name, addressLines, signOff, logo: null }, logoProblem: null };
  let data: Buffer;
  try {
    data = await store.read(settings.logo.storageKey);
  } catch {
    return { letterhead: { name, addressLines, signOff, logo: null }, logoProblem: 'missing' };
  }
  if (sha256Of(data) !== settings.logo.sha256)
    return { letterhead: { name, addressLines, signOff, logo: null }, logoProblem: 'changed' };
  return {
    letterhead: { name, addressLines, signOff, logo: { data, contentType: settings.logo.contentType } },
    logoProblem: null,
  };
}

/** The message for a logo file that cannot be used, or null when it is a PNG or JPEG within the limit. */
export function logoProblem(file: UploadedFile | undefined): string | null {
  if (!file || file.rejected || !file.filename) return 'Select a PNG or JPEG file';
  if (file.tooLarge || file.sizeBytes > LOGO_LIMIT_BYTES)
    return `The logo must be smaller than ${formatBytes(LOGO_LIMIT_BYTES)}`;
  if (file.sizeBytes === 0) return 'The selected file is empty';
  const type = detectType(file.filename, file.head);
  if (!type || !isLogoType(type.contentType)) return 'The logo must be a PNG or JPEG file';
  return null;
}

/** The settings row to change, made with the authority's defaults when none was saved yet. */
async function ensureSettingsRow(ctx: ServiceContext, localAuthorityId: string): Promise<void> {
  const defaults = await letterSettings(ctx.db, localAuthorityId);
  if (defaults.version > 0) return;
  await ctx.db
    .insertInto('letterSettings')
    .values({
      localAuthorityId,
      letterheadName: defaults.name,
      signOff: defaults.signOff,
      updatedAt: ctx.now,
      updatedBy: ctx.user.id,
    })
    .onConflict((oc) => oc.column('localAuthorityId').doNothing())
    .execute();
}

/**
 * Puts the authority's logo on its letters (reference-data:manage): a PNG or JPEG checked by its first bytes, at
 * most LOGO_LIMIT_BYTES, scanned like a document and kept in the document store. The settings' version goes up;
 * an earlier logo's file stays in the store (letters already produced are PDFs and do not need it).
 */
export async function saveLetterLogo(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number; file: UploadedFile | undefined },
  store: DocumentStore,
): Promise<void> {
  requirePermission(ctx.user, 'reference-data:manage');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId)) throw new NotFoundError();
  const problem = logoProblem(input.file);
  if (problem || !input.file?.tempPath)
    throw new BusinessRuleError('logo', problem ?? 'Select a PNG or JPEG file');
  const file = input.file;
  const type = detectType(file.filename, file.head)!;
  const scanner = virusScanner();
  const scan = await scanner.scan(file.tempPath!);
  if (!scan.clean) throw new BusinessRuleError('logo', 'The selected file contains a virus');
  await saveLogoColumns(ctx, input, {
    logoStorageKey: store.newStorageKey(),
    logoContentType: type.contentType,
    logoSha256: file.sha256,
    logoSizeBytes: file.sizeBytes,
  });
  const saved = await ctx.db
    .selectFrom('letterSettings')
    .select('logoStorageKey')
    .where('localAuthorityId', '=', input.localAuthorityId)
    .executeTakeFirstOrThrow();
  await store.keep(file.tempPath!, saved.logoStorageKey!);
}

/** Takes the logo off the letterhead (reference-data:manage). */
export async function removeLetterLogo(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number },
): Promise<void> {
  requirePermission(ctx.user, 'reference-data:manage');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId)) throw new NotFoundError();
  await saveLogoColumns(ctx, input, {
    logoStorageKey: null,
    logoContentType: null,
    logoSha256: null,
    logoSizeBytes: null,
  });
}

async function saveLogoColumns(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number },
  logo: {
    logoStorageKey: string | null;
    logoContentType: string | null;
    logoSha256: string | null;
    logoSizeBytes: number | null;
  },
): Promise<void> {
  if (input.version === 0) await ensureSettingsRow(ctx, input.localAuthorityId);
  const saved = await ctx.db
    .updateTable('letterSettings')
    .set((eb) => ({ ...logo, updatedAt: ctx.now, updatedBy: ctx.user.id, version: eb('version', '+', 1) }))
    .where('localAuthorityId', '=', input.localAuthorityId)
    .where('version', '=', input.version === 0 ? 1 : input.version)
    .returning('version')
    .executeTakeFirst();
  if (!saved)
    throw new ConflictError('Someone else changed the letterhead while you were changing the logo.');
  await recordChange(ctx, {
    audit: {
      action: logo.logoStorageKey ? 'letter-settings.logo-saved' : 'letter-settings.logo-removed',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: {
        version: saved.version,
        contentType: logo.logoContentType,
        sizeBytes: logo.logoSizeBytes,
        sha256: logo.logoSha256,
      },
    },
  });
}

export interface SettingsEdit {
  localAuthorityId: string;
  /** 0 when none were saved yet. */
  version: number;
  name: string;
  addressLines: string;
  signOff: string;
}

/** Saves the letterhead and sign-off (reference-data:manage), checking the version it was loaded at. */
export async function saveLetterSettings(ctx: ServiceContext, input: SettingsEdit): Promise<void> {
  requirePermission(ctx.user, 'reference-data:manage');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId)) throw new NotFoundError();
  const values = {
    letterheadName: input.name,
    addressLines: input.addressLines.replace(/\r\n/g, '\n').trim(),
    signOff: input.signOff.trim(),
    updatedAt: ctx.now,
    updatedBy: ctx.user.id,
  };
  const saved =
    input.version === 0
      ? await ctx.db
          .insertInto('letterSettings')
          .values({ localAuthorityId: input.localAuthorityId, ...values })
          .onConflict((oc) => oc.column('localAuthorityId').doNothing())
          .returning('version')
          .executeTakeFirst()
      : await ctx.db
          .updateTable('letterSettings')
          .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
          .where('localAuthorityId', '=', input.localAuthorityId)
          .where('version', '=', input.version)
          .returning('version')
          .executeTakeFirst();
  if (!saved) throw new ConflictError('Someone else changed the letterhead while you were editing it.');
  await recordChange(ctx, {
    audit: {
      action: 'letter-settings.saved',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: { version: saved.version },
    },
  });
}
