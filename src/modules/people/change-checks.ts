import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';

/**
 * Checks other modules run when a person's record is changed, before anything is saved. The people module knows
 * nothing of the census; social care registers a check that a child it returns in the CIN census keeps what the
 * census needs (sex, ethnicity, disabilities, the reason the UPN is not known: rules 4180, 8750, 4220, 8540, 8772), so the data is right where it is
 * entered instead of cleaned at year end.
 *
 *   registerPersonChangeCheck({ id: 'cin-census', check: async ({ db, personId, proposed }) => null });
 *
 * A check returns the first problem (field and message, shown against that field on the edit page) or null.
 */
export interface ProposedPerson {
  kind: string;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  dateOfDeath: string | null;
  sex: string | null;
  ethnicityCode: string | null;
  disabilities: readonly string[];
  /** Why the UPN is not known (census UPNunknown, UN1–UN7), or null. */
  upnUnknownReason: string | null;
}

export interface PersonChangeContext {
  db: Transaction<DB>;
  personId: string;
  proposed: ProposedPerson;
  /** Today in Europe/London, 'YYYY-MM-DD'. */
  today: string;
}

export interface PersonChangeCheck {
  /** Unique; registering the same id again replaces the earlier check. */
  id: string;
  check(context: PersonChangeContext): Promise<{ field: string; message: string } | null>;
}

const checks = new Map<string, PersonChangeCheck>();

export function registerPersonChangeCheck(check: PersonChangeCheck): void {
  checks.set(check.id, check);
}

/** Runs every registered check; the first problem stops the change with a field error. */
export async function runPersonChangeChecks(context: PersonChangeContext): Promise<void> {
  for (const c of checks.values()) {
    const problem = await c.check(context);
    if (problem) throw new BusinessRuleError(problem.field, problem.message);
  }
}
