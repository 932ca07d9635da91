import { addCalendarDays, daysInMonth, parseIsoDate } from '../../kernel/time/index.ts';
import { editDistance, jaroWinkler, nameTokens, MIN_KEY_LENGTH } from './person-names.ts';
import { variantKind, variantsOf } from './name-variants.ts';

/**
 * "Is this child known?" — the pure part of finding a person: turning what was typed into search terms,
 * and scoring each candidate the database found, with the reasons it matched. The database part
 * (person-search.repository.ts) finds a bounded set of candidates through indexes; this decides the
 * ranking. Weights are simple and explainable (a Fellegi–Sunter style sum of evidence):
 *
 *   name (0–50) + date of birth (up to 30) + NHS number or UPN (60, or −30 when they differ) + postcode (up to 12)
 *
 * and a match is "likely" (≥ 70, or any matching NHS number or UPN), "possible" (≥ 40) or "weak".
 */

export interface SearchCriteria {
  name?: string | undefined;
  dateOfBirth?: string | undefined;
  nhsNumber?: string | undefined;
  upn?: string | undefined;
  /** Normalised 'TW1 3BZ'. */
  postcode?: string | undefined;
}

export type TokenMatchKind = 'exact' | 'spelling' | 'nickname' | 'sounds' | 'typo' | 'partial';

export interface QueryToken {
  token: string;
  /** Other listed forms (nicknames, transliterations) to look up directly. */
  variants: string[];
}

export interface SearchQuery {
  tokens: QueryToken[];
  dates: { date: string; kind: DateMatchKind }[];
  criteria: SearchCriteria;
}

export type DateMatchKind = 'exact' | 'swapped' | 'year-apart' | 'day-apart';

/** At most this many words of a name are used (a very long name adds nothing but work). */
export const MAX_QUERY_TOKENS = 5;

export function isEmptyCriteria(c: SearchCriteria): boolean {
  return !c.name?.trim() && !c.dateOfBirth && !c.nhsNumber && !c.upn && !c.postcode;
}

