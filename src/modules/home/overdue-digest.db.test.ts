import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { contextFor, userFor } from '../../../test/builders/context.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { saveOverdueDigestChoice } from '../identity/index.ts';
import { ConflictError } from '../../kernel/errors.ts';
import { worktrayProviders } from '../worktray-providers.ts';
import { buildWorktray } from './worktray.ts';
import { overdueDigestKey, sendOverdueDigests } from './overdue-digest.job.ts';

const h = databaseForFile();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
// Working days of the week of the test clock (Tuesday 24 November 2026 onwards), 08:00 in London.
const at = (day: string, time = '08:00') => new Date(`${day}T${time}:00Z`);

let sw: CurrentUser;
let child: { id: string; givenName: string; familyName: string };
let episodeId: string;

beforeAll(async () => {
  // An episode referred in August: the social worker's assessment and visits are long overdue.
  const made = await aCinEpisode(h.db, {
    referralDate: '2026-08-03',
    child: { givenName: 'Tamsin', familyName: 'Oyelaran-Digest' },
    now: at('2026-11-24'),
  });
  episodeId = made.episodeId;
  child = { id: made.child.id, givenName: 'Tamsin', familyName: 'Oyelaran-Digest' };
  sw = await userFor(h.db, 'social-worker');
});

const outboxFor = (userId: string, day: string) =>
  h.db.selectFrom('emailOutbox').selectAll().where('eventKey', '=', overdueDigestKey(userId, day)).execute();

const overdueOnWorktray = (user: CurrentUser, now: Date) =>
  h.run(async (trx) =>
    (await buildWorktray(worktrayProviders, { db: trx, user, now, today: isoDateOf(now), calendar })).filter(
      (i) => i.status === 'overdue',
    ),
  );

describe('the daily digest of overdue work', () => {
  it('nothing before 07:00 or on a day that is not a working day', async () => {
    expect(
      await sendOverdueDigests(h.db, { now: at('2026-11-24', '06:30'), calendar, defaultOn: true }),
    ).toEqual({ due: false, queued: 0, already: 0, nothingOverdue: 0 });
    // Saturday 28 November.
    expect((await sendOverdueDigests(h.db, { now: at('2026-11-28'), calendar, defaultOn: true })).due).toBe(
      false,
    );
    expect(
      await h.db.selectFrom('emailOutbox').select('id').where('kind', '=', 'overdue-digest').execute(),
    ).toEqual([]);
  });

  it('by default a worker with overdue items gets the number and a link, nothing about the child; one with none gets nothing', async () => {
    const now = at('2026-11-24');
    const overdue = await overdueOnWorktray(sw, now);
    expect(overdue.length).toBeGreaterThan(0);
    const result = await sendOverdueDigests(h.db, { now, calendar, defaultOn: true });
    expect(result.due).toBe(true);
    expect(result.queued).toBeGreaterThan(0);
    expect(result.nothingOverdue).toBeGreaterThan(0);
    const [email] = await outboxFor(sw.id, '2026-11-24');
    expect(email).toMatchObject({
      kind: 'overdue-digest',
      toAddress: sw.email,
      linkPath: '/',
      childId: null,
    });
    // The same count as the worktray shows: one source of truth for "overdue".
    const n = overdue.length;
    expect(email!.subject).toBe(`Threshold: ${n} item${n === 1 ? '' : 's'} overdue on your worktray`);
    expect(email!.bodyText).toContain(`You have ${n} item${n === 1 ? '' : 's'} on your Threshold worktray`);
    // No personal data: not the child's names, ids or the episode, not what the work is.
    const said = `${email!.subject}\n${email!.bodyText}`;
    for (const secret of [
      child.givenName,
      child.familyName,
      child.id,
      episodeId,
      ...overdue.map((i) => i.title),
    ])
      expect(said).not.toContain(secret);
    // A worker with nothing overdue (the system administrator has no worktray) gets nothing.
    const admin = await userFor(h.db, 'system-administrator');
    expect(await outboxFor(admin.id, '2026-11-24')).toEqual([]);
  });

  it('a worker who opts out gets none; with the default off only those who opted in get one', async () => {
    await h.run((trx) =>
      saveOverdueDigestChoice(contextFor(trx, sw, at('2026-11-25')), { overdueDigest: false, version: 0 }),
    );
    await sendOverdueDigests(h.db, { now: at('2026-11-25'), calendar, defaultOn: true });
    expect(await outboxFor(sw.id, '2026-11-25')).toEqual([]);
    // A stale form (version 0 again) is a conflict, and the choice is audited.
    await expect(
      h.run((trx) =>
        saveOverdueDigestChoice(contextFor(trx, sw, at('2026-11-25')), { overdueDigest: true, version: 0 }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('action', '=', 'email-preferences.changed')
      .where('subjectId', '=', sw.id)
      .execute();
    expect(audit).toEqual([{ action: 'email-preferences.changed', details: { overdueDigest: false } }]);

    await h.run((trx) =>
      saveOverdueDigestChoice(contextFor(trx, sw, at('2026-11-26')), { overdueDigest: true, version: 1 }),
    );
    const manager = await userFor(h.db, 'team-manager');
    await sendOverdueDigests(h.db, { now: at('2026-11-26'), calendar, defaultOn: false });
    expect(await outboxFor(sw.id, '2026-11-26')).toHaveLength(1);
    // The manager (the episode's assessment waits for them too) never chose: with the default off, nothing.
    expect(await outboxFor(manager.id, '2026-11-26')).toEqual([]);
    expect(
      await h.db
        .selectFrom('emailOutbox')
        .select('eventKey')
        .where('kind', '=', 'overdue-digest')
        .where('eventKey', 'like', '%:2026-11-26')
        .execute(),
    ).toEqual([{ eventKey: overdueDigestKey(sw.id, '2026-11-26') }]);
  });

  it('two runs at once (two processes) queue one digest per worker for the day', async () => {
    const now = at('2026-11-27', '09:15');
    const go = () => sendOverdueDigests(h.db, { now, calendar, defaultOn: true });
    // At the same time on PostgreSQL; PGlite has one connection, so one after the other there.
    const [a, b] = onPostgres ? await Promise.all([go(), go()]) : [await go(), await go()];
    expect(a.queued + b.queued).toBeGreaterThan(0);
    const rows = await h.db
      .selectFrom('emailOutbox')
      .select('eventKey')
      .where('kind', '=', 'overdue-digest')
      .where('eventKey', 'like', '%:2026-11-27')
      .execute();
    expect(rows).toHaveLength(a.queued + b.queued);
    expect(new Set(rows.map((r) => r.eventKey)).size).toBe(rows.length);
    expect(await outboxFor(sw.id, '2026-11-27')).toHaveLength(1);
    // A later run that day finds them made.
    const again = await go();
    expect(again.queued).toBe(0);
    expect(again.already).toBe(rows.length);
  });
});
