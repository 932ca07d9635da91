import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Permission } from '../../kernel/access/index.ts';
import type { AppServices } from '../../web/app-services.ts';
import { DocumentStore, type UploadedFile } from './document-files.ts';

/**
 * File uploads (multipart/form-data) for the document upload page (and the pages registered with acceptUploadsOn). @fastify/multipart only parses
 * multipart requests, so urlencoded forms are untouched. Files are streamed to disk as they arrive
 * (never held in memory), with the size limit config.uploadLimitBytes; a file that passes the limit is
 * cut off, removed, and reported to the form as too large. Files are only kept for the upload page and a
 * signed-in user allowed to upload; on any other route a file part is read and thrown away. Whatever
 * the page does not keep is deleted when the response has been sent.
 */

export const DOCUMENT_UPLOAD_ROUTE = '/people/:personId/documents/new';

/** The routes whose file parts are kept, each with the permission the signed-in user needs. */
const UPLOAD_ROUTES = new Map<string, Permission>([[DOCUMENT_UPLOAD_ROUTE, 'document:upload']]);

/**
 * Another page that takes a file (the letterhead's logo): its route and the permission needed, registered when its
 * module loads. The page checks the file itself (type by its first bytes, size) as the upload page does.
 */
export function acceptUploadsOn(route: string, permission: Permission): void {
  UPLOAD_ROUTES.set(route, permission);
}

const pending = new WeakMap<FastifyRequest, string[]>();

export const documentUploads = fp(async (app: FastifyInstance, options: { services: AppServices }) => {
  const { config } = options.services;
  const store = new DocumentStore(config.uploadDir);
  // A multipart body without its boundary cannot be read: a 400, before the parser fails with a 500.
  app.addHook('onRequest', async (request) => {
    const type = String(request.headers['content-type'] ?? '');
    if (/^multipart\/form-data/i.test(type) && !/;\s*boundary=\S/i.test(type)) {
      throw Object.assign(new Error('A multipart body needs its boundary'), { statusCode: 400 });
    }
  });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 40, parts: 50, fieldSize: 200_000 },
    async onFile(this: FastifyRequest, part) {
      const permission = this.routeOptions.url ? UPLOAD_ROUTES.get(this.routeOptions.url) : undefined;
      const allowed = !!permission && !!this.user?.permissions.has(permission);
      let value: UploadedFile;
      if (!allowed || !part.filename) {
        for await (const _chunk of part.file) {
          // drain: nothing from this part is kept
        }
        value = {
          kind: 'uploaded-file',
          tempPath: null,
          filename: part.filename ?? '',
          declaredType: part.mimetype,
          sizeBytes: 0,
          sha256: '',
          head: '',
          tooLarge: false,
          limitBytes: config.uploadLimitBytes,
          rejected: !allowed,
        };
      } else {
        value = await store.receive(part.file, {
          filename: part.filename,
          declaredType: part.mimetype,
          limitBytes: config.uploadLimitBytes,
          truncated: () => part.file.truncated,
        });
        if (value.tempPath) pending.set(this, [...(pending.get(this) ?? []), value.tempPath]);
      }
      (part as unknown as { value: UploadedFile }).value = value;
    },
  });
  app.addHook('onResponse', async (request) => {
    const files = pending.get(request);
    if (!files) return;
    pending.delete(request);
    for (const file of files) await store.discard(file).catch(() => undefined);
  });
});