/** Dates to look up for a typed date of birth: the date, day and month swapped, a year either side, a day either side. */
export function nearDates(dateOfBirth: string): { date: string; kind: DateMatchKind }[] {
  const { year, month, day } = parseIsoDate(dateOfBirth);
  const out: { date: string; kind: DateMatchKind }[] = [{ date: dateOfBirth, kind: 'exact' }];
  const iso = (y: number, m: number, d: number) =>
    `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (day !== month && day <= 12) out.push({ date: iso(year, day, month), kind: 'swapped' });
  for (const y of [year - 1, year + 1]) {
    out.push({ date: iso(y, month, Math.min(day, daysInMonth(y, month))), kind: 'year-apart' });
  }
  out.push({ date: addCalendarDays(dateOfBirth, -1), kind: 'day-apart' });
  out.push({ date: addCalendarDays(dateOfBirth, 1), kind: 'day-apart' });
  const seen = new Set<string>();
  return out.filter((d) => (seen.has(d.date) ? false : (seen.add(d.date), true)));
}

export function buildQuery(criteria: SearchCriteria): SearchQuery {
  const plain = criteria.name ? nameTokens(criteria.name).filter((t) => t.length >= MIN_KEY_LENGTH) : [];
  const chosen = [...new Set(plain)].slice(0, MAX_QUERY_TOKENS);
  // "Smith Jones" may be the double-barrelled "Smith-Jones": the joined-up form is looked up as a variant.
  const compound = plain.length >= 2 ? plain.join('') : null;
  return {
    tokens: chosen.map((token) => ({
      token,
      variants: [...variantsOf(token), ...(compound && compound !== token ? [compound] : [])],
    })),
    dates: criteria.dateOfBirth ? nearDates(criteria.dateOfBirth) : [],
    criteria,
  };
}

/** A dictionary token the database found for a query token, with what it knows about the likeness. */
export interface ExpansionRow {
  /** Index of the query token. */
  index: number;
  token: string;
  /** Double metaphone codes agree. */
  sounds: boolean;
  /** Trigram similarity, 0–1. */
  similarity: number;
}

export interface TokenMatch {
  kind: TokenMatchKind;
  quality: number;
}

const EXACT: TokenMatch = { kind: 'exact', quality: 1 };

/** How well a typed word matches a word of a name, or null. `sounds` comes from the database's metaphone. */
export function matchToken(query: string, candidate: string, sounds = false): TokenMatch | null {
  if (query === candidate) return EXACT;
  const variant = variantKind(query, candidate);
  if (variant === 'spelling') return { kind: 'spelling', quality: 0.95 };
  if (variant === 'nickname') return { kind: 'nickname', quality: 0.9 };
  const shortest = Math.min(query.length, candidate.length);
  // Words of very different lengths are at least that many edits apart: no need to count.
  const lengthGap = Math.abs(query.length - candidate.length);
  const distance =
    lengthGap > Math.max(2, Math.floor(shortest / 2)) ? lengthGap : editDistance(query, candidate);
  if (sounds && distance <= Math.max(2, Math.floor(shortest / 2))) return { kind: 'sounds', quality: 0.85 };
  if (distance === 1 && shortest >= 3) return { kind: 'typo', quality: 0.85 };
  if (distance === 2 && shortest >= 5) return { kind: 'typo', quality: 0.75 };
  if (shortest >= 3 && (candidate.startsWith(query) || query.startsWith(candidate)))
    return { kind: 'partial', quality: 0.6 };
  const jw = jaroWinkler(query, candidate);
  if (jw >= 0.9 && shortest >= 4) return { kind: 'typo', quality: 0.7 };
  if (sounds) return { kind: 'sounds', quality: 0.65 };
  return null;
}

/** Ranks what the dictionary offered for each query token; keeps the best few per token for the lookup. */
export function chooseExpansions(
  query: SearchQuery,
  rows: readonly ExpansionRow[],
  perToken = 24,
): Map<number, Map<string, TokenMatch>> {
  const out = new Map<number, Map<string, TokenMatch>>();
  query.tokens.forEach((t, i) => {
    const found: [string, TokenMatch][] = [[t.token, { kind: 'exact', quality: 1 }]];
    for (const v of t.variants) {
      const m = matchToken(t.token, v);
      if (m) found.push([v, m]);
    }
    for (const r of rows) {
      if (r.index !== i || r.token === t.token) continue;
      const m = matchToken(t.token, r.token, r.sounds);
      if (m) found.push([r.token, m]);
    }
    found.sort((a, b) => b[1].quality - a[1].quality);
    const map = new Map<string, TokenMatch>();
    for (const [token, m] of found) {
      if (map.size >= perToken) break;
      if (!map.has(token)) map.set(token, m);
    }
    out.set(i, map);
  });
  return out;
}

export interface CandidateName {
  kind: 'main' | 'known-as' | 'alias' | 'previous';
  givenName: string;
  familyName: string;
}

export interface SearchCandidate {
  id: string;
  givenName: string;
  familyName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  nhsNumber: string | null;
  upn: string | null;
  formerUpn: string | null;
  otherNames: { kind: string; givenName: string; familyName: string }[];
  /** Whether the searched-for postcode is the person's current address, a previous one, or neither. */
  postcodeMatch: 'current' | 'previous' | null;
}

export type Confidence = 'likely' | 'possible' | 'weak';

export interface ScoredCandidate {
  id: string;
  score: number;
  nameScore: number;
  confidence: Confidence;
  reasons: string[];
}

interface NameFormResult {
  score: number;
  reasons: string[];
}

const titleCase = (s: string) => s.replace(/\b([a-z])/g, (c) => c.toUpperCase());

const tokenCache = new Map<string, string[]>();
function tokensOf(name: string): string[] {
  let t = tokenCache.get(name);
  if (!t) {
    t = nameTokens(name);
    if (tokenCache.size >= MATCH_CACHE_LIMIT) tokenCache.clear();
    tokenCache.set(name, t);
  }
  return t;
}

// Candidates share many words (family names, common first names): each pair is compared once.
const matchCache = new Map<string, TokenMatch | null>();
const MATCH_CACHE_LIMIT = 50_000;

function bestMatch(
  query: string,
  candidate: string,
  viaDictionary: TokenMatch | undefined,
): TokenMatch | null {
  const key = `${query}|${candidate}|${viaDictionary?.kind === 'sounds' ? 1 : 0}`;
  let direct = matchCache.get(key);
  if (direct === undefined) {
    direct = matchToken(query, candidate, viaDictionary?.kind === 'sounds');
    if (matchCache.size >= MATCH_CACHE_LIMIT) matchCache.clear();
    matchCache.set(key, direct);
  }
  return viaDictionary && (!direct || viaDictionary.quality > direct.quality) ? viaDictionary : direct;
}

function scoreNameForm(
  query: SearchQuery,
  expansions: Map<number, Map<string, TokenMatch>>,
  form: CandidateName,
): NameFormResult {
  const given = tokensOf(form.givenName);
  const family = tokensOf(form.familyName);
  const recordTokens: { token: string; role: 'given' | 'family' | 'compound'; parts?: string[] }[] = [
    ...given.map((token) => ({ token, role: 'given' as const })),
    ...family.map((token) => ({ token, role: 'family' as const })),
  ];
  if (family.length > 1) recordTokens.push({ token: family.join(''), role: 'compound', parts: family });
  if (given.length > 1) recordTokens.push({ token: given.join(''), role: 'compound', parts: given });

  // Every (query token, record token) pair that matches, best first; then a greedy one-to-one assignment.
  const pairs: { q: number; r: number; m: TokenMatch }[] = [];
  query.tokens.forEach((qt, qi) => {
    const known = expansions.get(qi);
    recordTokens.forEach((rt, ri) => {
      const m = bestMatch(qt.token, rt.token, known?.get(rt.token));
      if (m) pairs.push({ q: qi, r: ri, m });
    });
  });
  pairs.sort((a, b) => b.m.quality - a.m.quality);
  const usedQ = new Map<number, { r: number; m: TokenMatch }>();
  const usedR = new Set<number>();
  for (const p of pairs) {
    if (usedQ.has(p.q) || usedR.has(p.r)) continue;
    const rt = recordTokens[p.r]!;
    // A joined-up name uses its parts, and a part rules out its joined-up name.
    if (
      rt.parts &&
      rt.parts.some((part) =>
        recordTokens.some((o, oi) => usedR.has(oi) && o.token === part && o.role !== 'compound'),
      )
    )
      continue;
    usedQ.set(p.q, { r: p.r, m: p.m });
    usedR.add(p.r);
    if (rt.parts)
      recordTokens.forEach((o, oi) => rt.parts!.includes(o.token) && o.role !== 'compound' && usedR.add(oi));
    else
      recordTokens.forEach((o, oi) => {
        if (o.role === 'compound' && o.parts?.includes(rt.token)) usedR.add(oi);
      });
  }

  const nq = query.tokens.length;
  if (!nq) return { score: 0, reasons: [] };
  const qualities = query.tokens.map((_, i) => usedQ.get(i)?.m.quality ?? 0);
  const sum = qualities.reduce((a, b) => a + b, 0);
  const unmatched = qualities.filter((q) => q === 0).length;
  let score = sum / nq;
  // A middle name or an extra name typed that the record lacks costs a little, not a third of the score.
  if (nq >= 3 && unmatched === 1) score = (sum / (nq - 1)) * 0.9;
  const matchedRoles = new Set([...usedQ.values()].map((u) => recordTokens[u.r]!.role));
  if (nq >= 2 && !matchedRoles.has('family') && !matchedRoles.has('compound')) score *= 0.8;
  if (
    nq >= 2 &&
    !matchedRoles.has('given') &&
    given.length > 0 &&
    !(matchedRoles.has('compound') && unmatched === 0)
  )
    score *= 0.85;
  if (nq === 1) score *= 0.8;

  const reasons: string[] = [];
  const kinds = [...usedQ.entries()].map(([qi, u]) => ({ qi, kind: u.m.kind, record: recordTokens[u.r]! }));
  const all = (k: TokenMatchKind) => kinds.length === nq && kinds.every((x) => x.kind === k);
  if (all('exact') && unmatched === 0) reasons.push(nq === 1 ? 'Same name' : 'Same name');
  for (const k of kinds) {
    const typed = titleCase(query.tokens[k.qi]!.token);
    const recorded = titleCase(k.record.token);
    if (k.kind === 'spelling') reasons.push(`Other spelling of the name: ${typed} for ${recorded}`);
    if (k.kind === 'nickname') reasons.push(`Short form or nickname: ${typed} for ${recorded}`);
  }
  if (kinds.some((k) => k.kind === 'sounds')) reasons.push('Name sounds the same');
  if (kinds.some((k) => k.kind === 'typo')) reasons.push('Similar spelling of the name');
  if (kinds.some((k) => k.kind === 'partial')) reasons.push('Part of the name matches');
  // Typed "family given" where the record has "given family".
  const first = usedQ.get(0);
  const last = usedQ.get(nq - 1);
  if (
    nq >= 2 &&
    first &&
    last &&
    recordTokens[first.r]!.role === 'family' &&
    recordTokens[last.r]!.role === 'given'
  ) {
    reasons.push('First and last names swapped');
  }
  if (
    family.length > 1 &&
    kinds.some((k) => k.record.role === 'family') &&
    !kinds.some((k) => k.record.role === 'compound')
  ) {
    const matchedFamily = kinds.filter((k) => k.record.role === 'family').length;
    if (matchedFamily < family.length) reasons.push('Part of a double-barrelled name matches');
  }
  if (family.length === 1 && query.tokens.length >= 2 && unmatched === 1 && nq >= 3)
    reasons.push('Matches apart from one name');
  return { score: Math.min(1, score), reasons };
}

const DATE_POINTS: Record<DateMatchKind, number> = {
  exact: 30,
  swapped: 18,
  'year-apart': 15,
  'day-apart': 15,
};
const DATE_REASONS: Record<DateMatchKind, string> = {
  exact: 'Same date of birth',
  swapped: 'Date of birth with the day and month swapped',
  'year-apart': 'Date of birth a year apart',
  'day-apart': 'Date of birth a day apart',
};

export function scoreCandidate(
  query: SearchQuery,
  expansions: Map<number, Map<string, TokenMatch>>,
  c: SearchCandidate,
): ScoredCandidate | null {
  const reasons: string[] = [];
  let score = 0;
  let identifierMatch = false;

  // Name: the best of the person's names (main, known as, aliases, previous names).
  let nameScore = 0;
  if (query.tokens.length) {
    const forms: CandidateName[] = [{ kind: 'main', givenName: c.givenName, familyName: c.familyName }];
    if (c.knownAs) forms.push({ kind: 'known-as', givenName: c.knownAs, familyName: c.familyName });
    for (const n of c.otherNames) {
      const kind = n.kind === 'previous' ? 'previous' : n.kind === 'known-as' ? 'known-as' : 'alias';
      forms.push({ kind, givenName: n.givenName, familyName: n.familyName });
    }
    let best: { form: CandidateName; result: NameFormResult; weighted: number } | null = null;
    for (const form of forms) {
      const result = scoreNameForm(query, expansions, form);
      const weighted = result.score * (form.kind === 'main' ? 1 : 0.97);
      if (!best || weighted > best.weighted + 1e-9) best = { form, result, weighted };
    }
    if (best && best.weighted > 0) {
      nameScore = best.weighted;
      score += nameScore * 50;
      if (best.form.kind === 'alias')
        reasons.push(`Alias matches: ${best.form.givenName} ${best.form.familyName}`);
      if (best.form.kind === 'previous')
        reasons.push(`Previous name matches: ${best.form.givenName} ${best.form.familyName}`);
      if (best.form.kind === 'known-as') reasons.push(`Known as ${best.form.givenName}`);
      reasons.push(...best.result.reasons.filter((r) => !(best!.form.kind !== 'main' && r === 'Same name')));
    }
  }

  // Date of birth (or expected date of birth for an unborn child).
  let dateMatched = false;
  if (query.dates.length) {
    const match = query.dates.find((d) => d.date === c.dateOfBirth);
    const expected = query.dates.find((d) => d.date === c.expectedDateOfBirth && d.kind === 'exact');
    if (match) {
      score += DATE_POINTS[match.kind];
      reasons.push(DATE_REASONS[match.kind]);
      dateMatched = true;
    } else if (expected) {
      score += 25;
      reasons.push('Same expected date of birth');
      dateMatched = true;
    } else if (c.dateOfBirth && query.criteria.dateOfBirth) {
      const q = parseIsoDate(query.criteria.dateOfBirth);
      const r = parseIsoDate(c.dateOfBirth);
      if (q.year === r.year && q.month === r.month) {
        score += 8;
        reasons.push('Born in the same month');
      } else score -= 10;
    }
  }

  if (query.criteria.nhsNumber) {
    if (c.nhsNumber === query.criteria.nhsNumber) {
      score += 60;
      identifierMatch = true;
      reasons.unshift('Same NHS number');
    } else if (c.nhsNumber) score -= 30;
  }
  if (query.criteria.upn) {
    if (c.upn === query.criteria.upn) {
      score += 60;
      identifierMatch = true;
      reasons.unshift('Same UPN');
    } else if (c.formerUpn === query.criteria.upn) {
      score += 50;
      identifierMatch = true;
      reasons.unshift('Former UPN matches');
    }
  }
  let postcodeMatched = false;
  if (query.criteria.postcode) {
    if (c.postcodeMatch === 'current') {
      score += 12;
      reasons.push(`Lives at ${query.criteria.postcode}`);
      postcodeMatched = true;
    } else if (c.postcodeMatch === 'previous') {
      score += 8;
      reasons.push(`Used to live at ${query.criteria.postcode}`);
      postcodeMatched = true;
    }
  }

  // Whether to show it at all.
  const hasName = query.tokens.length > 0;
  const include =
    identifierMatch ||
    (hasName
      ? nameScore >= 0.5 || ((dateMatched || postcodeMatched) && nameScore >= 0.3)
      : dateMatched || postcodeMatched);
  if (!include) return null;

  const confidence: Confidence =
    identifierMatch || score >= 70 ? 'likely' : score >= 40 ? 'possible' : 'weak';
  return {
    id: c.id,
    score: Math.round(score * 10) / 10,
    nameScore: Math.round(nameScore * 1000) / 1000,
    confidence,
    reasons: [...new Set(reasons)],
  };
}

export const CONFIDENCE_LABELS: Record<Confidence, string> = {
  likely: 'Likely match',
  possible: 'Possible match',
  weak: 'Weak match',
};

/** Someone described on open work (a contact, a partner referral) who has no record yet: what was written down. */
export interface DescribedPerson {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth?: string | null | undefined;
  nhsNumber?: string | null | undefined;
  /** Normalised 'TW1 3BZ'. */
  postcode?: string | null | undefined;
}

/**
 * Scores a person described on open work against what was searched, with the same weights and reasons as a
 * record, but without the database's dictionary (so listed nicknames and spellings count; sound-alikes do not).
 */
export function scoreDescribedPerson(
  criteria: SearchCriteria,
  person: DescribedPerson,
): ScoredCandidate | null {
  if (isEmptyCriteria(criteria)) return null;
  const query = buildQuery(criteria);
  const postcode = person.postcode?.replace(/\s+/g, '').toUpperCase();
  return scoreCandidate(query, chooseExpansions(query, []), {
    id: person.id,
    givenName: person.givenName ?? '',
    familyName: person.familyName ?? '',
    knownAs: null,
    dateOfBirth: person.dateOfBirth,
    expectedDateOfBirth: person.expectedDateOfBirth ?? null,
    nhsNumber: person.nhsNumber ?? null,
    upn: null,
    formerUpn: null,
    otherNames: [],
    postcodeMatch:
      postcode && postcode === criteria.postcode?.replace(/\s+/g, '').toUpperCase() ? 'current' : null,
  });
}
