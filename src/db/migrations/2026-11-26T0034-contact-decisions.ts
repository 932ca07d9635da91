import { sql, type Kysely } from 'kysely';

// Threshold decisions on contacts: level of need (with the continuum and threshold document version), outcome,
// rationale, the words safe to share with the referrer, and a manager's authorisation (or sending back) with
// its own rationale; where the contact was routed. Strategy discussions held on a contact: when, who took part
// for which agency, and what was decided.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table contact_decisions (
      id uuid primary key default gen_random_uuid(),
      contact_id uuid not null references contacts(id),
      decided_at timestamptz not null,
      decided_by uuid not null references users(id),
      continuum_id uuid not null references threshold_continua(id),
      level_of_need text not null,
      threshold_document_version text not null,
      outcome text not null check (outcome in ('nfa','information-advice','early-help','social-care','strategy-discussion')),
      rationale text not null,
      referrer_feedback text not null,
      status text not null default 'awaiting-authorisation' check (status in ('awaiting-authorisation','authorised','sent-back')),
      reviewed_at timestamptz,
      reviewed_by uuid references users(id),
      authorisation_rationale text,
      sent_back_reason text,
      routed_team_id uuid references teams(id),
      early_help_episode_id uuid references early_help_episodes(id),
      cin_episode_ids uuid[] not null default '{}',
      version integer not null default 1,
      check (status = 'awaiting-authorisation' or (reviewed_at is not null and reviewed_by is not null)),
      check (status <> 'authorised' or authorisation_rationale is not null),
      check (status <> 'sent-back' or sent_back_reason is not null)
    )`.execute(db);
  // At most one live decision per contact: a second one is refused (a sent-back decision may be replaced).
  await sql`create unique index contact_decisions_one_live on contact_decisions (contact_id) where status <> 'sent-back'`.execute(
    db,
  );
  await sql`create index contact_decisions_decided_idx on contact_decisions (decided_at)`.execute(db);

  await sql`
    create table strategy_discussions (
      id uuid primary key default gen_random_uuid(),
      contact_id uuid not null references contacts(id),
      decision_id uuid references contact_decisions(id),
      held_at timestamptz not null,
      outcome text not null check (outcome in ('section-47','assessment','no-further-action')),
      decided text not null,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index strategy_discussions_contact_idx on strategy_discussions (contact_id)`.execute(db);
  await sql`
    create table strategy_discussion_participants (
      id uuid primary key default gen_random_uuid(),
      strategy_discussion_id uuid not null references strategy_discussions(id),
      name text not null,
      agency_id uuid references agencies(id),
      role text
    )`.execute(db);
  await sql`create index strategy_discussion_participants_idx on strategy_discussion_participants (strategy_discussion_id)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
