import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The feedback early help collects from children and families at reviews and at closure (early_help_feedback), for
 * the authority's feedback results (case-audits) and the early help impact page. Its questions share their ids and
 * answers with the family feedback surveys, so the case-audits module adds them up with its own responses in one
 * SQL statement: `earlyHelpFeedbackRows` is that statement's early help part.
 */

/**
 * A SELECT over early help's feedback with the columns of a family feedback response: id, local_authority_id,
 * service ('early-help'), point ('plan-review' or 'closure'), team_id, audience ('child' for a child or young person,
 * otherwise 'adult'), template_id (null), answers ({ feedback: { listened, helped, thingsBetter, knowsNext } }),
 * words (what they told us), respondent_name, channel ('meeting') and given_on.
 */
export function earlyHelpFeedbackRows(localAuthorityIds: readonly string[]): RawBuilder<unknown> {
  const las = localAuthorityIds.length ? [...localAuthorityIds] : ['00000000-0000-0000-0000-000000000000'];
  return sql`select f.id, e.local_authority_id, 'early-help'::text as service,
      case f.stage when 'closure' then 'closure' else 'plan-review' end as point,
      e.team_id, case f.respondent when 'child' then 'child' else 'adult' end as audience,
      null::uuid as template_id,
      jsonb_build_object('feedback', jsonb_build_object('listened', f.listened, 'helped', f.helped,
        'thingsBetter', f.things_better, 'knowsNext', f.knows_next)) as answers,
      nullif(btrim(f.comments), '') as words, nullif(btrim(f.respondent_name), '') as respondent_name,
      'meeting'::text as channel, f.given_on
    from early_help_feedback f
    join early_help_episodes e on e.id = f.episode_id
    where e.local_authority_id = any(${sql`${las}::uuid[]`})`;
}

export interface FeedbackByGroup {
  key: string | null;
  label: string;
  responses: number;
  listened: number;
  helped: number;
  better: number;
}

/**
 * Feedback given in a period by cluster and by lead agency of the episode: how many answers, and how many said they
 * were listened to, were helped and that things are better. Counted in SQL.
 */
export async function feedbackByClusterAndAgency(
  db: Db,
  input: { localAuthorityIds: readonly string[]; from: string; to: string; clusterId?: string | undefined },
): Promise<{ clusters: FeedbackByGroup[]; agencies: FeedbackByGroup[] }> {
  const las = input.localAuthorityIds.length
    ? [...input.localAuthorityIds]
    : ['00000000-0000-0000-0000-000000000000'];
  const grouped = (key: RawBuilder<unknown>, label: RawBuilder<unknown>, join: RawBuilder<unknown>) =>
    sql<{
      key: string | null;
      label: string | null;
      responses: string;
      listened: string;
      helped: string;
      better: string;
    }>`
      select ${key} as key, ${label} as label, count(*) as responses,
        count(*) filter (where f.listened = 'yes') as listened,
        count(*) filter (where f.helped = 'yes') as helped,
        count(*) filter (where f.things_better = 'better') as better
      from early_help_feedback f
      join early_help_episodes e on e.id = f.episode_id
      ${join}
      where e.local_authority_id = any(${sql`${las}::uuid[]`})
        and f.given_on between ${input.from} and ${input.to}
        ${input.clusterId ? sql`and e.cluster_id = ${input.clusterId}` : sql``}
      group by 1, 2
      order by 2 nulls last`.execute(db);
  const [clusters, agencies] = await Promise.all([
    grouped(sql`e.cluster_id`, sql`g.name`, sql`left join clusters g on g.id = e.cluster_id`),
    grouped(sql`e.lead_agency_id`, sql`g.name`, sql`left join agencies g on g.id = e.lead_agency_id`),
  ]);
  const rows = (r: typeof clusters, none: string): FeedbackByGroup[] =>
    r.rows.map((x) => ({
      key: x.key,
      label: x.label ?? none,
      responses: Number(x.responses),
      listened: Number(x.listened),
      helped: Number(x.helped),
      better: Number(x.better),
    }));
  return { clusters: rows(clusters, 'No cluster'), agencies: rows(agencies, 'No lead agency') };
}
