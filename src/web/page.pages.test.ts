import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../app.ts';
import { BusinessRuleError, FieldProblemsError } from '../kernel/errors.ts';
import { fixedClock } from '../kernel/time/index.ts';
import { createSession, SESSION_COOKIE } from '../modules/identity/index.ts';
import { Agent, testConfig, TEST_NOW } from '../../test/support/test-app.ts';
import { testDb } from '../../test/support/test-db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { FastifyInstance } from 'fastify';
import { definePage, registerPages } from './page.ts';
import { choice, govukDate, requiredText } from '../kernel/forms/fields.ts';
import { dateFields, summaryLinks } from '../../test/builders/pages.ts';

/**
 * definePage() end to end with a test-only form: permission, validation with every typed value kept,
 * GOV.UK dates, business rules shown like validation errors, audit of views, drafts kept across a time-out.
 */

const saved: unknown[] = [];
const testForm = definePage({
  path: '/test-only/children/:childId/note',
  view: 'test-only/note.njk',
  access: 'case-note:write',
  title: 'Add a note',
  params: z.object({ childId: z.uuid() }),
  audit: {
    action: 'test-note-form.viewed',
    subjectType: 'test',
    subject: (ctx) => ({ subjectId: ctx.params.childId }),
  },
  form: z.object({
    summary: requiredText('Enter a summary', 50, 'Summary must be 50 characters or fewer'),
    kind: choice(['visit', 'phone-call'] as const, 'Select the kind of note'),
    happenedOn: govukDate({
      label: 'Date it happened',
      required: true,
      when: 'past',
      today: () => '2026-11-24',
    }),
  }),
  load: async (ctx) => ({ childId: ctx.params.childId }),
  submit: async (_ctx, form) => {
    if (form.summary === 'duplicate')
      throw new BusinessRuleError('summary', 'A note with this summary already exists');
    if (form.summary === 'two problems')
      throw new FieldProblemsError([
        { field: 'summary', message: 'A note with this summary already exists', href: '#summary' },
        { field: 'happenedOn', message: 'There is already a visit on this date', href: '#happenedOn-day' },
      ]);
    saved.push(form);
    return '/test-only/done';
  },
});

let handle: DatabaseHandle;
let app: FastifyInstance;
const clock = fixedClock(TEST_NOW);
const childId = '11111111-1111-4111-8111-111111111111';
const url = `/test-only/children/${childId}/note`;

async function agentFor(email: string): Promise<Agent> {
  const user = await handle.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const { token } = await createSession(
    handle.db,
    { userId: user.id, stage: 'active' },
    clock.now(),
    testConfig(),
  );
  const agent = new Agent(app);
  agent.setCookie(SESSION_COOKIE, token);
  return agent;
}

