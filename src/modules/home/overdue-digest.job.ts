import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { emailDelivery, queueEmail } from '../../kernel/mail/index.ts';
import { instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { scheduleRepeating } from '../../kernel/service/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { loadCurrentUser, overdueDigestRecipients } from '../identity/index.ts';
import { worktrayProviders } from '../worktray-providers.ts';
import { buildWorktray, type WorktrayProvider } from './worktray.ts';

/**
 * The daily digest of a worker's overdue work (issue 23, item 4): from 07:00 on each working day, every worker who
 * gets it (their choice on the account page, or OVERDUE_DIGEST_DEFAULT) and has overdue items on their worktray is
 * emailed how many, with a link to the worktray. Overdue means what the worktray says (`buildWorktray` with every
 * module's provider and `describeDeadline`), so the email and the home page never disagree. The email says only the
 * number: never a child's name, a reference or what the work is.
 *
 * Safe with several app processes and with cron: the email's event key names the worker and the day
 * (`overdue-digest:<user id>:<date>`), unique in the outbox, so a second run that day queues nothing. Run by
 * `threshold send-overdue-digests` and, when OVERDUE_DIGEST_MINUTES > 0 and email is on, inside the app.
 */

/** The time of day (Europe/London) from which the day's digests are made. */
export const DIGEST_FROM = '07:00';
/** The most items counted; more are "100 or more". */
const COUNT_LIMIT = 100;
const BATCH = 200;

export function overdueDigestKey(userId: string, day: string): string {
  return `overdue-digest:${userId}:${day}`;
}

/** The digest: the number of overdue items and nothing else about them. */
export function overdueDigestEmail(count: number): { subject: string; text: string } {
  const many = count >= COUNT_LIMIT;
  const items = many ? `${COUNT_LIMIT} or more items` : `${count} item${count === 1 ? '' : 's'}`;
  return {
    subject: `Threshold: ${items} overdue on your worktray`,
    text: [
      'Hello,',
      '',
      `You have ${items} on your Threshold worktray past ${many || count !== 1 ? 'their deadlines' : 'its deadline'}.`,
      '',
      'You get this email on working days when you have overdue work. To stop it, change “Daily email about overdue work” on your account page in Threshold.',
      '',
      'To keep families’ information safe, this email does not say what the work is or who it is about. Sign in to Threshold to see your worktray:',
    ].join('\n'),
  };
}

export interface OverdueDigestResult {
  /** False before 07:00 or on a day that is not a working day: nothing was looked at. */
  due: boolean;
  /** Digests queued by this run. */
  queued: number;
  /** Workers whose digest for today was queued before (another process, an earlier run). */
  already: number;
  /** Workers who get the digest and have nothing overdue today. */
  nothingOverdue: number;
}

export async function sendOverdueDigests(
  db: Kysely<DB>,
  options: {
    now: Date;
    calendar: WorkingDayCalendar;
    /** OVERDUE_DIGEST_DEFAULT: whether a worker who has not chosen gets it. */
    defaultOn: boolean;
    /** The worktray's providers (every module's, as the home page uses); a test may pass its own. */
    providers?: WorktrayProvider[];
  },
): Promise<OverdueDigestResult> {
  const { now, calendar } = options;
  const today = isoDateOf(now);
  const result: OverdueDigestResult = { due: false, queued: 0, already: 0, nothingOverdue: 0 };
  if (!calendar.isWorkingDay(today) || now.getTime() < instantAt(today, DIGEST_FROM).getTime()) return result;
  result.due = true;
  const providers = options.providers ?? worktrayProviders;
  let after: string | null = null;
  for (;;) {
    const recipients = await overdueDigestRecipients(db, {
      defaultOn: options.defaultOn,
      after,
      limit: BATCH,
    });
    for (const r of recipients) {
      const eventKey = overdueDigestKey(r.id, today);
      // Made already today: skip the worktray's queries.
      if (await emailDelivery(db, eventKey)) {
        result.already += 1;
        continue;
      }
      const outcome = await db.transaction().execute(async (trx) => {
        const user = await loadCurrentUser(trx, r.id, null);
        if (!user) return 'none' as const;
        const worktray = await buildWorktray(providers, {
          db: trx,
          user,
          now,
          today,
          calendar,
          limit: COUNT_LIMIT + 1,
        });
        const overdue = worktray.filter((i) => i.status === 'overdue').length;
        if (!overdue) return 'none' as const;
        const queued = await queueEmail(trx, {
          eventKey,
          kind: 'overdue-digest',
          to: r.email,
          ...overdueDigestEmail(overdue),
          // The home page is the worktray.
          linkPath: '/',
          createdBy: null,
          now,
        });
        return queued ? ('queued' as const) : ('already' as const);
      });
      if (outcome === 'queued') result.queued += 1;
      else if (outcome === 'already') result.already += 1;
      else result.nothingOverdue += 1;
    }
    if (recipients.length < BATCH) break;
    after = recipients[recipients.length - 1]!.id;
  }
  return result;
}

const FIRST_CHECK_MS = 30_000;

/**
 * Checks for digests due 30 seconds after start-up and then every `minutes` until stopped; errors are logged, never
 * thrown. Returns the stop function, which waits for a run in progress.
 */
export function scheduleOverdueDigests(options: {
  db: Kysely<DB>;
  calendar: WorkingDayCalendar;
  minutes: number;
  defaultOn: boolean;
  now: () => Date;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}): () => Promise<void> {
  return scheduleRepeating({
    minutes: options.minutes,
    firstAfterMs: FIRST_CHECK_MS,
    run: async () => {
      const r = await sendOverdueDigests(options.db, {
        now: options.now(),
        calendar: options.calendar,
        defaultOn: options.defaultOn,
      });
      if (r.queued) options.log.info(r, 'daily digests of overdue work queued');
    },
    onError: (err) => options.log.error({ err }, 'the daily digest of overdue work failed'),
  });
}
