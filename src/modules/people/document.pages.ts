import { z } from 'zod';
import { isoDateOf } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { ALLOWED_TYPES, DocumentStore, formatBytes } from './document-files.ts';
import { documentForm } from './document.schemas.ts';
import {
  DocumentUnavailableError,
  documentForDownload,
  InfectedFileError,
  listDocuments,
  uploadDocument,
} from './document.service.ts';
import { DOCUMENT_UPLOAD_ROUTE } from './document-upload.plugin.ts';
import { refCodeSet } from './person.repository.ts';
import { loadPersonHeader } from './person.service.ts';
import { pageNumber, PAGE_SIZE, personParams, formPageViewed, personPaths } from './pages-common.ts';

export const documentsPage = definePage({
  path: '/people/:personId/documents',
  view: 'people/views/documents.njk',
  access: 'document:read',
  title: 'Documents',
  params: personParams,
  query: z.object({ page: pageNumber }),
  audit: {
    action: 'documents.viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { rows, total } = await listDocuments(ctx, {
      personId: ctx.params.personId,
      page: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
    });
    return {
      person,
      section: 'documents',
      documents: rows.map((d) => ({ ...d, size: formatBytes(d.sizeBytes) })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canUpload: ctx.user.permissions.has('document:upload') && !person.mergedIntoId,
    };
  },
});

export const newDocumentPage = definePage({
  path: DOCUMENT_UPLOAD_ROUTE,
  view: 'people/views/document-new.njk',
  access: 'document:upload',
  title: 'Upload a document',
  params: personParams,
  audit: formPageViewed('child-record.viewed', 'document-new'),
  drafts: false,
  form: ({ today }) => documentForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    return {
      person,
      section: 'documents',
      categories: await refCodeSet(ctx.db, 'document-category', isoDateOf(ctx.now)),
      limit: formatBytes(ctx.services.config.uploadLimitBytes),
      accept: ALLOWED_TYPES.flatMap((t) => t.extensions.map((e) => `.${e}`)).join(','),
      allowedLabels: ALLOWED_TYPES.map((t) => t.label).join(', '),
    };
  },
  submit: async (ctx, form) => {
    try {
      await uploadDocument(
        ctx,
        { personId: ctx.params.personId, ...form },
        new DocumentStore(ctx.services.config.uploadDir),
      );
    } catch (error) {
      // Answered, not rethrown: the transaction commits, keeping the refusal's audit event.
      if (error instanceof InfectedFileError) return { errors: [fieldError(error.field, error.message)] };
      throw error;
    }
    ctx.flash(`Document uploaded: ${form.title}`);
    return personPaths.documents(ctx.params.personId);
  },
});

/** Sends the file (after the access check and checksum comparison); every download is in the audit trail. */
export const documentDownloadPage = definePage({
  path: '/people/:personId/documents/:documentId',
  view: 'people/views/document-unavailable.njk',
  access: 'document:read',
  title: 'This document cannot be opened',
  params: z.object({ personId: z.uuid(), documentId: z.uuid() }),
  load: async (ctx) => {
    let file;
    try {
      file = await documentForDownload(
        ctx,
        { personId: ctx.params.personId, documentId: ctx.params.documentId },
        new DocumentStore(ctx.services.config.uploadDir),
      );
    } catch (error) {
      if (!(error instanceof DocumentUnavailableError)) throw error;
      await ctx.audit({
        action: 'document.integrity-failed',
        subjectType: 'document',
        subjectId: ctx.params.documentId,
        childId: ctx.params.personId,
        details: { reason: error.reason },
      });
      ctx.services.log.error(
        { documentId: ctx.params.documentId, reason: error.reason },
        'stored document failed its integrity check',
      );
      return { title: error.title, reason: error.reason, personId: ctx.params.personId };
    }
    await ctx.audit({
      action: 'document.downloaded',
      subjectType: 'document',
      subjectId: file.documentId,
      childId: ctx.params.personId,
      details: { sizeBytes: file.body.length },
    });
    return new FileResponse(file.filename, file.contentType, file.body);
  },
});

export const documentPages = [documentsPage, newDocumentPage, documentDownloadPage];
