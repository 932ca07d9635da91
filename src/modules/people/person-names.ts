/**
 * Names as a computer should compare them: lower case, accents removed (Zoë → zoe), apostrophes dropped
 * (O'Brien → obrien), hyphens and other separators between words. Pure functions: used when a person is
 * saved (to build their search keys) and when someone searches.
 */

export interface NameParts {
  givenName: string;
  familyName: string;
}

export interface PersonNameSet extends NameParts {
  knownAs?: string | null;
  otherNames?: readonly NameParts[];
}

/** 'Zoë O’Brien-Smith' → 'zoe obrien smith'. */
export function normaliseName(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/['’`‘]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** The words of a name, normalised: 'Anne-Marie  de la Cruz' → ['anne', 'marie', 'de', 'la', 'cruz']. */
export function nameTokens(input: string): string[] {
  const n = normaliseName(input);
  return n ? n.split(' ') : [];
}

/**
 * The words of a name and, for a name of several words, the words joined up ('Smith-Jones' →
 * smith, jones, smithjones), so that 'Smithjones', 'Smith Jones' and 'Jones' all find it.
 */
export function nameTokensWithCompound(input: string): string[] {
  const tokens = nameTokens(input);
  if (tokens.length > 1) tokens.push(tokens.join(''));
  return tokens;
}

/** The normalised full name kept in people.search_name and person_names.search_name. */
export function searchName(name: NameParts): string {
  return normaliseName(`${name.givenName} ${name.familyName}`);
}

/** Tokens shorter than this are initials or particles: not used to find candidates on their own. */
export const MIN_KEY_LENGTH = 2;

/**
 * Every name token of a person (given, family, known-as, aliases and previous names, with hyphenated and
 * multi-word names also joined up). Stored in people.name_keys, which the search's candidate lookup uses.
 */
export function personNameKeys(names: PersonNameSet): string[] {
  const keys = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (!value) return;
    for (const t of nameTokensWithCompound(value)) if (t.length >= MIN_KEY_LENGTH) keys.add(t);
  };
  add(names.givenName);
  add(names.familyName);
  add(names.knownAs);
  for (const other of names.otherNames ?? []) {
    add(other.givenName);
    add(other.familyName);
  }
  return [...keys].sort();
}

/** Jaro–Winkler similarity of two strings, 0–1 (1 = the same). Good for short names with typos. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(b.length - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Levenshtein edit distance (insertions, deletions, substitutions), with adjacent swaps counted once. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  const cols = b.length + 1;
  // Three rolling rows (the one before last is needed for swaps).
  let prev2 = new Uint16Array(cols);
  let prev = new Uint16Array(cols);
  let curr = new Uint16Array(cols);
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      )
        v = Math.min(v, prev2[j - 2]! + 1);
      curr[j] = v;
    }
    [prev2, prev, curr] = [prev, curr, prev2];
  }
  return prev[b.length]!;
}
