import { requireAccess } from '../../kernel/access/index.ts';
import { ConflictError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import {
  addGeneratedDocument,
  loadPersonHeader,
  parentAndCarerNames,
  type DocumentStore,
} from '../people/index.ts';
import { isLetterKind, LETTER_KINDS, type LetterFields, type LetterKind } from './letter-kinds.ts';
import { letterPdf } from './letter-pdf.ts';
import { findLetterSource, type LetterSource } from './letter-source.ts';
import { renderLetter } from './letter-template.ts';
import { currentLetterTemplate, letterheadFor, letterSettings } from './letter-templates.service.ts';

/**
 * Producing a letter from the page where its event happens (issue 23): the current template of the kind is filled
 * in with the record's facts, the worker edits the text for this family (kept as a draft), then produces the PDF,
 * which is kept on the child's record with the people module's documents. The letter keeps its template's version.
 */

export interface LetterView {
  id: string | null;
  kind: LetterKind;
  kindLabel: string;
  sourceType: string;
  sourceId: string;
  childId: string;
  childName: string;
  interpreterNeeded: boolean;
  templateVersion: number;
  subject: string;
  body: string;
  status: 'new' | 'draft' | 'produced';
  version: number;
  documentId: string | null;
  producedAt: Date | null;
  backPath: string;
  backText: string;
}

interface Prefilled {
  templateId: string;
  templateVersion: number;
  subject: string;
  body: string;
  childId: string;
  childName: string;
  interpreterNeeded: boolean;
  backPath: string;
  backText: string;
}

async function prefill(
  ctx: ReadContext,
  kind: LetterKind,
  sourceType: string,
  sourceId: string,
  sources?: readonly LetterSource[],
): Promise<Prefilled> {
  const source = await findLetterSource(kind, sourceType, sources);
  if (!source) throw new NotFoundError();
  const loaded = await source.load(ctx, sourceId, kind);
  const person = await loadPersonHeader(ctx, loaded.childId, 'write');
  const template = await currentLetterTemplate(ctx.db, kind);
  const settings = await letterSettings(ctx.db, person.row.localAuthorityId);
  const fields: LetterFields = {
    child: {
      firstName: person.knownAs ?? person.givenName,
      fullName: person.name,
      dateOfBirth: person.dateOfBirth ? formatDateGovUk(person.dateOfBirth) : null,
    },
    parentNames: joinNames(await parentAndCarerNames(ctx.db, person.id)),
    worker: { name: ctx.user.displayName },
    authority: { name: settings.name },
    today: formatDateGovUk(isoDateOf(ctx.now)),
    ...loaded.fields,
  };
  const { subject, body } = renderLetter(kind, template, fields);
  return {
    templateId: template.id,
    templateVersion: template.version,
    subject,
    body,
    childId: person.id,
    childName: person.name,
    interpreterNeeded: person.row.interpreterNeeded,
    backPath: loaded.backPath,
    backText: loaded.backText,
  };
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The letter for an event: the one already started (a draft, or the one produced) or a new one filled in from the
 * current template, not yet saved. Needs write access to the child, since producing a letter adds to the record.
 */
export async function letterFor(
  ctx: ReadContext,
  input: { kind: LetterKind; sourceType: string; sourceId: string },
  sources?: readonly LetterSource[],
): Promise<LetterView> {
  requirePermission(ctx.user, 'document:upload');
  const filled = await prefill(ctx, input.kind, input.sourceType, input.sourceId, sources);
  const existing = await ctx.db
    .selectFrom('letters as l')
    .innerJoin('letterTemplates as t', 't.id', 'l.templateId')
    .select([
      'l.id',
      'l.subject',
      'l.body',
      'l.status',
      'l.version',
      'l.documentId',
      'l.producedAt',
      't.version as tv',
    ])
    .where('l.kind', '=', input.kind)
    .where('l.sourceType', '=', input.sourceType)
    .where('l.sourceId', '=', input.sourceId)
    .where('l.personId', '=', filled.childId)
    .orderBy('l.createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    id: existing?.id ?? null,
    kind: input.kind,
    kindLabel: LETTER_KINDS[input.kind].label,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    childId: filled.childId,
    childName: filled.childName,
    interpreterNeeded: filled.interpreterNeeded,
    templateVersion: existing?.tv ?? filled.templateVersion,
    subject: existing?.subject ?? filled.subject,
    body: existing?.body ?? filled.body,
    status: existing ? (existing.status === 'produced' ? 'produced' : 'draft') : 'new',
    version: existing?.version ?? 0,
    documentId: existing?.documentId ?? null,
    producedAt: existing?.producedAt ?? null,
    backPath: filled.backPath,
    backText: filled.backText,
  };
}

export interface LetterEdit {
  kind: LetterKind;
  sourceType: string;
  sourceId: string;
  /** 0 for a letter not saved yet. */
  version: number;
  subject: string;
  body: string;
}

/** Saves the worker's text as the letter's draft (a new letter takes the current template's version). */
export async function saveLetterDraft(
  ctx: ServiceContext,
  input: LetterEdit,
  sources?: readonly LetterSource[],
): Promise<{ id: string; version: number }> {
  const current = await letterFor(ctx, input, sources);
  if (current.status === 'produced')
    throw new ConflictError('This letter has already been produced. Nothing was changed.');
  let saved: { id: string; version: number } | undefined;
  if (current.id === null) {
    if (input.version !== 0) throw new ConflictError('This letter was removed while you were editing it.');
    const template = await currentLetterTemplate(ctx.db, input.kind);
    saved = await ctx.db
      .insertInto('letters')
      .values({
        personId: current.childId,
        kind: input.kind,
        templateId: template.id,
        sourceType: input.sourceType,
        sourceId: input.sourceId,
        subject: input.subject,
        body: input.body,
        createdAt: ctx.now,
        createdBy: ctx.user.id,
        updatedAt: ctx.now,
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
  } else {
    saved = await ctx.db
      .updateTable('letters')
      .set((eb) => ({
        subject: input.subject,
        body: input.body,
        updatedAt: ctx.now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', current.id)
      .where('version', '=', input.version)
      .where('status', '=', 'draft')
      .returning(['id', 'version'])
      .executeTakeFirst();
    if (!saved) throw new ConflictError('Someone else changed this letter while you were editing it.');
  }
  await recordChange(ctx, {
    audit: {
      action: 'letter.draft-saved',
      subjectType: 'letter',
      subjectId: saved.id,
      childId: current.childId,
      details: { kind: input.kind, sourceType: input.sourceType, characters: input.body.length },
    },
  });
  return saved;
}

/**
 * Produces the letter: saves the text, makes the PDF (letterhead, date, body, sign-off) and keeps it on the child's
 * record as a document; audited and on the chronology. A letter is produced once.
 */
export async function produceLetter(
  ctx: ServiceContext,
  input: LetterEdit,
  store: DocumentStore,
  sources?: readonly LetterSource[],
): Promise<{ letterId: string; documentId: string; childId: string }> {
  const draft = await saveLetterDraft(ctx, input, sources);
  const letter = await ctx.db
    .selectFrom('letters as l')
    .innerJoin('letterTemplates as t', 't.id', 'l.templateId')
    .innerJoin('people as p', 'p.id', 'l.personId')
    .select(['l.personId', 'l.subject', 'l.body', 't.version as templateVersion', 'p.localAuthorityId'])
    .where('l.id', '=', draft.id)
    .executeTakeFirstOrThrow();
  const { letterhead } = await letterheadFor(await letterSettings(ctx.db, letter.localAuthorityId), store);
  const pdf = await letterPdf({
    letterhead,
    dateText: formatDateGovUk(isoDateOf(ctx.now)),
    subject: letter.subject,
    body: letter.body,
    signedBy: ctx.user.displayName,
    producedAt: ctx.now,
  });
  const label = LETTER_KINDS[input.kind].label;
  const doc = await addGeneratedDocument(
    ctx,
    {
      personId: letter.personId,
      title: label,
      description: `${label}, from template version ${letter.templateVersion}`,
      filename: `${input.kind}-${isoDateOf(ctx.now)}.pdf`,
      contentType: 'application/pdf',
      content: pdf,
      details: { letterId: draft.id, kind: input.kind, templateVersion: letter.templateVersion },
    },
    store,
  );
  const produced = await ctx.db
    .updateTable('letters')
    .set((eb) => ({
      status: 'produced',
      documentId: doc.id,
      producedAt: ctx.now,
      producedBy: ctx.user.id,
      updatedAt: ctx.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', draft.id)
    .where('version', '=', draft.version)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  if (!produced) throw new ConflictError('Someone else produced this letter at the same time.');
  await recordChange(ctx, {
    audit: {
      action: 'letter.produced',
      subjectType: 'letter',
      subjectId: draft.id,
      childId: letter.personId,
      details: {
        kind: input.kind,
        templateVersion: letter.templateVersion,
        documentId: doc.id,
        sourceType: input.sourceType,
      },
    },
  });
  return { letterId: draft.id, documentId: doc.id, childId: letter.personId };
}

/** The produced letter of a kind for an event, if there is one (e.g. to attach the referrer's letter to an email). */
export async function producedLetter(
  ctx: ReadContext,
  input: { kind: LetterKind; sourceType: string; sourceId: string },
): Promise<{ documentId: string; childId: string } | null> {
  const row = await ctx.db
    .selectFrom('letters')
    .select(['documentId', 'personId'])
    .where('kind', '=', input.kind)
    .where('sourceType', '=', input.sourceType)
    .where('sourceId', '=', input.sourceId)
    .where('status', '=', 'produced')
    .orderBy('producedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.documentId) return null;
  await requireAccess(ctx.db, ctx.user, 'read', [row.personId], ctx.now);
  return { documentId: row.documentId, childId: row.personId };
}

export { isLetterKind };
