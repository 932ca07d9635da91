import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  detectType,
  fileProblem,
  safeFilename,
  sha256Of,
  virusScanner,
  type DocumentStore,
} from './document-files.ts';
import type { DocumentForm } from './document.schemas.ts';
import { isRefCode } from './person.repository.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';

/**
 * The scanner found a virus in an upload: shown against the file field like any refusal, but the caller answers it
 * as a field error rather than letting it roll the transaction back, so the refusal's audit event is kept.
 */
export class InfectedFileError extends BusinessRuleError {
  constructor() {
    super('file', 'The selected file contains a virus');
    this.name = 'InfectedFileError';
  }
}

/**
 * A document whose stored file is missing or no longer matches the checksum taken at upload: it is not sent. A
 * NotFoundError (404) unless the caller shows why, as the download page does, after recording the integrity failure.
 */
export class DocumentUnavailableError extends NotFoundError {
  constructor(
    readonly reason: 'changed' | 'missing',
    readonly title: string,
  ) {
    super('The stored document cannot be opened');
    this.name = 'DocumentUnavailableError';
  }
}

/**
 * Uploads a document to a person's record: write access, 'document:upload', an allowed type within the
 * size limit, and a clean scan. The file is moved into the store as the last step, so a refusal at any
 * point leaves nothing stored (the upload plugin removes the incoming file after the response). A file
 * the scanner refuses is an InfectedFileError, recorded in the audit trail first.
 */
export async function uploadDocument(
  ctx: ServiceContext,
  input: DocumentForm & { personId: string },
  store: DocumentStore,
): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  const { personId } = input;
  requirePermission(user, 'document:upload');
  await requireAccess(trx, user, 'write', [personId], now);
  const person = await trx
    .selectFrom('people')
    .select(['kind', 'mergedIntoId'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  if (person.mergedIntoId) throw new NotFoundError();
  const problem = fileProblem(input.file);
  if (problem || !input.file.tempPath) throw new BusinessRuleError('file', problem ?? 'Select a file');
  if (!(await isRefCode(trx, 'document-category', input.category)))
    throw new BusinessRuleError('category', 'Select what kind of document it is');
  const type = detectType(input.file.filename, input.file.head)!;
  const scanner = virusScanner();
  const scan = await scanner.scan(input.file.tempPath);
  if (!scan.clean) {
    // Kept in the audit trail (the transaction commits); the file itself is deleted after the response.
    await recordChange(ctx, {
      audit: {
        action: 'document.refused',
        subjectType: 'person',
        subjectId: personId,
        childId: personId,
        details: { reason: 'virus', threat: scan.threat, scanner: scanner.name, sha256: input.file.sha256 },
      },
    });
    throw new InfectedFileError();
  }
  const storageKey = store.newStorageKey();
  const row = await trx
    .insertInto('documents')
    .values({
      personId,
      title: input.title,
      category: input.category,
      description: input.description ?? null,
      documentDate: input.documentDate ?? null,
      originalFilename: safeFilename(input.file.filename),
      contentType: type.contentType,
      sizeBytes: input.file.sizeBytes,
      sha256: input.file.sha256,
      storageKey,
      scanResult: scan.scanned ? 'clean' : 'not-scanned',
      scanner: scanner.name,
      uploadedAt: now,
      uploadedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'document.uploaded',
      subjectType: 'document',
      subjectId: row.id,
      childId: personId,
      details: {
        category: input.category,
        sizeBytes: input.file.sizeBytes,
        sha256: input.file.sha256,
        scanner: scanner.name,
      },
    },
    // A document on an adult's record is not part of a child's chronology.
    ...(person.kind === 'child' && {
      chronology: {
        childIds: [personId],
        category: 'document',
        title: `Document added: ${input.title}`,
        summary: input.description ?? null,
        sourceType: 'document',
        sourceId: row.id,
      },
    }),
  });
  await store.keep(input.file.tempPath, storageKey);
  return { id: row.id };
}

