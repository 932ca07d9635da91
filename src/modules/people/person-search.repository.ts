import { expressionBuilder, sql, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { visibleTo, type CurrentUser } from '../../kernel/access/index.ts';
import type { ExpansionRow, SearchCandidate, SearchQuery, TokenMatch } from './person-search.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The database half of finding a person. Designed for a million people (bench/RESULTS.md):
 *
 * 1. Expand each typed word against the dictionary of distinct name tokens (name_tokens: tens of thousands
 *    of rows, not millions): trigram similarity (GIN), the same double metaphone (b-tree), up to two edits
 *    with the same first letter (b-tree on initial and length), and listed nicknames and spellings.
 * 2. Candidates, each lookup bounded by a LIMIT: people whose name_keys (GIN) contain two of the typed
 *    words, then any forms of two of them; any form of one word with an exact or near date of birth (GIN
 *    and b-tree together); the exact date of birth, then near dates (b-tree); NHS number, UPN, former UPN
 *    (b-tree); postcode (expression index on addresses). Not merged, and only records the user may
 *    see (visibleTo), checked in each lookup before its LIMIT so that hidden records never crowd out visible ones.
 * 3. The candidates' names, other names and postcode match come back in the same statement, for scoring
 *    in person-search.ts.
 */

/** Rows found per lookup: enough for ranking, small enough to stay fast on common names. */
export const CANDIDATES_PER_LOOKUP = 200;

const CANDIDATE_COLUMNS = sql.raw(
  'p.id, p.kind, p.sex, p.given_name, p.family_name, p.known_as, p.date_of_birth, p.expected_date_of_birth, p.date_of_death, ' +
    'p.nhs_number, p.upn, p.former_upn, p.la_child_id, p.restricted, p.local_authority_id',
);

export async function expandNameTokens(db: Db, query: SearchQuery): Promise<ExpansionRow[]> {
  if (!query.tokens.length) return [];
  const tokens = query.tokens.map((t) => t.token);
  const variants = query.tokens.map((t) => t.variants.join(' '));
  const { rows } = await sql<{ index: number; token: string; sounds: boolean; similarity: number }>`
    with q as materialized (
      select u.t, string_to_array(u.v, ' ') as vs, (u.i - 1)::int as i, dmetaphone(u.t) as m1, dmetaphone_alt(u.t) as m2
      from unnest(${tokens}::text[], ${variants}::text[]) with ordinality as u(t, v, i)
    )
    select q.i as index, e.token,
      (q.m1 <> '' and (e.metaphone in (q.m1, q.m2) or e.metaphone_alt in (q.m1, q.m2))) as sounds,
      similarity(e.token, q.t)::float8 as similarity
    from q
    cross join lateral (
      select nt.token, nt.metaphone, nt.metaphone_alt from name_tokens nt where nt.token % q.t
      union
      select nt.token, nt.metaphone, nt.metaphone_alt from name_tokens nt where q.m1 <> '' and nt.metaphone in (q.m1, q.m2)
      union
      select nt.token, nt.metaphone, nt.metaphone_alt from name_tokens nt where q.m1 <> '' and nt.metaphone_alt in (q.m1, q.m2)
      union
      select nt.token, nt.metaphone, nt.metaphone_alt from name_tokens nt
        where left(nt.token, 1) = left(q.t, 1) and length(nt.token) between length(q.t) - 2 and length(q.t) + 2
          and levenshtein_less_equal(nt.token, q.t, 2) <= 2
      union
      select nt.token, nt.metaphone, nt.metaphone_alt from name_tokens nt where nt.token = any(q.vs)
    ) e`.execute(db);
  return rows.map((r) => ({
    index: Number(r.index),
    token: r.token,
    sounds: !!r.sounds,
    similarity: Number(r.similarity),
  }));
}

export interface CandidateRow extends SearchCandidate {
  kind: string;
  sex: string | null;
  laChildId: string | null;
  restricted: boolean;
  dateOfDeath: string | null;
  localAuthorityId: string;
}

export async function findCandidates(
  db: Db,
  user: CurrentUser,
  now: Date,
  query: SearchQuery,
  expansions: Map<number, Map<string, TokenMatch>>,
  options: { excludeIds?: readonly string[]; limit?: number } = {},
): Promise<CandidateRow[]> {
  const limit = options.limit ?? CANDIDATES_PER_LOOKUP;
  const exclude = options.excludeIds?.length
    ? [...options.excludeIds]
    : ['00000000-0000-0000-0000-000000000000'];
  // Each lookup is one index (or one BitmapAnd of two) with a LIMIT. Record access (visibleTo) is checked
  // inside each lookup, before its LIMIT: checked after, a user who may see few records could lose the ones
  // they may see behind the first rows they may not. For most staff the check is decided by the first,
  // cheapest condition (an unrestricted record of an authority they read by default); only for a user with
  // narrow access does it fall to the allocation and grant probes, and only on the rows the index gives.
  const visible = visibleTo(user, now, 'p.id')(expressionBuilder<DB, 'people'>());
  const lookup = (condition: RawBuilder<unknown>) =>
    sql`(select ${CANDIDATE_COLUMNS} from people p where ${condition} and p.merged_into_id is null and ${visible} limit ${limit})`;

  const parts: RawBuilder<unknown>[] = [];
  const sets = query.tokens.map((_, i) => [...(expansions.get(i)?.keys() ?? [])]);
  const tokens = query.tokens.map((t) => t.token);
  const hasDate = query.dates.length > 0;
  if (sets.length === 1) {
    // One word typed: people with that word, then (without a date to narrow it) with any form of it.
    parts.push(lookup(sql`p.name_keys @> ${[tokens[0]!]}::text[]`));
    if (!hasDate) parts.push(lookup(sql`p.name_keys && ${sets[0]}::text[]`));
  }
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      // The exact words first (so a common name's exact matches are never crowded out), then any forms.
      parts.push(lookup(sql`p.name_keys @> ${[tokens[i]!, tokens[j]!]}::text[]`));
      parts.push(lookup(sql`p.name_keys && ${sets[i]}::text[] and p.name_keys && ${sets[j]}::text[]`));
    }
  }
  if (query.dates.length) {
    const dates = query.dates.map((d) => d.date);
    // One of the names and a date: precise (a BitmapAnd of two indexes) however common the name.
    for (const set of sets)
      parts.push(lookup(sql`p.name_keys && ${set}::text[] and p.date_of_birth = any(${dates}::date[])`));
    parts.push(
      lookup(sql`(p.date_of_birth = ${dates[0]!}::date or p.expected_date_of_birth = ${dates[0]!}::date)`),
    );
    // Near dates alone only when no name was typed (with a name, "a form of the name and a near date" covers it).
    if (!sets.length) parts.push(lookup(sql`p.date_of_birth = any(${dates.slice(1)}::date[])`));
  }
  const ids: RawBuilder<unknown>[] = [];
  if (query.criteria.nhsNumber) ids.push(sql`p.nhs_number = ${query.criteria.nhsNumber}`);
  if (query.criteria.upn)
    ids.push(sql`p.upn = ${query.criteria.upn}`, sql`p.former_upn = ${query.criteria.upn}`);
  if (ids.length) parts.push(lookup(sql`(${sql.join(ids, sql` or `)})`));
  const compactPostcode = query.criteria.postcode?.replace(/\s/g, '') ?? null;
  if (compactPostcode) {
    parts.push(
      lookup(
        sql`p.id in (select a.person_id from addresses a where replace(a.postcode, ' ', '') = ${compactPostcode})`,
      ),
    );
  }
  if (!parts.length) return [];

  const postcodeMatch = compactPostcode
    ? sql`(select case when bool_or(a.to_date is null) then 'current' else 'previous' end from addresses a
          where a.person_id = p.id and replace(a.postcode, ' ', '') = ${compactPostcode})`
    : sql`null::text`;
  // Every lookup is meant to use its index. With a LIMIT, the planner may instead read the table in order
  // hoping to meet matches early, which for a name common enough costs 100 ms at a million people. The
  // setting lasts to the end of the caller's transaction (the request's), whose other queries are indexed.
  await sql`set local enable_seqscan = off`.execute(db);
  const { rows } = await sql<CandidateRow>`
    with c as (${sql.join(parts, sql` union `)})
    select p.id, p.kind, p.sex, p.given_name, p.family_name, p.known_as, p.date_of_birth, p.expected_date_of_birth,
      p.date_of_death, p.nhs_number, p.upn, p.former_upn, p.la_child_id, p.restricted, p.local_authority_id,
      coalesce((select json_agg(json_build_object('kind', n.kind, 'givenName', n.given_name, 'familyName', n.family_name))
                from person_names n where n.person_id = p.id), '[]'::json) as other_names,
      ${postcodeMatch} as postcode_match
    from c as p
    where p.id <> all(${exclude}::uuid[])`.execute(db);
  return rows;
}

/** What a result shows besides the name: the current postcode, for many people in one query. */
export async function resultDetails(db: Db, personIds: readonly string[]) {
  const out = new Map<string, { currentPostcode: string | null }>();
  if (!personIds.length) return out;
  const { rows } = await sql<{ id: string; currentPostcode: string | null }>`
    select p.id,
      (select a.postcode from addresses a where a.person_id = p.id and a.to_date is null order by a.created_at desc limit 1) as current_postcode
    from unnest(${[...personIds]}::uuid[]) as p(id)`.execute(db);
  for (const r of rows) out.set(r.id, { currentPostcode: r.currentPostcode });
  return out;
}
