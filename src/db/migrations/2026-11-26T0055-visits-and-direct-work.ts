import { sql, type Kysely } from 'kysely';

// Statutory visits (seen, seen alone, bedroom seen; under a CP plan, a CIN plan or during the assessment), direct
// work sessions (the tool used, the child's own words, how a child who does not use words communicated), and
// actions: follow-ups from direct work (or added at a review) that land in the open plan and are marked done or
// not at the next review, core group or review conference. The direct work tools are a reference code set an
// authority extends as data.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table statutory_visits (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      plan_kind text not null check (plan_kind in ('cp','cin','assessment')),
      visited_on date not null,
      child_seen boolean not null,
      seen_alone boolean,
      bedroom_seen boolean,
      reason_not_seen text,
      notes text not null,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id),
      check (child_seen or (seen_alone is null and reason_not_seen is not null)),
      check (not child_seen or seen_alone is not null)
    )`.execute(db);
  await sql`create index statutory_visits_episode_idx on statutory_visits (episode_id, visited_on desc)`.execute(
    db,
  );

  await sql`
    create table direct_work_sessions (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      held_on date not null,
      tool text not null,
      childs_words text not null,
      communication text,
      summary text not null,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index direct_work_sessions_episode_idx on direct_work_sessions (episode_id, held_on desc)`.execute(
    db,
  );

  await sql`
    create table plan_actions (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      cin_plan_id uuid references cin_plans(id),
      cp_plan_id uuid references cp_plans(id),
      direct_work_id uuid references direct_work_sessions(id),
      position integer not null default 1,
      action text not null,
      responsible text not null,
      due_on date,
      done_on date,
      done_recorded_by uuid references users(id),
      created_at timestamptz not null,
      created_by uuid references users(id),
      check (cin_plan_id is null or cp_plan_id is null)
    )`.execute(db);
  await sql`create index plan_actions_episode_idx on plan_actions (episode_id)`.execute(db);
  await sql`create index plan_actions_cin_plan_idx on plan_actions (cin_plan_id) where cin_plan_id is not null`.execute(
    db,
  );
  await sql`create index plan_actions_cp_plan_idx on plan_actions (cp_plan_id) where cp_plan_id is not null`.execute(
    db,
  );
  await sql`
    create table plan_action_checks (
      id uuid primary key default gen_random_uuid(),
      action_id uuid not null references plan_actions(id),
      review_kind text not null check (review_kind in ('cin-review','core-group','review-conference')),
      review_id uuid not null,
      done boolean not null,
      checked_on date not null
    )`.execute(db);
  await sql`create index plan_action_checks_review_idx on plan_action_checks (review_id)`.execute(db);
  await sql`create index plan_action_checks_action_idx on plan_action_checks (action_id)`.execute(db);

  const tools: [string, string, string][] = [
    ['three-houses', 'Three Houses', 'House of worries, house of good things, house of dreams'],
    [
      'wishes-and-feelings',
      'Wishes and Feelings',
      'Worksheets or conversation about what the child wants and how they feel',
    ],
    [
      'words-and-pictures',
      'Words and Pictures',
      'An explanation for the child, in words and drawings, of what happened and what is happening',
    ],
    ['wizard-and-fairy', 'Wizard and Fairy', 'For younger children: what the wizard or fairy would change'],
    [
      'safety-house',
      'Safety House',
      'Who is in the child’s house of safety, and the rules that keep them safe',
    ],
    ['ecomap', 'Ecomap', 'The people and places in the child’s world, and how close they feel'],
    ['all-about-me', 'All About Me', 'A profile of the child by the child'],
    [
      'observation',
      'Observation and play',
      'For babies, very young children and children who do not use words',
    ],
    ['other', 'Other', 'Describe the tool in the summary'],
  ];
  let order = 0;
  for (const [code, label, description] of tools) {
    await sql`insert into ref_codes (code_set, code, label, description, sort_order) values ('direct-work-tool', ${code}, ${label}, ${description}, ${order++})
              on conflict (code_set, code) do nothing`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
