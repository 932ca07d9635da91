import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent, type AuditActor } from '../../kernel/audit-trail/index.ts';
import { instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { scheduleRepeating } from '../../kernel/service/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { queueInformationRequestReminderEmail } from './notification-emails.ts';

/**
 * The reminder sweep: every open information request past its due time gets an automatic reminder, recorded as a
 * manual one is (reminders_sent + 1, last_reminder_at, an 'information-request.reminder-sent' audit event) but
 * marked automatic and made by the system actor. At most one automatic reminder per request per working day, and
 * none on a day a reminder (manual or automatic) was already sent; nothing on a weekend, bank holiday or closure
 * day. Idempotent and safe with several app processes: each batch claims its rows with FOR UPDATE SKIP LOCKED and
 * the UPDATE re-checks the conditions, so a request swept by one process is skipped by another.
 *
 * Run by `threshold send-reminders` (for cron) and, when REMINDER_SWEEP_MINUTES > 0, on an interval inside the app.
 */

export const REMINDER_SWEEP_ACTOR: AuditActor = { userId: null, label: 'system:reminder-sweep' };

const BATCH = 200;

export interface ReminderSweepResult {
  /** Automatic reminders recorded by this run. */
  sent: number;
  /** False when today is not a working day (nothing is sent). */
  workingDay: boolean;
}

export async function sendAutomaticReminders(
  db: Kysely<DB>,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<ReminderSweepResult> {
  const today = isoDateOf(now);
  if (!calendar.isWorkingDay(today)) return { sent: 0, workingDay: false };
  const startOfToday = instantAt(today, '00:00');
  let sent = 0;
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('informationRequests')
        .set({
          remindersSent: sql<number>`reminders_sent + 1`,
          automaticRemindersSent: sql<number>`automatic_reminders_sent + 1`,
          lastReminderAt: now,
          lastReminderAutomatic: true,
          lastAutomaticReminderOn: today,
        })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('informationRequests')
            .select('id')
            .where('status', '=', 'open')
            .where('dueAt', '<', now)
            .where((w) => w.or([w('lastReminderAt', 'is', null), w('lastReminderAt', '<', startOfToday)]))
            .where((w) =>
              w.or([w('lastAutomaticReminderOn', 'is', null), w('lastAutomaticReminderOn', '<', today)]),
            )
            .orderBy('dueAt')
            .limit(BATCH)
            .forUpdate()
            .skipLocked(),
        )
        // Re-checked on the locked row: another process may have reminded it since the subquery looked.
        .where('status', '=', 'open')
        .where((w) => w.or([w('lastReminderAt', 'is', null), w('lastReminderAt', '<', startOfToday)]))
        .returning(['id', 'contactId', 'agencyId', 'dueAt', 'remindersSent'])
        .execute();
      if (!rows.length) return 0;
      const details = await trx
        .selectFrom('informationRequests as r')
        .innerJoin('contacts as c', 'c.id', 'r.contactId')
        .innerJoin('agencies as a', 'a.id', 'r.agencyId')
        .select(['r.id', 'c.reference', 'a.name as agencyName', 'a.email as agencyEmail'])
        .where(
          'r.id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      const byId = new Map(details.map((d) => [d.id, d]));
      for (const r of rows) {
        const d = byId.get(r.id);
        await recordAuditEvent(trx, {
          actor: REMINDER_SWEEP_ACTOR,
          action: 'information-request.reminder-sent',
          subjectType: 'information-request',
          subjectId: r.id,
          occurredAt: now,
          details: {
            contactId: r.contactId,
            reference: d?.reference,
            agency: d?.agencyName,
            to: d?.agencyEmail ?? null,
            overdue: true,
            reminder: r.remindersSent,
            automatic: true,
          },
        });
        if (d)
          await queueInformationRequestReminderEmail(trx, {
            requestId: r.id,
            agencyName: d.agencyName,
            agencyEmail: d.agencyEmail,
            dueAt: r.dueAt,
            reminder: r.remindersSent,
            now,
            createdBy: null,
          });
      }
      return rows.length;
    });
    sent += batch;
    if (batch < BATCH) break;
  }
  return { sent, workingDay: true };
}

/** Runs the sweep every `minutes` until stopped; errors are logged, never thrown. Returns the stop function. */
export function scheduleReminderSweep(options: {
  db: Kysely<DB>;
  minutes: number;
  now: () => Date;
  calendar: WorkingDayCalendar;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}): () => Promise<void> {
  return scheduleRepeating({
    minutes: options.minutes,
    run: async () => {
      const r = await sendAutomaticReminders(options.db, options.now(), options.calendar);
      if (r.sent)
        options.log.info({ sent: r.sent }, 'automatic reminders sent for overdue information requests');
    },
    onError: (err) => options.log.error({ err }, 'the reminder sweep failed'),
  });
}
