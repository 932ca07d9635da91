import { sql, type Kysely } from 'kysely';

/**
 * Distance travelled stored per episode and thing scored (the worker's and the family's scaling, each domain, each
 * goal): the first, latest and closing score and how many there were. The early help impact report reads these rows
 * instead of ordering every score of every closed episode on each request (a large authority's closed episodes in a
 * year have 428,000 scores: 4.5–6.5 s a report). Kept in step by every write of `early_help_scores` (the early help
 * module's `refreshScoreSummaries`); filled here from the scores already recorded, in the order the report used
 * (day, instant to the millisecond, the order of the work; the closing score is the last one recorded at closure).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table early_help_score_summaries (
      episode_id uuid not null references early_help_episodes(id),
      subject text not null,
      subject_key text not null,
      score_count integer not null,
      first_score integer not null,
      first_on date not null,
      latest_score integer not null,
      latest_on date not null,
      closing_score integer,
      primary key (episode_id, subject, subject_key)
    )`.execute(db);
  await sql`
    insert into early_help_score_summaries
      (episode_id, subject, subject_key, score_count, first_score, first_on, latest_score, latest_on, closing_score)
    with s as (
      select episode_id, subject, subject_key, score, occasion, recorded_on,
             row_number() over w as i, count(*) over (partition by episode_id, subject, subject_key) as n
      from early_help_scores
      window w as (partition by episode_id, subject, subject_key
                   order by recorded_on, date_trunc('milliseconds', recorded_at),
                            coalesce(array_position(array['assessment','plan','review','closure']::text[], occasion), 5))
    ), c as (
      select *, max(case when occasion = 'closure' then i end) over (partition by episode_id, subject, subject_key) as ci
      from s
    )
    select episode_id, subject, subject_key, max(n)::int,
           max(score) filter (where i = 1), max(recorded_on) filter (where i = 1),
           max(score) filter (where i = n), max(recorded_on) filter (where i = n),
           max(score) filter (where i = ci)
    from c
    group by episode_id, subject, subject_key`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