beforeAll(async () => {
  handle = await testDb();
  const config = testConfig();
  app = await buildApp({
    config,
    db: handle.db,
    clock,
    logger: false,
    extraViewPaths: [new URL('../../test/views', import.meta.url).pathname],
  });
  registerPages(app, app.services, [testForm]);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

/** The test page's form as posted: a summary, a kind and the date it happened. */
const note = (summary: string, kind: string, happenedOn: string) => ({
  summary,
  kind,
  ...dateFields('happenedOn', happenedOn),
});

describe('definePage', () => {
  it('refuses a role without the permission with the 403 page, and audits the denial', async () => {
    const analyst = await agentFor('performance.analyst@demo.threshold.test');
    const res = await analyst.get(url);
    expect(res.statusCode).toBe(403);
    const denial = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'subjectId'])
      .where('action', '=', 'access.denied')
      .executeTakeFirst();
    expect(denial?.subjectId).toBe('/test-only/children/:childId/note');
  });

  it('answers 404 when the params do not parse', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    expect((await worker.get('/test-only/children/not-a-uuid/note')).statusCode).toBe(404);
  });

  it('renders the form and records the view in the audit trail', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const res = await worker.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Add a note');
    const view = await handle.db
      .selectFrom('auditEvents')
      .select(['subjectId', 'requestId'])
      .where('action', '=', 'test-note-form.viewed')
      .executeTakeFirst();
    expect(view?.subjectId).toBe(childId);
    expect(view?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('re-renders with status 400, a summary in field order, inline errors and every typed value kept', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const res = await worker.post(url, note('x'.repeat(60), 'letter', '2026-02-31'));
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#summary Summary must be 50 characters or fewer',
      '#kind Select the kind of note',
      '#happenedOn-day Date it happened must be a real date',
    ]);
    expect(res.$('#summary').attr('value')).toBe('x'.repeat(60));
    expect(res.$('#happenedOn-day').attr('value')).toBe('31');
    expect(res.$('#happenedOn-month').attr('value')).toBe('2');
    expect(saved).toHaveLength(0);
  });

  it('explains a partly filled or future date the GOV.UK way', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const partial = await worker.post(url, {
      summary: 'ok',
      kind: 'visit',
      'happenedOn-day': '3',
      'happenedOn-year': '2026',
    });
    expect(partial.$('#happenedOn-error').text()).toContain('Date it happened must include a month');
    const future = await worker.post(url, note('ok', 'visit', '2027-01-03'));
    expect(future.$('#happenedOn-error').text()).toContain('Date it happened must be today or in the past');
  });

  it('shows a business rule broken in the service like a validation error, keeping the values', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const res = await worker.post(url, note('duplicate', 'visit', '2026-11-03'));
    expect(res.statusCode).toBe(400);
    expect(res.$('#summary-error').text()).toContain('A note with this summary already exists');
    expect(res.$('#summary').attr('value')).toBe('duplicate');
  });

  it('shows every problem of a FieldProblemsError in the summary and against its field', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const res = await worker.post(url, note('two problems', 'visit', '2026-11-03'));
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#summary A note with this summary already exists',
      '#happenedOn-day There is already a visit on this date',
    ]);
    expect(res.$('#summary-error').text()).toContain('A note with this summary already exists');
    expect(res.$('#happenedOn-error').text()).toContain('There is already a visit on this date');
    expect(res.$('#summary').attr('value')).toBe('two problems');
    expect(saved.filter((f) => (f as { summary: string }).summary === 'two problems')).toEqual([]);
  });

  it('a valid form is submitted once and redirected with 303', async () => {
    const worker = await agentFor('social.worker@demo.threshold.test');
    const res = await worker.post(url, {
      summary: 'Home visit',
      kind: 'visit',
      'happenedOn-day': '3',
      'happenedOn-month': 'Nov',
      'happenedOn-year': '2026',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/test-only/done');
    expect(saved.at(-1)).toEqual({ summary: 'Home visit', kind: 'visit', happenedOn: '2026-11-03' });
  });

  it('keeps what was typed when the session timed out, and offers it again after sign-in', async () => {
    const worker = await agentFor('team.manager@demo.threshold.test');
    await worker.get(url);
    clock.advance(45 * 60_000);
    try {
      const res = await worker.post(url, { summary: 'Typed before the time-out', kind: 'phone-call' });
      expect(res.statusCode).toBe(303);
      // The sign-in page is told why: the session ended, and what was typed was kept.
      expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(url)}&timedOut=1&kept=1`);
      const signIn = await new Agent(app).get(res.headers.location as string);
      expect(signIn.$('.govuk-inset-text').text()).toContain('Your session ended');
      expect(signIn.$('.govuk-inset-text').text()).toContain('What you typed has been kept');
      expect(signIn.$('.govuk-inset-text').text()).toContain('after 30 minutes without any activity');
      // Following a link after the time-out (no form) says the session ended, without promising a draft.
      const link = await worker.get('/');
      expect(link.headers.location).toBe('/sign-in?returnTo=%2F&timedOut=1');
      const linkSignIn = await new Agent(app).get(link.headers.location as string);
      expect(linkSignIn.$('.govuk-inset-text').text()).toContain('take you back to the page you were on');
      const again = await agentFor('team.manager@demo.threshold.test');
      const page = await again.get(url);
      expect(page.$('.govuk-notification-banner').text()).toContain('We kept what you typed');
      expect(page.$('#summary').attr('value')).toBe('Typed before the time-out');
      expect(page.$('#kind-2').attr('checked')).toBeDefined();
      // Another user never sees someone else's draft.
      const other = await agentFor('social.worker@demo.threshold.test');
      expect((await other.get(url)).$('#summary').attr('value')).toBeUndefined();
    } finally {
      clock.advance(-45 * 60_000);
    }
  });
});
