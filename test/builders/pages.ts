import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../src/modules/identity/session.service.ts';
import type { Agent, TestResponse } from '../support/test-app.ts';

/**
 * What a pages test reads back from a GOV.UK page, written once:
 *
 *   expect(summaryLinks(res)).toEqual(['#reason Describe what has happened …']);
 *   expect(errorHrefs(res)).toEqual(['#workerId', '#startedOn-day']);
 */

type Page = { $: CheerioAPI };

/** The GOV.UK error summary's links, as 'href text'. */
export const summaryLinks = (res: Page): string[] =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => `${res.$(a).attr('href')} ${res.$(a).text().trim()}`)
    .get();

/** The GOV.UK error summary's links' targets (the fields in error, in order). */
export const errorHrefs = (res: Page): (string | undefined)[] =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();

/** The text of the elements a selector picks, with white space collapsed. */
export const textOf = (res: Page, selector: string): string =>
  res.$(selector).text().replace(/\s+/g, ' ').trim();

/** The success (or important) notification banner's text. */
export const banner = (res: Page): string => textOf(res, '.govuk-notification-banner');

/** A GOV.UK date input's three fields, as a form posts them: dateFields('heldOn', '2026-11-03'). */
export const dateFields = (name: string, iso: string): Record<string, string> => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

/** An autosaved form as a browser would send it: every text field, textarea and checked choice as shown. */
export function autosaveFormOf(res: Page): Record<string, string> {
  const body: Record<string, string> = {};
  res.$('form[data-autosave] input[type="text"], form[data-autosave] input[type="hidden"]').each((_, el) => {
    const name = res.$(el).attr('name');
    if (name && name !== '_csrf') body[name] = res.$(el).attr('value') ?? '';
  });
  res.$('form[data-autosave] textarea').each((_, el) => {
    body[res.$(el).attr('name')!] = res.$(el).text();
  });
  res.$('form[data-autosave] input:checked').each((_, el) => {
    body[res.$(el).attr('name')!] = res.$(el).attr('value')!;
  });
  return body;
}

/**
 * Posts a form with one file as a browser does (multipart/form-data): the test Agent itself only sends urlencoded
 * forms. The CSRF token comes from the form page at `url`.
 */
export async function postMultipart(
  app: FastifyInstance,
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: { field: string; name: string; type: string; content: Buffer },
): Promise<TestResponse> {
  const page = await agent.get(url);
  const csrf = page.$('input[name="_csrf"]').attr('value') ?? '';
  const boundary = `----thresholdtest${Math.random().toString(16).slice(2)}`;
  const part = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const chunks: Buffer[] = [part('_csrf', csrf), ...Object.entries(fields).map(([k, v]) => part(k, v))];
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const cookie = [
    `${SESSION_COOKIE}=${agent.cookie(SESSION_COOKIE)}`,
    `threshold_csrf=${agent.cookie('threshold_csrf')}`,
  ].join('; ');
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  });
  const isHtml = String(response.headers['content-type'] ?? '').includes('text/html');
  return Object.assign(response, { $: cheerio.load(isHtml ? response.body : '') });
}
