import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  recordChange,
  saveVersioned,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * A user's email preferences (table `email_preferences`, one row per user once they have chosen): whether they get
 * the daily digest of their overdue worktray items. A user who has not chosen has the authority's default
 * (OVERDUE_DIGEST_DEFAULT, docs/configuration.md), passed in by the caller from the configuration.
 */

export interface OverdueDigestChoice {
  /** Whether they get the digest (their choice, or the default when they have not chosen). */
  overdueDigest: boolean;
  /** False while they have not chosen: the default applies. */
  chosen: boolean;
  /** The row's version, 0 before the first save (the form carries it). */
  version: number;
  updatedAt: Date | null;
}

/** The signed-in user's own choice, or the default. */
export async function ownOverdueDigestChoice(
  ctx: ReadContext,
  defaultOn: boolean,
): Promise<OverdueDigestChoice> {
  const row = await ctx.db
    .selectFrom('emailPreferences')
    .select(['overdueDigest', 'version', 'updatedAt'])
    .where('userId', '=', ctx.user.id)
    .executeTakeFirst();
  return row
    ? { overdueDigest: row.overdueDigest, chosen: true, version: row.version, updatedAt: row.updatedAt }
    : { overdueDigest: defaultOn, chosen: false, version: 0, updatedAt: null };
}

/**
 * Saves the signed-in user's choice, at the version their form was shown with (0 on the default): a choice saved
 * meanwhile (another tab) is a ConflictError, nothing overwritten. Audited; it names no child.
 */
export async function saveOverdueDigestChoice(
  ctx: ServiceContext,
  input: { overdueDigest: boolean; version: number },
): Promise<void> {
  await saveVersioned(
    ctx.db,
    {
      table: 'emailPreferences',
      key: 'userId',
      id: ctx.user.id,
      version: input.version,
      conflict: 'You changed this choice in another tab or window. Check it and save again.',
    },
    { overdueDigest: input.overdueDigest, updatedAt: ctx.now, updatedBy: ctx.user.id },
  );
  await recordChange(ctx, {
    audit: {
      action: 'email-preferences.changed',
      subjectType: 'user',
      subjectId: ctx.user.id,
      details: { overdueDigest: input.overdueDigest },
    },
  });
}

/**
 * Everyone who gets the digest today: active users with an email address who chose it, or who have not chosen
 * while the default is on. In id order, a page at a time (`after`: the last id of the page before).
 */
export async function overdueDigestRecipients(
  db: Kysely<DB>,
  options: { defaultOn: boolean; after: string | null; limit: number },
): Promise<{ id: string; email: string }[]> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('emailPreferences as p', 'p.userId', 'u.id')
    .select(['u.id', 'u.email'])
    .where('u.status', '=', 'active')
    .where((eb) =>
      options.defaultOn
        ? eb.or([eb('p.overdueDigest', 'is', null), eb('p.overdueDigest', '=', true)])
        : eb('p.overdueDigest', '=', true),
    );
  if (options.after) query = query.where('u.id', '>', options.after);
  return query.orderBy('u.id').limit(options.limit).execute();
}
