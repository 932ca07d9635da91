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

export interface LetterSettings extends Letterhead {
  localAuthorityId: string;
  version: number;
}

/** The authority's letterhead and sign-off; until an administrator saves them, its name and a plain sign-off. */
export async function letterSettings(db: Db, localAuthorityId: string): Promise<LetterSettings> {
  const row = await db
    .selectFrom('letterSettings')
    .select(['letterheadName', 'addressLines', 'signOff', 'logo', 'logoContentType', 'version'])
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  if (row)
    return {
      localAuthorityId,
      name: row.letterheadName,
      addressLines: row.addressLines.split('\n').filter((l) => l.trim() !== ''),
      signOff: row.signOff,
      logo:
        row.logo && (row.logoContentType === 'image/png' || row.logoContentType === 'image/jpeg')
          ? { data: Buffer.from(row.logo), contentType: row.logoContentType }
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
