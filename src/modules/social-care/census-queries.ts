import { BusinessRuleError } from '../../kernel/errors.ts';
import type { Violation } from './census-rules.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';

/**
 * Applying census rules at the point of entry. Error rules refuse the save (a CensusRuleError naming every rule
 * broken, each against its field). Query rules refuse it too until the worker explains: the form shows the
 * queries and a box for the explanation, and once given it is stored with the rule (census_query_explanations)
 * so that the authority can answer the DfE's query when the return is made.
 */

export const QUERY_FIELD = 'queryExplanation';

/** One or more census rules refused what was entered. `field`/`message` are the first problem's. */
export class CensusRuleError extends BusinessRuleError {
  constructor(readonly violations: Violation[]) {
    super(violations[0]!.field, violations[0]!.message);
    this.name = 'CensusRuleError';
  }
}

/** A rule for our own practice (not a census rule), refused the same way. */
export function practiceError(field: string, message: string): Violation {
  return { rule: '', kind: 'error', field, message };
}

/**
 * Throws for any error; throws for unexplained queries (one message on the explanation field); returns the
 * queries that were explained, to be stored with recordQueryExplanations once the record exists.
 */
export function enforce(results: (Violation | null)[], explanation?: string | null): Violation[] {
  const list = results.filter((v): v is Violation => !!v);
  const errors = list.filter((v) => v.kind === 'error');
  if (errors.length) throw new CensusRuleError(errors);
  const queries = list.filter((v) => v.kind === 'query');
  if (queries.length && !explanation?.trim()) {
    throw new CensusRuleError([
      {
        rule: queries.map((q) => q.rule).join(', '),
        kind: 'query',
        field: QUERY_FIELD,
        message: `Check before saving. ${queries.map((q) => q.message).join('. ')}. If this is right, explain why: the explanation is kept for the census return`,
      },
    ]);
  }
  return queries;
}

/** The confirm checkbox for census queries about the child's own details (see enforceConfirmed). */
export const CONFIRM_FIELD = 'confirmCensusQueries';

/**
 * Like enforce, for queries the worker answers by ticking a box to confirm the details are right (the child's
 * record at referral, which the worker checks rather than explains): throws for any error, and for queries
 * until confirmed; returns the queries confirmed, to be stored with recordQueryExplanations.
 */
export function enforceConfirmed(results: (Violation | null)[], confirmed: boolean | undefined): Violation[] {
  const list = results.filter((v): v is Violation => !!v);
  const errors = list.filter((v) => v.kind === 'error');
  if (errors.length) throw new CensusRuleError(errors);
  const queries = list.filter((v) => v.kind === 'query');
  if (queries.length && !confirmed) {
    throw new CensusRuleError([
      {
        rule: queries.map((q) => q.rule).join(', '),
        kind: 'query',
        field: CONFIRM_FIELD,
        message: `Check before saving. ${queries.map((q) => q.message).join('. ')}. If this is right, confirm it: the confirmation is kept for the census return`,
      },
    ]);
  }
  return queries;
}

export async function recordQueryExplanations(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  subject: { childId: string; episodeId: string; subjectType: string; subjectId: string },
  queries: Violation[],
  explanation: string | null | undefined,
): Promise<void> {
  const { db: trx, user, now } = ctx;
  if (!queries.length || !explanation?.trim()) return;
  await trx
    .insertInto('censusQueryExplanations')
    .values(
      queries.map((q) => ({
        childId: subject.childId,
        episodeId: subject.episodeId,
        subjectType: subject.subjectType,
        subjectId: subject.subjectId,
        rule: q.rule,
        message: q.message,
        explanation: explanation.trim(),
        explainedAt: now,
        explainedBy: user.id,
      })),
    )
    .execute();
}
