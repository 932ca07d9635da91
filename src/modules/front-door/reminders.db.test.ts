import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aContactInMashEnquiry, demoUser } from '../../../test/builders/front-door.ts';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { fixedClock } from '../../kernel/time/index.ts';
import { buildApp } from '../../app.ts';
import { testConfig } from '../../../test/support/test-app.ts';
import { answerRequest, requestForMyAgency, sendReminder } from './information-request.service.ts';
import { loadContactView } from './contact-view.ts';
import { REMINDER_SWEEP_ACTOR, sendAutomaticReminders } from './reminders.job.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';

let handle: DatabaseHandle;
const calendar = createWorkingDayCalendar();
const NOW = new Date('2026-11-24T10:30:00Z'); // a Tuesday: a red rating makes information due at 14:30

beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle.close();
});

const requestRow = (id: string) =>
  handle.db
    .selectFrom('informationRequests')
    .select([
      'remindersSent',
      'automaticRemindersSent',
      'lastReminderAt',
      'lastReminderAutomatic',
      'lastAutomaticReminderOn',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const reminderAudits = (id: string) =>
  handle.db
    .selectFrom('auditEvents')
    .select(['actorUserId', 'actorLabel', 'details', 'occurredAt'])
    .where('subjectId', '=', id)
    .where('action', '=', 'information-request.reminder-sent')
    .orderBy('seq')
    .execute();

describe('automatic reminders for overdue information requests', () => {
  it('an overdue request gets one automatic reminder a working day; not-yet-due and answered requests get none', async () => {
    const overdue = await aContactInMashEnquiry(handle.db, calendar, NOW, {
      rag: 'red',
      requestTo: 'police',
    });
    const notDue = await aContactInMashEnquiry(handle.db, calendar, NOW, {
      rag: 'green',
      requestTo: 'police',
    });
    const answered = await aContactInMashEnquiry(handle.db, calendar, NOW, {
      rag: 'red',
      requestTo: 'police',
    });
    const police = await demoUser(handle.db, 'partner-agency-user');
    await handle.db.transaction().execute((trx) =>
      answerRequest(serviceContext(trx, police, NOW), {
        requestId: answered.requestId,
        knownToAgency: false,
        response: 'Nothing held.',
      }),
    );

    const afternoon = new Date('2026-11-24T16:00:00Z');
    const first = await sendAutomaticReminders(handle.db, afternoon, calendar);
    expect(first.workingDay).toBe(true);
    expect(first.sent).toBeGreaterThanOrEqual(1);
    expect(await requestRow(overdue.requestId)).toMatchObject({
      remindersSent: 1,
      automaticRemindersSent: 1,
      lastReminderAutomatic: true,
      lastAutomaticReminderOn: '2026-11-24',
    });
    const audits = await reminderAudits(overdue.requestId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: null,
      actorLabel: REMINDER_SWEEP_ACTOR.label,
      details: {
        automatic: true,
        overdue: true,
        reminder: 1,
        reference: overdue.reference,
        agency: 'Metropolitan Police – South West BCU',
      },
    });
    for (const other of [notDue, answered]) {
      expect(await requestRow(other.requestId)).toMatchObject({
        remindersSent: 0,
        automaticRemindersSent: 0,
      });
      expect(await reminderAudits(other.requestId)).toHaveLength(0);
    }

    // Later the same day, twice at once (as from two app processes): nothing more.
    const again = await Promise.all([
      sendAutomaticReminders(handle.db, new Date('2026-11-24T16:30:00Z'), calendar),
      sendAutomaticReminders(handle.db, new Date('2026-11-24T16:30:00Z'), calendar),
    ]);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    expect((await requestRow(overdue.requestId)).remindersSent).toBe(1);
    expect(await reminderAudits(overdue.requestId)).toHaveLength(1);

    // The next working day: one more, counted with the manual ones and shown on the contact and to the partner.
    const wednesday = new Date('2026-11-25T08:00:00Z');
    expect((await sendAutomaticReminders(handle.db, wednesday, calendar)).sent).toBeGreaterThanOrEqual(1);
    expect(await requestRow(overdue.requestId)).toMatchObject({
      remindersSent: 2,
      automaticRemindersSent: 2,
    });
    const mash = await demoUser(handle.db, 'mash-practitioner');
    const view = await handle.db
      .transaction()
      .execute((trx) => loadContactView(serviceContext(trx, mash, wednesday, calendar), overdue.contactId));
    expect(view.requests[0]!.remindersText).toBe('2 reminders in all (all automatic)');
    expect(view.timeline.map((e) => e.title)).toContain(
      'Automatic reminder sent to Metropolitan Police – South West BCU',
    );
    const seen = await handle.db
      .transaction()
      .execute((trx) => requestForMyAgency({ db: trx, user: police }, overdue.requestId));
    expect(seen.request).toMatchObject({ remindersSent: 2, automaticRemindersSent: 2 });
  });

  it('sends nothing on a weekend or bank holiday, nor on a day a reminder was already sent by hand', async () => {
    const c = await aContactInMashEnquiry(handle.db, calendar, NOW, { rag: 'red', requestTo: 'police' });
    const saturday = await sendAutomaticReminders(handle.db, new Date('2026-11-28T10:00:00Z'), calendar);
    expect(saturday).toEqual({ sent: 0, workingDay: false });
    const christmas = await sendAutomaticReminders(handle.db, new Date('2026-12-25T10:00:00Z'), calendar);
    expect(christmas.workingDay).toBe(false);
    expect((await requestRow(c.requestId)).remindersSent).toBe(0);

    const mash = await demoUser(handle.db, 'mash-practitioner');
    const thursday = new Date('2026-11-26T09:15:00Z');
    await handle.db
      .transaction()
      .execute((trx) =>
        sendReminder(serviceContext(trx, mash, thursday), { contactId: c.contactId, requestId: c.requestId }),
      );
    await sendAutomaticReminders(handle.db, new Date('2026-11-26T15:00:00Z'), calendar);
    expect(await requestRow(c.requestId)).toMatchObject({
      remindersSent: 1,
      automaticRemindersSent: 0,
      lastReminderAutomatic: false,
    });
    const view = await handle.db
      .transaction()
      .execute((trx) => loadContactView(serviceContext(trx, mash, thursday, calendar), c.contactId));
    expect(view.requests[0]!.remindersText).toBe('1 reminder in all');
    // The next working day the sweep takes over.
    await sendAutomaticReminders(handle.db, new Date('2026-11-27T09:00:00Z'), calendar);
    expect(await requestRow(c.requestId)).toMatchObject({ remindersSent: 2, automaticRemindersSent: 1 });
    const view2 = await handle.db
      .transaction()
      .execute((trx) => loadContactView(serviceContext(trx, mash, thursday, calendar), c.contactId));
    expect(view2.requests[0]!.remindersText).toBe('2 reminders in all (1 automatic)');
  });

  it('runs inside the app every REMINDER_SWEEP_MINUTES when the app is asked to start its jobs, and stops on close', async () => {
    const c = await aContactInMashEnquiry(handle.db, calendar, NOW, { rag: 'red', requestTo: 'police' });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const clock = fixedClock('2026-12-01T11:00:00Z'); // a Tuesday
      const config = testConfig({ REMINDER_SWEEP_MINUTES: '5' });
      // Tests do not start the jobs unless they ask.
      const quiet = await buildApp({ config, db: handle.db, clock, logger: false });
      await quiet.ready();
      vi.advanceTimersByTime(10 * 60_000);
      await quiet.close();
      expect((await requestRow(c.requestId)).remindersSent).toBe(0);

      const timersBefore = vi.getTimerCount();
      const app = await buildApp({ config, db: handle.db, clock, logger: false, backgroundJobs: true });
      await app.ready();
      expect(vi.getTimerCount()).toBeGreaterThan(timersBefore);
      vi.advanceTimersByTime(4 * 60_000);
      expect((await requestRow(c.requestId)).remindersSent).toBe(0);
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(async () => expect((await requestRow(c.requestId)).automaticRemindersSent).toBe(1));
      await app.close();
      expect(vi.getTimerCount()).toBe(timersBefore);
    } finally {
      vi.useRealTimers();
    }
  });
});
