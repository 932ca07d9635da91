import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appForFile, type Agent, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import { anAgreedPlan, anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { postMultipart } from '../../../test/builders/pages.ts';
import { documentAttachment, DocumentStore } from '../people/index.ts';

/**
 * Letters (issue 23): the links to produce a letter where its event happens, shown only to those who may add it to
 * the child's documents; the letterhead's logo, uploaded (a PNG or JPEG within the limit, checked by its first
 * bytes) and drawn at the top of the next letter.
 */

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-logo-'));
const t = appForFile({ config: { THRESHOLD_UPLOAD_DIR: uploadDir } });
afterAll(() => fs.rmSync(uploadDir, { recursive: true, force: true }));
const { forAxe, capture } = axeCapture();

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Posts the logo form as a browser would. */
const postLogo = (
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: { name: string; type: string; content: Buffer },
) => postMultipart(t.app, agent, url, fields, { field: 'logo', ...file });

const links = (page: TestResponse) =>
  page
    .$('[data-testid="letter-links"] a')
    .map((_, a) => page.$(a).attr('href'))
    .get();

describe('letters where the event happens', () => {
  it('shows the links to produce letters only to those who may add documents', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Lina', familyName: 'Links' } });
    const { planId } = await aCpPlan(t.db, episodeId);
    const url = `/social-care/cp-plans/${planId}`;
    const sw = await t.as('social-worker');
    const page = await sw.get(url);
    expect(page.statusCode).toBe(200);
    expect(links(page)).toEqual([
      `/letters/cp-plan-family/cp-plan/${planId}`,
      `/letters/child-friendly-plan/cp-plan/${planId}`,
      `/letters/core-group-invitation/cp-plan/${planId}`,
      `/letters/conference-invitation/cp-plan/${planId}`,
    ]);
    capture('cp-plan', 'social-worker', url, page);
    const qa = await (await t.as('qa-officer')).get(url);
    expect(qa.statusCode).toBe(200);
    expect(qa.$('[data-testid="letter-links"]').length).toBe(0);

    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    await anAgreedPlan(t.db, episode.id, { now: t.clock.now() });
    const planUrl = `/early-help/episodes/${episode.id}/plan`;
    const ehp = await (await t.as('early-help-practitioner')).get(planUrl);
    expect(links(ehp).map((h) => h?.split('/').slice(2, 4).join('/'))).toEqual([
      'early-help-plan-family/eh-plan',
      'child-friendly-plan/eh-plan',
    ]);
    capture('eh-plan', 'early-help-practitioner', planUrl, ehp);
    const psw = await (await t.as('principal-social-worker')).get(planUrl);
    expect(psw.statusCode).toBe(200);
    expect(psw.$('[data-testid="letter-links"]').length).toBe(0);
  });

  it('takes a PNG logo for the letterhead and draws it in the next letter; refuses a wrong type or a large file', async () => {
    const admin = await t.as('system-administrator');
    const url = '/admin/letter-settings';
    const notPng = await postLogo(
      admin,
      url,
      { action: 'logo', version: '0' },
      { name: 'logo.png', type: 'image/png', content: Buffer.from('GIF89a not really a png') },
    );
    expect(notPng.statusCode).toBe(400);
    expect(notPng.$('#logo-error').text()).toContain('The logo must be a PNG or JPEG file');
    expect(notPng.$('#name').val()).toBe('Richmond upon Thames');
    capture('logo-error', 'system-administrator', url, notPng);
    const large = await postLogo(
      admin,
      url,
      { action: 'logo', version: '0' },
      { name: 'logo.png', type: 'image/png', content: Buffer.concat([PNG, Buffer.alloc(600 * 1024)]) },
    );
    expect(large.statusCode).toBe(400);
    expect(large.$('#logo-error').text()).toContain('The logo must be smaller than 500 KB');

    const saved = await postLogo(
      admin,
      url,
      { action: 'logo', version: '0' },
      { name: 'crest.png', type: 'image/png', content: PNG },
    );
    expect(saved.statusCode).toBe(303);
    const settings = await admin.get(url);
    expect(settings.$('[data-testid="letter-logo"]').text()).toContain('PNG');
    capture('logo', 'system-administrator', url, settings);
    const row = await t.db
      .selectFrom('letterSettings')
      .select(['logoStorageKey', 'logoContentType', 'version'])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ logoContentType: 'image/png', version: 2 });

    // The next letter has the logo at the top: an image in the PDF.
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Logo', familyName: 'Letter' } });
    const { planId } = await aCpPlan(t.db, episodeId);
    const sw = await t.as('social-worker');
    const href = `/letters/cp-plan-family/cp-plan/${planId}`;
    const form = await sw.get(href);
    expect(form.statusCode).toBe(200);
    const produced = await sw.post(href, {
      version: '0',
      subject: String(form.$('#subject').val()),
      body: form.$('#body').text(),
      action: 'produce',
    });
    expect(produced.statusCode).toBe(303);
    const letter = await t.db
      .selectFrom('letters')
      .select('documentId')
      .where('sourceId', '=', planId)
      .executeTakeFirstOrThrow();
    const pdf = await documentAttachment(t.db, new DocumentStore(uploadDir), letter.documentId!);
    expect(pdf.content.toString('latin1')).toContain('/Subtype /Image');
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
