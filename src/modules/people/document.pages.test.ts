import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Agent, appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import { SESSION_COOKIE } from '../identity/session.service.ts';
import * as cheerio from 'cheerio';
import { EICAR_SIGNATURE, eicarTestScanner, noScanner, setVirusScanner } from './document-files.ts';

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-uploads-'));
const t = appForFile({ config: { THRESHOLD_UPLOAD_DIR: uploadDir, UPLOAD_LIMIT_BYTES: '4096' } });
afterAll(() => {
  fs.rmSync(uploadDir, { recursive: true, force: true });
});
afterEach(() => setVirusScanner(noScanner));

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 65), Buffer.from('\n%%EOF\n')]);

/** Posts a multipart form as a browser would (the test Agent only sends urlencoded forms). */
async function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; content: Buffer },
): Promise<TestResponse> {
  const page = await agent.get(url);
  const csrf = page.$('input[name="_csrf"]').attr('value') ?? '';
  const boundary = `----thresholdtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  const field = (name: string, value: string) =>
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  field('_csrf', csrf);
  for (const [k, v] of Object.entries(fields)) field(k, v);
  const f = file ?? { name: '', type: 'application/octet-stream', content: Buffer.alloc(0) };
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
    ),
    f.content,
    Buffer.from('\r\n'),
  );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [
    `${SESSION_COOKIE}=${agent.cookie(SESSION_COOKIE)}`,
    `threshold_csrf=${agent.cookie('threshold_csrf')}`,
  ].join('; ');
  const response = await t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  });
  const isHtml = String(response.headers['content-type'] ?? '').includes('text/html');
  return Object.assign(response, { $: cheerio.load(isHtml ? response.body : '') });
}

const storedFiles = () => {
  const objects = path.join(uploadDir, 'objects');
  if (!fs.existsSync(objects)) return [];
  return fs
    .readdirSync(objects, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
};
const incomingFiles = () =>
  fs.existsSync(path.join(uploadDir, 'incoming')) ? fs.readdirSync(path.join(uploadDir, 'incoming')) : [];
/** The upload plugin removes what the page did not keep once the response has gone. */
const noIncoming = () => vi.waitFor(() => expect(incomingFiles()).toEqual([]));
const errorText = (res: TestResponse) => res.$('#file-error').text();

describe('documents', () => {
  it('uploads a file with a checksum, lists it, downloads it (audited), and adds it to the chronology', async () => {
    const child = await aChild(t.db, { givenName: 'Percy', familyName: 'Upload' });
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/documents/new`);
    expect(form.statusCode).toBe(200);
    expect(form.$('form[enctype]').attr('enctype')).toBe('multipart/form-data');
    const res = await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'School report', category: 'report' },
      { name: 'report.pdf', type: 'application/pdf', content: PDF },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/people/${child.id}/documents`);
    const doc = await t.db
      .selectFrom('documents')
      .selectAll()
      .where('personId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.contentType).toBe('application/pdf');
    expect(doc.scanResult).toBe('not-scanned');
    expect(storedFiles()).toContain(doc.storageKey);
    expect(storedFiles().some((f) => f.includes('report'))).toBe(false);
    await noIncoming();

    const list = await sw.get(`/people/${child.id}/documents`);
    expect(list.$('[data-testid="documents"]').text()).toContain('School report');
    const download = await sw.get(`/people/${child.id}/documents/${doc.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename="report.pdf"');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const audits = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'subjectId'])
      .where('childId', '=', child.id)
      .execute();
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['document.uploaded', 'document.downloaded', 'documents.viewed']),
    );
    const events = await t.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child.id)
      .execute();
    expect(events.map((e) => e.title)).toContain('Document added: School report');
  });

  it('refuses an oversized file with a clear error and stores nothing', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const before = storedFiles().length;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10_000, 66)]);
    const res = await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'Too big', category: 'report' },
      { name: 'big.pdf', type: 'application/pdf', content: big },
    );
    expect(res.statusCode).toBe(400);
    expect(errorText(res)).toContain('The selected file must be smaller than 4 KB');
    expect(res.$('.govuk-error-summary a').attr('href')).toBe('#file');
    expect(res.$('#title').attr('value')).toBe('Too big');
    expect(storedFiles().length).toBe(before);
    await noIncoming();
    expect(
      await t.db.selectFrom('documents').select('id').where('personId', '=', child.id).execute(),
    ).toEqual([]);
  });

  it('refuses a disallowed type, and a file whose content does not match its name', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const exe = await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'Program', category: 'other' },
      { name: 'setup.exe', type: 'application/octet-stream', content: Buffer.from('MZ\x90\x00') },
    );
    expect(exe.statusCode).toBe(400);
    expect(errorText(exe)).toContain('The selected file must be a PDF');
    const fake = await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'Fake', category: 'other' },
      { name: 'letter.pdf', type: 'application/pdf', content: Buffer.from('MZ not a pdf') },
    );
    expect(fake.statusCode).toBe(400);
    expect(errorText(fake)).toContain('The selected file must be a PDF');
    await noIncoming();
  });

  it('asks for a file when none is chosen, and for the other fields', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const res = await postMultipart(sw, `/people/${child.id}/documents/new`, { title: '', category: '' });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .$('.govuk-error-summary a')
        .map((_, a) => res.$(a).attr('href'))
        .get(),
    ).toEqual(['#file', '#title', '#category']);
    expect(errorText(res)).toContain('Select a file');
  });

  it('a file the virus scanner refuses is not stored, and the refusal is audited', async () => {
    setVirusScanner(eicarTestScanner);
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const before = storedFiles().length;
    const res = await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'Test', category: 'other' },
      { name: 'eicar.txt', type: 'text/plain', content: Buffer.from(EICAR_SIGNATURE) },
    );
    expect(res.statusCode).toBe(400);
    expect(errorText(res)).toContain('The selected file contains a virus');
    expect(storedFiles().length).toBe(before);
    await noIncoming();
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', child.id)
      .where('action', '=', 'document.refused')
      .execute();
    expect(audit.length).toBe(1);
  });

  it('cannot upload without write access or the permission, nor download without access', async () => {
    const hidden = await aChild(t.db, { restricted: true });
    const sw = await t.as('social-worker');
    const res = await postMultipart(
      sw,
      `/people/${hidden.id}/documents/new`,
      { title: 'x', category: 'other' },
      { name: 'a.pdf', type: 'application/pdf', content: PDF },
    );
    expect(res.statusCode).toBe(404);
    const child = await aChild(t.db);
    const contact = await t.as('contact-officer');
    expect((await contact.get(`/people/${child.id}/documents/new`)).statusCode).toBe(403);
    await noIncoming();
  });

  it('does not send a stored file that has changed since it was uploaded', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    await postMultipart(
      sw,
      `/people/${child.id}/documents/new`,
      { title: 'Plan', category: 'plan' },
      { name: 'plan.pdf', type: 'application/pdf', content: PDF },
    );
    const doc = await t.db
      .selectFrom('documents')
      .selectAll()
      .where('personId', '=', child.id)
      .executeTakeFirstOrThrow();
    const file = path.join(uploadDir, 'objects', doc.storageKey.slice(0, 2), doc.storageKey);
    fs.appendFileSync(file, 'tampered');
    const res = await sw.get(`/people/${child.id}/documents/${doc.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.$('h1').text()).toBe('This document cannot be opened');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('subjectId', '=', doc.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('document.integrity-failed');
  });

  it('urlencoded forms still work alongside multipart', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people', { name: 'Anyone' });
    expect(res.statusCode).toBe(303);
  });
});
