import { isoDateOf } from '../../kernel/time/index.ts';
import { describeAge, kindLabel } from './person.ts';
import {
  buildQuery,
  chooseExpansions,
  CONFIDENCE_LABELS,
  isEmptyCriteria,
  scoreCandidate,
  type Confidence,
  type SearchCriteria,
} from './person-search.ts';
import { expandNameTokens, findCandidates, resultDetails } from './person-search.repository.ts';
import { loadWarningsFor, type Warning } from './warnings.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';

export interface PersonSearchResult {
  id: string;
  kind: string;
  kindLabel: string;
  givenName: string;
  familyName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  age: string;
  laChildId: string | null;
  nhsNumber: string | null;
  upn: string | null;
  currentPostcode: string | null;
  restricted: boolean;
  warnings: Warning[];
  score: number;
  confidence: Confidence;
  confidenceLabel: string;
  reasons: string[];
}

/** Results are ranked and cut here: beyond this nobody reads on, and they should search more precisely. */
export const MAX_SEARCH_RESULTS = 100;

/**
 * Finds the people who may be the one described, best first, with the reasons each matched. Only
 * records the user may read (visibleTo) and never merged-away duplicates. Needs 'person:search'.
 */
export async function searchPeople(
  ctx: ReadContext,
  criteria: SearchCriteria,
  options: { excludeIds?: readonly string[]; maxResults?: number } = {},
): Promise<PersonSearchResult[]> {
  const { db, user, now } = ctx;
  requirePermission(user, 'person:search');
  if (isEmptyCriteria(criteria)) return [];
  const query = buildQuery(criteria);
  const expansions = chooseExpansions(query, await expandNameTokens(db, query));
  const candidates = await findCandidates(
    db,
    user,
    now,
    query,
    expansions,
    options.excludeIds ? { excludeIds: options.excludeIds } : {},
  );
  const scored = candidates
    .map((c) => ({ c, s: scoreCandidate(query, expansions, c) }))
    .filter((x): x is { c: (typeof candidates)[number]; s: NonNullable<typeof x.s> } => x.s !== null)
    .sort(
      (a, b) =>
        b.s.score - a.s.score ||
        a.c.familyName.localeCompare(b.c.familyName) ||
        a.c.givenName.localeCompare(b.c.givenName) ||
        a.c.id.localeCompare(b.c.id),
    )
    .slice(0, options.maxResults ?? MAX_SEARCH_RESULTS);
  const today = isoDateOf(now);
  const ids = scored.map((x) => x.c.id);
  const details = await resultDetails(db, ids);
  const warnings = await loadWarningsFor(db, ids, today);
  return scored.map(({ c, s }) => ({
    id: c.id,
    kind: c.kind,
    kindLabel: kindLabel(c),
    givenName: c.givenName,
    familyName: c.familyName,
    knownAs: c.knownAs,
    dateOfBirth: c.dateOfBirth,
    expectedDateOfBirth: c.expectedDateOfBirth,
    age: describeAge(c.dateOfBirth, today, c.dateOfDeath),
    laChildId: c.laChildId,
    nhsNumber: c.nhsNumber,
    upn: c.upn,
    currentPostcode: details.get(c.id)?.currentPostcode ?? null,
    restricted: c.restricted,
    warnings: warnings.get(c.id) ?? [],
    score: s.score,
    confidence: s.confidence,
    confidenceLabel: CONFIDENCE_LABELS[s.confidence],
    reasons: s.reasons,
  }));
}

/** Likely and possible matches for someone about to be created: shown before a new record is made. */
export async function findLikelyDuplicates(
  ctx: ReadContext,
  criteria: SearchCriteria,
  options: { excludeIds?: readonly string[] } = {},
): Promise<PersonSearchResult[]> {
  const results = await searchPeople(ctx, criteria, { ...options, maxResults: 20 });
  return results.filter((r) => r.confidence !== 'weak').slice(0, 10);
}
