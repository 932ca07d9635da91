import { sql, type Kysely } from 'kysely';

/**
 * Family networks (issue 22, part 1; people module). The people in a child's family network (relatives, friends and
 * others important to the child): a person already on the record, or someone named here with how to reach them;
 * their role in the network, how to reach them and the support they can offer. A membership is changed with the
 * version check and ended with a date and reason, never deleted. Family network meetings at any stage (early help
 * or social care): who was invited, who came, the family's own plan and what each network member will do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table family_network_members (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      person_id uuid references people(id),
      given_name text,
      family_name text,
      role_code text not null check (role_code in ('grandparent', 'aunt-uncle', 'sibling', 'cousin',
        'other-relative', 'family-friend', 'neighbour', 'other')),
      role_description text,
      phone text,
      email text,
      address_note text,
      preferred_contact text check (preferred_contact in ('phone', 'email', 'letter', 'in-person')),
      support_offers text[] not null default '{}',
      from_date date not null,
      to_date date,
      end_reason text,
      version integer not null default 1,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (person_id is not null or (given_name is not null and family_name is not null)),
      check (to_date is null or end_reason is not null)
    )`.execute(db);
  await sql`create index family_network_members_child_idx on family_network_members (child_id, from_date)`.execute(
    db,
  );
  await sql`
    create unique index family_network_members_current_person_idx on family_network_members (child_id, person_id)
      where to_date is null and person_id is not null`.execute(db);

  await sql`
    create table family_network_meetings (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      held_on date not null,
      facilitator text not null,
      early_help_episode_id uuid references early_help_episodes(id),
      cin_episode_id uuid references cin_episodes(id),
      episode_reference text,
      family_plan text not null,
      recorded_by uuid not null references users(id),
      recorded_at timestamptz not null,
      check (early_help_episode_id is null or cin_episode_id is null)
    )`.execute(db);
  await sql`create index family_network_meetings_child_idx on family_network_meetings (child_id, held_on desc)`.execute(
    db,
  );
  await sql`
    create table family_network_meeting_participants (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references family_network_meetings(id),
      member_id uuid references family_network_members(id),
      professional_name text,
      attended boolean not null,
      check (member_id is not null or professional_name is not null)
    )`.execute(db);
  await sql`
    create index family_network_meeting_participants_meeting_idx on family_network_meeting_participants (meeting_id)`.execute(
    db,
  );
  await sql`
    create table family_network_meeting_actions (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references family_network_meetings(id),
      member_id uuid not null references family_network_members(id),
      action text not null,
      due_on date not null,
      completed_on date
    )`.execute(db);
  await sql`
    create index family_network_meeting_actions_meeting_idx on family_network_meeting_actions (meeting_id)`.execute(
    db,
  );
  await sql`
    create index family_network_meeting_actions_open_idx on family_network_meeting_actions (due_on)
      where completed_on is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
