import { sql, type Kysely } from 'kysely';

// Finding a person fast at a million records ("is this child known?"):
// - people.name_keys: every normalised name token of the person (given, family, known-as, aliases and
//   previous names, and hyphenated names joined up), GIN-indexed, so candidates come from posting lists;
// - name_tokens: the dictionary of distinct tokens with their double metaphone codes and a trigram index,
//   so a typed name is expanded to the tokens it might be (typos, sound-alikes) by searching tens of
//   thousands of distinct tokens rather than a million names;
// - expected dates of birth (unborn children) and former UPNs are looked up by index too;
// - LA child ids come from a sequence ('RT' + a padded number, see generateLaChildId).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table people add column name_keys text[] not null default '{}'`.execute(db);
  // fastupdate off: a search must not have to scan a GIN pending list of recent inserts (up to 4 MB, until
  // the next vacuum), which made lookups 100 times slower after bulk loads.
  await sql`create index people_name_keys_gin on people using gin (name_keys) with (fastupdate = off)`.execute(
    db,
  );
  await sql`create index people_expected_dob_idx on people (expected_date_of_birth) where expected_date_of_birth is not null`.execute(
    db,
  );
  await sql`create index people_former_upn_idx on people (former_upn) where former_upn is not null`.execute(
    db,
  );
  await sql`create index people_merged_into_idx on people (merged_into_id) where merged_into_id is not null`.execute(
    db,
  );

  await sql`
    create table name_tokens (
      token text primary key,
      metaphone text not null,
      metaphone_alt text not null
    )`.execute(db);
  await sql`create index name_tokens_trgm on name_tokens using gin (token gin_trgm_ops) with (fastupdate = off)`.execute(
    db,
  );
  await sql`create index name_tokens_metaphone_idx on name_tokens (metaphone)`.execute(db);
  await sql`create index name_tokens_metaphone_alt_idx on name_tokens (metaphone_alt)`.execute(db);
  await sql`create index name_tokens_initial_idx on name_tokens (left(token, 1), length(token))`.execute(db);

  await sql`create sequence la_child_id_seq start with 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
