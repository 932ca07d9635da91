import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { recordChange, requirePermission, type ServiceContext } from '../../kernel/service/index.ts';
import { formTemplateSchema, type FormTemplate } from '../../kernel/forms-as-data/template.ts';

/**
 * Versioned form templates (forms as data). Modules seed their default templates with a migration
 * (`seedFormTemplate`); an authority publishes its own versions from the administration pages without a
 * release. The newest published version is used for new records; a record keeps the version it started on.
 * The read helpers (currentTemplate, templateById …) need no user or clock and take a database alone.
 */

export interface StoredTemplate {
  id: string;
  key: string;
  version: number;
  template: FormTemplate;
  status: string;
  createdAt: Date;
}

function toStored(row: {
  id: string;
  key: string;
  version: number;
  definition: unknown;
  status: string;
  createdAt: Date;
}): StoredTemplate {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    status: row.status,
    createdAt: row.createdAt,
    template: formTemplateSchema.parse(row.definition),
  };
}

/** The template new records should use: the newest published version of the key. */
export async function currentTemplate(db: Kysely<DB>, key: string): Promise<StoredTemplate> {
  const row = await db
    .selectFrom('formTemplates')
    .select(['id', 'key', 'version', 'definition', 'status', 'createdAt'])
    .where('key', '=', key)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No published form template ${key}`);
  return toStored(row);
}

/** A specific version, by id (what a stored record points at). */
export async function templateById(db: Kysely<DB>, id: string): Promise<StoredTemplate> {
  const row = await db
    .selectFrom('formTemplates')
    .select(['id', 'key', 'version', 'definition', 'status', 'createdAt'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return toStored(row);
}

export async function templateVersion(db: Kysely<DB>, key: string, version: number): Promise<StoredTemplate> {
  const row = await db
    .selectFrom('formTemplates')
    .select(['id', 'key', 'version', 'definition', 'status', 'createdAt'])
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return toStored(row);
}

export async function listTemplates(db: Kysely<DB>) {
  return db
    .selectFrom('formTemplates')
    .select(['id', 'key', 'version', 'title', 'status', 'createdAt', 'notes'])
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
}

/** Used by migrations: inserts version 1 (or a given version) of a default template if it is not there yet. */
export async function seedFormTemplate(db: Kysely<DB>, template: FormTemplate): Promise<void> {
  const checked = formTemplateSchema.parse(template);
  await db
    .insertInto('formTemplates')
    .values({
      key: checked.key,
      version: checked.version,
      title: checked.title,
      definition: JSON.stringify(checked),
      status: 'published',
      notes: 'Default template',
    })
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
    .execute();
}

/** Describes what is wrong with an uploaded definition, in words an administrator can act on. */
export function templateProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join(' → ') + ': ' : ''}${i.message}`)
    .join('; ');
}

/**
 * Publishes a new version of a template from its JSON definition. The key must already exist (modules own the
 * keys they read) and the new version number is the next one; earlier versions stay readable.
 */
export async function publishTemplateVersion(
  ctx: ServiceContext,
  input: { key: string; definitionJson: string; notes?: string | undefined },
): Promise<StoredTemplate> {
  requirePermission(ctx.user, 'reference-data:manage');
  const latest = await ctx.db
    .selectFrom('formTemplates')
    .select(['version'])
    .where('key', '=', input.key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) throw new NotFoundError();
  let raw: unknown;
  try {
    raw = JSON.parse(input.definitionJson);
  } catch (error) {
    throw new BusinessRuleError(
      'definitionJson',
      `The definition is not valid JSON: ${(error as Error).message}`,
    );
  }
  const version = latest.version + 1;
  const candidate = { ...(raw && typeof raw === 'object' ? raw : {}), key: input.key, version };
  const parsed = formTemplateSchema.safeParse(candidate);
  if (!parsed.success)
    throw new BusinessRuleError(
      'definitionJson',
      `The definition is not a valid form template: ${templateProblems(parsed.error)}`,
    );
  const row = await ctx.db
    .insertInto('formTemplates')
    .values({
      key: input.key,
      version,
      title: parsed.data.title,
      definition: JSON.stringify(parsed.data),
      status: 'published',
      notes: input.notes ?? null,
      createdAt: ctx.now,
      createdBy: ctx.user.id,
    })
    .returning(['id', 'key', 'version', 'definition', 'status', 'createdAt'])
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'form-template.published',
      subjectType: 'form-template',
      subjectId: row.id,
      details: { key: input.key, version },
    },
  });
  return toStored(row);
}
