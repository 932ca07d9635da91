import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';
import {
  inPeriod,
  laIn,
  londonDate,
  measureRows,
  teamIs,
  workingDays,
  type MeasureScope,
  type WorkingDayTable,
} from './measures.repository.ts';
import type { PathwayStageId, StageCountRow } from './pathway.ts';

/**
 * The pathway's stages in the measures layer (docs/adr/0008-measures-layer.md): one query per stage with the
 * measures' columns (child_id, subject_id, ref, event_on, grp, counted, days, due_on). Referrals, completed
 * assessments and closures are the rows of their measures (`measureRows`), with the pathway's own `counted` (went
 * on to the next stage) and `days` (how long the stage took), so the pathway and the measure count the same
 * records. Everything is counted in PostgreSQL.
 */

/** An instant range for a period of UK days (index-friendly on timestamp columns). */
const receivedIn = (column: string, scope: MeasureScope) =>
  sql`${sql.ref(column)} >= (${scope.from}::date::timestamp at time zone 'Europe/London')
    and ${sql.ref(column)} < ((${scope.to}::date + 1)::timestamp at time zone 'Europe/London')`;

/** The contact's first child matched to a record, if any. */
const contactChild = sql`(select cc.person_id from contact_children cc
  where cc.contact_id = c.id and cc.person_id is not null order by cc.position limit 1)`;

export function pathwayRows(
  stage: PathwayStageId,
  scope: MeasureScope,
  table: WorkingDayTable,
): RawBuilder<unknown> {
  switch (stage) {
    case 'contacts':
      return sql`select ${contactChild} as child_id, c.id as subject_id, c.reference as ref,
          ${londonDate('c.received_at')} as event_on, coalesce(d.outcome, 'undecided') as grp,
          coalesce(d.outcome in ('social-care', 'strategy-discussion'), false) as counted,
          null::int as days, null::date as due_on
        from contacts c
        left join contact_decisions d on d.contact_id = c.id and d.status = 'authorised'
        where ${laIn('c.local_authority_id', scope)} and ${teamIs('d.routed_team_id', scope)}
          and ${receivedIn('c.received_at', scope)}`;
    case 'decisions': {
      const days = workingDays(table, londonDate('c.received_at'), londonDate('d.decided_at'));
      return sql`select ${contactChild} as child_id, d.id as subject_id, c.reference as ref,
          ${londonDate('d.decided_at')} as event_on, d.outcome as grp, true as counted,
          ${days} as days, null::date as due_on
        from contact_decisions d join contacts c on c.id = d.contact_id
        where d.status = 'authorised' and ${laIn('c.local_authority_id', scope)}
          and ${teamIs('d.routed_team_id', scope)} and ${receivedIn('d.decided_at', scope)}`;
    }
    case 'early-help': {
      const start = sql`greatest(h.opened_on, ch.added_on)`;
      const days = workingDays(table, londonDate('sc.received_at'), start);
      return sql`select ch.child_id, h.id as subject_id, h.reference as ref, ${start} as event_on,
          h.source as grp, true as counted,
          case when sc.id is null then null else ${days} end as days, null::date as due_on
        from early_help_episodes h
        join early_help_episode_children ch on ch.episode_id = h.id
        left join contacts sc on sc.id = h.source_contact_id
        where ${laIn('h.local_authority_id', scope)} and ${teamIs('h.team_id', scope)}
          and ${start} between ${scope.from}::date and ${scope.to}::date`;
    }
    case 'referrals': {
      const days = workingDays(table, londonDate('c.received_at'), sql`m.event_on`);
      return sql`select m.child_id, m.subject_id, m.ref, m.event_on, m.grp,
          exists (select 1 from cin_assessments a where a.episode_id = m.subject_id) as counted,
          case when c.id is null then null else ${days} end as days, null::date as due_on
        from (${measureRows('referrals', scope, table)}) m
        join cin_episodes e on e.id = m.subject_id
        left join contacts c on c.id = e.source_contact_id`;
    }
    case 'assessments':
      return sql`select m.child_id, m.subject_id, m.ref, m.event_on, m.grp,
          (exists (select 1 from cin_plans p where p.episode_id = a.episode_id and p.start_date >= a.start_date)
           or exists (select 1 from cp_plans p where p.episode_id = a.episode_id and p.start_date >= a.start_date))
            as counted,
          m.days, null::date as due_on
        from (${measureRows('assessment-timeliness', scope, table)}) m
        join cin_assessments a on a.id = m.subject_id`;
    case 'plans': {
      const days = workingDays(table, sql`e.referral_date`, sql`p.start_date`);
      const plans = (tableName: string, grp: string) =>
        sql`select p.child_id, p.id as subject_id, e.reference as ref, p.start_date as event_on,
            ${grp}::text as grp, true as counted, ${days} as days, null::date as due_on
          from ${sql.table(tableName)} p join cin_episodes e on e.id = p.episode_id
          where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
            and ${inPeriod('p.start_date', scope)}`;
      return sql`${plans('cin_plans', 'cin')} union all ${plans('cp_plans', 'cp')}`;
    }
    case 'closures': {
      const days = workingDays(table, sql`e.referral_date`, sql`m.event_on`);
      return sql`select m.child_id, m.subject_id, m.ref, m.event_on, m.grp, true as counted,
          ${days} as days, null::date as due_on
        from (${measureRows('closures', scope, table)}) m
        join cin_episodes e on e.id = m.subject_id`;
    }
  }
}

/**
 * A stage's counts from its rows: per month and group, per month (with the conversion's numerator and the median
 * working days), per group and for the whole period, in one pass (GROUPING SETS).
 */
export async function pathwayCounts(
  db: Db,
  stage: PathwayStageId,
  scope: MeasureScope,
  table: WorkingDayTable,
): Promise<StageCountRow[]> {
  if (!scope.localAuthorityIds.length) return [];
  const { rows } = await sql<{
    month: string | null;
    grp: string | null;
    byMonth: number;
    byGroup: number;
    total: number;
    counted: number;
    median: number | string | null;
  }>`
    select m.month, m.grp, grouping(m.month) as by_month, grouping(m.grp) as by_group,
      count(*)::int as total, count(*) filter (where m.counted)::int as counted,
      percentile_cont(0.5) within group (order by m.days) as median
    from (select x.*, to_char(x.event_on, 'YYYY-MM') as month from (${pathwayRows(stage, scope, table)}) x) m
    group by grouping sets ((m.month, m.grp), (m.month), (m.grp), ())`.execute(db);
  return rows.map((r) => ({
    month: Number(r.byMonth) ? null : r.month,
    grp: Number(r.byGroup) ? null : r.grp,
    total: Number(r.total),
    counted: Number(r.counted),
    median: r.median === null ? null : Math.round(Number(r.median) * 10) / 10,
  }));
}
