import { sql, type Kysely } from 'kysely';

// Child protection on a CIN episode: strategy discussions (who took part for which agency, information shared,
// decision); section 47 enquiries (census "Section47": start, initial conference target, outcome, "conference not
// required"); initial and review child protection conferences (date, chair, who attended, quorum, outcome,
// category of abuse); child protection plans (census "ChildProtectionPlans": start = the conference date, initial
// and latest category, number of previous plans, end and reason); core groups. The checks mirror census rules:
// 8875 (no conference at a weekend), 8905/8910 (categories), 8840/8925 (end after start), 8935 (one open plan per
// child), 8839 (one open enquiry per episode), 8730 (previous plans zero or more).
export async function up(db: Kysely<any>): Promise<void> {
  const categories = sql.raw(`('NEG','PHY','SAB','EMO','MUL')`);
  await sql`
    create table cp_strategy_discussions (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      held_on date not null,
      information_shared text not null,
      decision text not null check (decision in ('section-47','cin-assessment','no-further-action')),
      rationale text not null,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index cp_strategy_discussions_episode_idx on cp_strategy_discussions (episode_id, held_on)`.execute(
    db,
  );
  await sql`
    create table cp_strategy_participants (
      id uuid primary key default gen_random_uuid(),
      strategy_discussion_id uuid not null references cp_strategy_discussions(id),
      name text not null,
      agency_id uuid references agencies(id),
      role text
    )`.execute(db);
  await sql`create index cp_strategy_participants_idx on cp_strategy_participants (strategy_discussion_id)`.execute(
    db,
  );

  await sql`
    create table section47_enquiries (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      strategy_discussion_id uuid references cp_strategy_discussions(id),
      start_date date not null,
      icpc_target date,
      icpc_not_required boolean not null default false,
      outcome text check (outcome in ('icpc','cin-plan','no-further-action')),
      outcome_on date,
      outcome_notes text,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check (outcome_on is null or outcome_on >= start_date),
      check ((outcome is null) = (outcome_on is null)),
      check (not icpc_not_required or outcome in ('cin-plan','no-further-action'))
    )`.execute(db);
  await sql`create index section47_enquiries_episode_idx on section47_enquiries (episode_id)`.execute(db);
  await sql`create unique index section47_enquiries_one_open on section47_enquiries (episode_id) where outcome is null`.execute(
    db,
  );

  await sql`
    create table cp_conferences (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('initial','review')),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      section47_id uuid references section47_enquiries(id),
      cp_plan_id uuid,
      target_date date,
      held_on date not null check (extract(isodow from held_on) < 6),
      chair text not null,
      quorate boolean not null,
      quorum_note text,
      outcome text not null check (outcome in ('cp-plan','cin-plan','no-further-action','continue-plan','end-plan')),
      category text check (category is null or category in ${categories}),
      decisions text not null,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id),
      check (kind = 'review' or outcome in ('cp-plan','cin-plan','no-further-action')),
      check (kind = 'initial' or (outcome in ('continue-plan','end-plan') and cp_plan_id is not null)),
      check (kind <> 'initial' or outcome <> 'cp-plan' or category is not null),
      check (quorate or quorum_note is not null)
    )`.execute(db);
  await sql`create index cp_conferences_episode_idx on cp_conferences (episode_id, held_on)`.execute(db);
  await sql`create index cp_conferences_plan_idx on cp_conferences (cp_plan_id, held_on)`.execute(db);
  await sql`create unique index cp_conferences_one_per_enquiry on cp_conferences (section47_id) where kind = 'initial' and section47_id is not null`.execute(
    db,
  );
  await sql`
    create table cp_conference_attendees (
      id uuid primary key default gen_random_uuid(),
      conference_id uuid not null references cp_conferences(id),
      name text not null,
      agency_id uuid references agencies(id),
      role text,
      attended boolean not null default true
    )`.execute(db);
  await sql`create index cp_conference_attendees_idx on cp_conference_attendees (conference_id)`.execute(db);

  await sql`
    create table cp_plans (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      initial_conference_id uuid not null references cp_conferences(id),
      start_date date not null,
      initial_category text not null check (initial_category in ${categories}),
      latest_category text not null check (latest_category in ${categories}),
      previous_plans integer not null check (previous_plans >= 0),
      plan_summary text not null,
      end_date date,
      end_reason text check (end_reason in ('conference-decision','moved-to-another-authority','became-looked-after','child-died','other')),
      end_notes text,
      ended_at timestamptz,
      ended_by uuid references users(id),
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check (end_date is null or end_date > start_date),
      check ((end_date is null) = (end_reason is null))
    )`.execute(db);
  await sql`alter table cp_conferences add constraint cp_conferences_plan_fk foreign key (cp_plan_id) references cp_plans(id)`.execute(
    db,
  );
  await sql`create index cp_plans_episode_idx on cp_plans (episode_id)`.execute(db);
  await sql`create index cp_plans_child_idx on cp_plans (child_id, start_date)`.execute(db);
  await sql`create unique index cp_plans_one_open_per_child on cp_plans (child_id) where end_date is null`.execute(
    db,
  );

  await sql`
    create table cp_core_groups (
      id uuid primary key default gen_random_uuid(),
      cp_plan_id uuid not null references cp_plans(id),
      child_id uuid not null references people(id),
      held_on date not null,
      attendees text not null,
      child_seen boolean not null,
      progress text not null,
      scaling integer check (scaling between 0 and 10),
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index cp_core_groups_plan_idx on cp_core_groups (cp_plan_id, held_on)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
