import { z } from 'zod';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import {
  CASE_NOTE_TYPE_HINTS,
  CASE_NOTE_TYPE_LABELS,
  CASE_NOTE_TYPES,
  describeVisit,
  MANAGEMENT_NOTE_PERMISSIONS,
  type CaseNoteType,
} from './case-note.ts';
import { caseNoteForm } from './case-note.schemas.ts';
import { caseNotesFor, recordCaseNote } from './case-note.service.ts';
import { loadPersonHeader } from './person.service.ts';
import {
  pageNumber,
  PAGE_SIZE,
  pagedPersonListAudit,
  personParams,
  formPageViewed,
  personPaths,
} from './pages-common.ts';

export const caseNotesPage = definePage({
  path: '/people/:personId/case-notes',
  view: 'people/views/case-notes.njk',
  access: 'child:read',
  title: 'Case notes',
  params: personParams,
  query: z.object({ page: pageNumber }),
  audit: pagedPersonListAudit('case-notes.viewed'),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { rows, total } = await caseNotesFor(ctx, {
      childId: ctx.params.personId,
      page: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
    });
    return {
      person,
      section: 'case-notes',
      notes: rows.map((n) => ({
        ...n,
        typeLabel: CASE_NOTE_TYPE_LABELS[n.noteType as CaseNoteType] ?? n.noteType,
        visit: describeVisit(n),
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canAdd: ctx.user.permissions.has('case-note:write') && person.isChild && !person.mergedIntoId,
    };
  },
});

export const newCaseNotePage = definePage({
  path: '/people/:personId/case-notes/new',
  view: 'people/views/case-note-new.njk',
  access: 'case-note:write',
  title: 'Add a case note',
  params: personParams,
  // ?type=visit: the early help episode's "Record a visit" opens the form as a visit.
  query: z.object({ type: z.enum(CASE_NOTE_TYPES).optional().catch(undefined) }),
  audit: formPageViewed('child-record.viewed', 'case-note-new'),
  form: ({ today }) => caseNoteForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const isManager = MANAGEMENT_NOTE_PERMISSIONS.some((p) => ctx.user.permissions.has(p));
    return {
      person,
      section: 'case-notes',
      // The usual answer: it happened today.
      defaults: {
        ...dateToParts('occurredOn', isoDateOf(ctx.now)),
        ...(ctx.query.type && ctx.query.type !== 'management-note' ? { noteType: ctx.query.type } : {}),
      },
      types: CASE_NOTE_TYPES.filter((t) => t !== 'management-note' || isManager).map((t) => ({
        value: t,
        text: CASE_NOTE_TYPE_LABELS[t],
        hint: CASE_NOTE_TYPE_HINTS[t],
      })),
    };
  },
  submit: async (ctx, form) => {
    await recordCaseNote(ctx, { childId: ctx.params.personId, ...form });
    ctx.flash('Case note added');
    return personPaths.caseNotes(ctx.params.personId);
  },
});

export const caseNotePages = [caseNotesPage, newCaseNotePage];
