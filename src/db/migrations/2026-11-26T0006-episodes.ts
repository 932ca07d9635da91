import { sql, type Kysely } from 'kysely';

// The two kinds of involvement a front-door decision opens: an early help (family help) episode for one or more
// children of a family, and a children-in-need episode per child (the CIN census "CINdetails": referral date and
// source, primary need, NFA flag, closure date and reason). Later migrations add assessments, plans and reviews.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence early_help_episode_number`.execute(db);
  await sql`
    create table early_help_episodes (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      local_authority_id uuid not null references local_authorities(id),
      status text not null default 'open' check (status in ('open','closed')),
      source text not null check (source in ('front-door','partner','step-down')),
      source_contact_id uuid,
      source_cin_episode_id uuid,
      team_id uuid references teams(id),
      cluster_id uuid references clusters(id),
      lead_practitioner_id uuid references users(id),
      lead_agency_id uuid references agencies(id),
      family_preference text,
      level_of_need text,
      consent_given boolean,
      consent_recorded_on date,
      consent_notes text,
      opened_on date not null,
      closed_on date,
      closure_reason text,
      closure_outcome text,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check ((status = 'closed') = (closed_on is not null))
    )`.execute(db);
  await sql`create index early_help_episodes_lead_idx on early_help_episodes (lead_practitioner_id) where status = 'open'`.execute(
    db,
  );
  await sql`
    create table early_help_episode_children (
      episode_id uuid not null references early_help_episodes(id),
      child_id uuid not null references people(id),
      added_on date not null,
      primary key (episode_id, child_id)
    )`.execute(db);
  await sql`create index early_help_episode_children_child_idx on early_help_episode_children (child_id)`.execute(
    db,
  );

  await sql`create sequence cin_episode_number`.execute(db);
  await sql`
    create table cin_episodes (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      child_id uuid not null references people(id),
      local_authority_id uuid not null references local_authorities(id),
      referral_date date not null,
      referral_source text not null,
      primary_need_code text,
      referral_nfa boolean not null default false,
      closure_date date,
      closure_reason text,
      source_contact_id uuid,
      transferred_in_from text,
      team_id uuid references teams(id),
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      -- CIN census rules 8805 and 8810: a closure date and a reason go together.
      check ((closure_date is null) = (closure_reason is null)),
      check (closure_date is null or closure_date >= referral_date)
    )`.execute(db);
  await sql`create index cin_episodes_child_idx on cin_episodes (child_id, referral_date desc)`.execute(db);
  await sql`create index cin_episodes_open_idx on cin_episodes (team_id) where closure_date is null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