export async function listDocuments(
  ctx: ReadContext,
  input: { personId: string; page: { limit: number; offset: number } },
) {
  const { db: trx, user, now } = ctx;
  const { personId, page } = input;
  requirePermission(user, 'document:read');
  await requireAccess(trx, user, 'read', [personId], now);
  const [rows, count] = await Promise.all([
    trx
      .selectFrom('documents as d')
      .leftJoin('users as u', 'u.id', 'd.uploadedBy')
      .leftJoin('refCodes as r', (j) =>
        j.on('r.codeSet', '=', 'document-category').onRef('r.code', '=', 'd.category'),
      )
      .select([
        'd.id',
        'd.title',
        'd.category',
        'r.label as categoryLabel',
        'd.description',
        'd.documentDate',
        'd.originalFilename',
        'd.sizeBytes',
        'd.uploadedAt',
        'd.scanResult',
        'u.displayName as uploadedByName',
      ])
      .where('d.personId', '=', personId)
      .orderBy('d.uploadedAt', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    trx
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('personId', '=', personId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface DocumentDownload {
  filename: string;
  contentType: string;
  body: Buffer;
  documentId: string;
}

/**
 * A document's file for download, after the access check and a checksum comparison: a stored file that
 * no longer matches what was uploaded, or is missing, is not sent (DocumentUnavailableError). The caller records the audit event (downloaded, or
 * the integrity failure) in the same transaction.
 */
export async function documentForDownload(
  ctx: ReadContext,
  input: { personId: string; documentId: string },
  store: DocumentStore,
): Promise<DocumentDownload> {
  const { db: trx, user, now } = ctx;
  const { personId, documentId } = input;
  requirePermission(user, 'document:read');
  await requireAccess(trx, user, 'read', [personId], now);
  const doc = await trx
    .selectFrom('documents')
    .select(['id', 'title', 'originalFilename', 'contentType', 'storageKey', 'sha256'])
    .where('id', '=', documentId)
    .where('personId', '=', personId)
    .executeTakeFirst();
  if (!doc) throw new NotFoundError();
  let body: Buffer;
  try {
    body = await store.read(doc.storageKey);
  } catch {
    throw new DocumentUnavailableError('missing', doc.title);
  }
  if (sha256Of(body) !== doc.sha256) throw new DocumentUnavailableError('changed', doc.title);
  return { filename: doc.originalFilename, contentType: doc.contentType, body, documentId: doc.id };
}

/** A document Threshold produced itself (a letter), to keep on a person's record. */
export interface GeneratedDocument {
  personId: string;
  title: string;
  description: string | null;
  filename: string;
  contentType: 'application/pdf';
  content: Buffer;
  /** What produced it, for the audit trail (e.g. `{ letterId, kind, templateVersion }`). */
  details: Record<string, string | number>;
}

/**
 * Keeps a generated document (a letter) on a person's record: write access and 'document:upload', like an upload.
 * Stored as a letter ('correspondence'), dated today, with who produced it and when; audited as
 * `document.generated` and on the child's chronology. The file is written last, so a refusal stores nothing; a
 * failure after it leaves at most an unreferenced file.
 */
export async function addGeneratedDocument(
  ctx: ServiceContext,
  input: GeneratedDocument,
  store: DocumentStore,
): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'document:upload');
  await requireAccess(trx, user, 'write', [input.personId], now);
  const person = await trx
    .selectFrom('people')
    .select(['kind', 'mergedIntoId'])
    .where('id', '=', input.personId)
    .executeTakeFirstOrThrow();
  if (person.mergedIntoId) throw new NotFoundError();
  const storageKey = store.newStorageKey();
  const sha256 = sha256Of(input.content);
  const row = await trx
    .insertInto('documents')
    .values({
      personId: input.personId,
      title: input.title,
      category: 'correspondence',
      description: input.description,
      documentDate: isoDateOf(now),
      originalFilename: safeFilename(input.filename),
      contentType: input.contentType,
      sizeBytes: input.content.length,
      sha256,
      storageKey,
      scanResult: 'not-scanned',
      scanner: 'threshold-generated',
      uploadedAt: now,
      uploadedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'document.generated',
      subjectType: 'document',
      subjectId: row.id,
      childId: input.personId,
      details: { ...input.details, sizeBytes: input.content.length, sha256 },
    },
    ...(person.kind === 'child' && {
      chronology: {
        childIds: [input.personId],
        category: 'document',
        title: `Letter produced: ${input.title}`,
        summary: input.description,
        sourceType: 'document',
        sourceId: row.id,
      },
    }),
  });
  await store.write(storageKey, input.content);
  return { id: row.id };
}

/**
 * A stored document's file for an email attachment, checked against its checksum (the outbox's delivery reads it
 * when it sends; no user is involved, the worker who queued the email had access).
 */
export async function documentAttachment(
  db: Db,
  store: DocumentStore,
  documentId: string,
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const doc = await db
    .selectFrom('documents')
    .select(['title', 'originalFilename', 'contentType', 'storageKey', 'sha256'])
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (!doc) throw new NotFoundError();
  const content = await store.read(doc.storageKey);
  if (sha256Of(content) !== doc.sha256) throw new DocumentUnavailableError('changed', doc.title);
  return { filename: doc.originalFilename, contentType: doc.contentType, content };
}
