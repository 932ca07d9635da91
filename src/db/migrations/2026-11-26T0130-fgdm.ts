import { sql, type Kysely } from 'kysely';

/**
 * Family group decision making (Children Act 1989 s31ZA, inserted by the Children's Wellbeing and Schools Act 2026):
 * before applying for a care or supervision order the authority offers an FGDM meeting to each person with parental
 * responsibility (one offer row each, with their answer), refers an accepted offer to the FGDM service, and records
 * the meetings held with the family's plan; or a manager decides a meeting is not in the child's interests, with a
 * rationale. All of it belongs to a pre-proceedings record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table fgdm_offers (
      id uuid primary key default gen_random_uuid(),
      pre_proceedings_id uuid not null references pre_proceedings(id),
      person_id uuid not null references people(id),
      offered_on date not null,
      method text not null check (method in ('letter-before-proceedings','in-person','letter')),
      response text check (response in ('accepted','declined')),
      responded_on date,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (pre_proceedings_id, person_id),
      constraint fgdm_offers_answer check ((response is null) = (responded_on is null))
    )`.execute(db);
  await sql`alter table pre_proceedings add column fgdm_referred_on date`.execute(db);
  await sql`alter table pre_proceedings add column fgdm_service text`.execute(db);
  await sql`alter table pre_proceedings add column fgdm_not_in_interests_on date`.execute(db);
  await sql`alter table pre_proceedings add column fgdm_not_in_interests_rationale text`.execute(db);
  await sql`alter table pre_proceedings add column fgdm_decided_by uuid references users(id)`.execute(db);
  await sql`
    alter table pre_proceedings add constraint pre_proceedings_fgdm_decision
      check ((fgdm_not_in_interests_on is null) = (fgdm_not_in_interests_rationale is null))`.execute(db);
  await sql`
    create table fgdm_meetings (
      id uuid primary key default gen_random_uuid(),
      pre_proceedings_id uuid not null references pre_proceedings(id),
      held_on date not null,
      attendees text not null,
      family_plan text not null,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index fgdm_meetings_pp_idx on fgdm_meetings (pre_proceedings_id, held_on)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
