import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Server-side drafts of forms, keyed by user and form (its URL path), so that a session time-out, a crash
 * or a closed laptop never loses what was typed. Only the user who typed a draft can get it back.
 */
export type DraftValues = Record<string, unknown>;

/** Fields never kept in a draft, whatever form they come from: tokens, passwords, one-time codes, secrets. */
const SECRET_FIELD = /^_csrf$|password|passcode|^code$|totp|secret|token/i;

export function withoutSecrets(values: DraftValues): DraftValues {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELD.test(key)));
}

export async function saveDraft(
  db: Kysely<DB>,
  userId: string,
  formKey: string,
  data: DraftValues,
  now: Date,
): Promise<void> {
  await db
    .insertInto('formDrafts')
    .values({ userId, formKey, data: JSON.stringify(data), updatedAt: now })
    .onConflict((oc) =>
      oc.columns(['userId', 'formKey']).doUpdateSet({ data: JSON.stringify(data), updatedAt: now }),
    )
    .execute();
}

export async function loadDraft(
  db: Kysely<DB>,
  userId: string,
  formKey: string,
): Promise<DraftValues | null> {
  const row = await db
    .selectFrom('formDrafts')
    .select(['data'])
    .where('userId', '=', userId)
    .where('formKey', '=', formKey)
    .executeTakeFirst();
  return row && row.data && typeof row.data === 'object' && !Array.isArray(row.data)
    ? (row.data as DraftValues)
    : null;
}

export async function clearDraft(db: Kysely<DB>, userId: string, formKey: string): Promise<void> {
  await db.deleteFrom('formDrafts').where('userId', '=', userId).where('formKey', '=', formKey).execute();
}

export async function listDrafts(
  db: Kysely<DB>,
  userId: string,
): Promise<{ formKey: string; updatedAt: Date }[]> {
  return db
    .selectFrom('formDrafts')
    .select(['formKey', 'updatedAt'])
    .where('userId', '=', userId)
    .orderBy('updatedAt', 'desc')
    .execute();
}
