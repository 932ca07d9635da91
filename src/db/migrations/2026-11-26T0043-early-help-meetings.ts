import { sql, type Kysely } from 'kysely';

// Team-around-the-family meetings and reviews (every 6–8 weeks: attendance by agency, progress per goal, updated
// scaling, the child's and family's views, a decision to continue, close or step up); every score recorded on an
// episode (worker and family scaling 0–10, assessment framework domains 1–5, goals 0–10) with the occasion it was
// given at, so distance travelled (first, latest, closing) is a query; and feedback from children and families.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table early_help_meetings (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      held_on date not null,
      kind text not null check (kind in ('initial','review')),
      family_attendance text,
      other_attendees text,
      childs_views text not null,
      family_views text not null,
      decision text not null check (decision in ('continue','close','step-up')),
      decision_rationale text not null,
      next_review_due_on date,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id),
      check (decision <> 'continue' or next_review_due_on is not null)
    )`.execute(db);
  await sql`create index early_help_meetings_episode_idx on early_help_meetings (episode_id, held_on desc)`.execute(
    db,
  );

  await sql`
    create table early_help_meeting_attendance (
      meeting_id uuid not null references early_help_meetings(id),
      member_id uuid not null references early_help_taf_members(id),
      attendance text not null check (attendance in ('attended','apologies','did-not-attend')),
      primary key (meeting_id, member_id)
    )`.execute(db);

  await sql`
    create table early_help_goal_progress (
      meeting_id uuid not null references early_help_meetings(id),
      goal_id uuid not null references early_help_goals(id),
      progress text not null,
      status text not null check (status in ('open','achieved','partly-achieved','not-achieved','no-longer-needed')),
      primary key (meeting_id, goal_id)
    )`.execute(db);

  await sql`
    create table early_help_scores (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      occasion text not null check (occasion in ('assessment','plan','review','closure')),
      source_id uuid,
      recorded_on date not null,
      subject text not null check (subject in ('scale','domain','goal')),
      subject_key text not null,
      score integer not null,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id),
      check (subject <> 'scale' or subject_key in ('worker','family')),
      check (subject <> 'domain' or subject_key in ('childDevelopment','parentingCapacity','familyEnvironment')),
      check ((subject = 'domain' and score between 1 and 5) or (subject <> 'domain' and score between 0 and 10))
    )`.execute(db);
  await sql`create index early_help_scores_episode_idx on early_help_scores (episode_id, subject, subject_key, recorded_on)`.execute(
    db,
  );

  await sql`
    create table early_help_feedback (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      meeting_id uuid references early_help_meetings(id),
      stage text not null check (stage in ('review','closure')),
      respondent text not null check (respondent in ('child','parent-carer','other-family')),
      respondent_name text,
      listened text not null check (listened in ('yes','a-bit','no')),
      helped text not null check (helped in ('yes','a-bit','no')),
      things_better text not null check (things_better in ('better','same','worse')),
      knows_next text not null check (knows_next in ('yes','not-sure','no')),
      comments text,
      given_on date not null,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id)
    )`.execute(db);
  await sql`create index early_help_feedback_episode_idx on early_help_feedback (episode_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
