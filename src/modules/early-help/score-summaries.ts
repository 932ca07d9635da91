import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';
import { OCCASION_ORDER } from './early-help.ts';

/**
 * The stored distance travelled (`early_help_score_summaries`): for each episode and thing scored, the first, latest
 * and closing score and how many there were, in distanceTravelled's order (day, instant to the millisecond, the order
 * of the work; the closing score the last one recorded at closure). Every write of `early_help_scores` calls
 * `refreshScoreSummaries` for the episodes it touched, in the same transaction, so the impact report reads one row
 * per episode and thing scored instead of ordering every score on each request.
 */
export async function refreshScoreSummaries(db: Db, episodeIds: readonly string[]): Promise<void> {
  const ids = [...new Set(episodeIds)];
  if (!ids.length) return;
  await db
    .deleteFrom('earlyHelpScoreSummaries')
    .where(sql<boolean>`episode_id = any(${sql`${ids}::uuid[]`})`)
    .execute();
  await sql`
    insert into early_help_score_summaries
      (episode_id, subject, subject_key, score_count, first_score, first_on, latest_score, latest_on, closing_score)
    with s as (
      select episode_id, subject, subject_key, score, occasion, recorded_on,
             row_number() over w as i, count(*) over (partition by episode_id, subject, subject_key) as n
      from early_help_scores
      where episode_id = any(${sql`${ids}::uuid[]`})
      window w as (partition by episode_id, subject, subject_key
                   order by recorded_on, date_trunc('milliseconds', recorded_at),
                            coalesce(array_position(${sql`${OCCASION_ORDER}::text[]`}, occasion), ${OCCASION_ORDER.length + 1}::int))
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
