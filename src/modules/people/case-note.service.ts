import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { instantAt } from '../../kernel/time/index.ts';
import { CASE_NOTE_TYPE_LABELS, describeVisit, MANAGEMENT_NOTE_PERMISSIONS } from './case-note.ts';
import type { CaseNoteForm } from './case-note.schemas.ts';
import { insertCaseNote, listCaseNotes } from './case-note.repository.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Records a case note on a child's record: write access to the record, 'case-note:write', and for a
 * management note a manager's permission. The chronology gets an entry on the day it happened.
 */
export async function recordCaseNote(
  ctx: ServiceContext,
  input: CaseNoteForm & { childId: string },
): Promise<string> {
  const { db: trx, user, now } = ctx;
  const { childId } = input;
  requirePermission(user, 'case-note:write');
  await requireAccess(trx, user, 'write', [childId], now);
  const child = await trx
    .selectFrom('people')
    .select(['kind', 'mergedIntoId'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  if (child.mergedIntoId) throw new NotFoundError();
  if (child.kind !== 'child')
    throw new BusinessRuleError('noteType', 'Case notes are recorded on a child’s record');
  if (
    input.noteType === 'management-note' &&
    !MANAGEMENT_NOTE_PERMISSIONS.some((p) => user.permissions.has(p))
  ) {
    throw new BusinessRuleError(
      'noteType',
      'Only a manager can record a management note: choose another type',
    );
  }
  const id = await insertCaseNote(trx, {
    childId,
    noteType: input.noteType,
    occurredOn: input.occurredOn!,
    title: input.title,
    body: input.body,
    childSeen: input.childSeen ?? null,
    seenAlone: input.seenAlone ?? null,
    bedroomSeen: input.bedroomSeen ?? null,
    childsWords: input.childsWords ?? null,
    significant: input.significant,
    recordedAt: now,
    recordedBy: user.id,
  });
  const visit = describeVisit({
    childSeen: input.childSeen ?? null,
    seenAlone: input.seenAlone ?? null,
    bedroomSeen: input.bedroomSeen ?? null,
  });
  await recordChange(ctx, {
    audit: {
      action: 'case-note.recorded',
      subjectType: 'case-note',
      subjectId: id,
      childId,
      details: { noteType: input.noteType, occurredOn: input.occurredOn ?? null },
    },
    chronology: {
      childIds: [childId],
      occurredAt: instantAt(input.occurredOn!, '12:00'),
      category: input.noteType === 'visit' ? 'visit' : input.noteType === 'meeting' ? 'meeting' : 'case-note',
      title: `${CASE_NOTE_TYPE_LABELS[input.noteType]}: ${input.title}`,
      summary: [visit, input.body.length > 300 ? `${input.body.slice(0, 297)}…` : input.body]
        .filter(Boolean)
        .join('. '),
      significant: input.significant,
      sourceType: 'case-note',
      sourceId: id,
    },
  });
  return id;
}

export async function caseNotesFor(
  ctx: ReadContext,
  input: { childId: string; page: { limit: number; offset: number } },
) {
  requirePermission(ctx.user, 'child:read');
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  return listCaseNotes(ctx.db, input.childId, input.page);
}
