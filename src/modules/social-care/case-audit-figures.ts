import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * What the case-audits module reads from social care (through this module's index): a child's own outcome figures
 * shown beside an audit (referrals and re-referrals, time on a child protection plan, plan goals met), and the
 * children on a child protection plan longer than a number of months (a thematic audit's criterion). In SQL.
 */

export interface SocialCareAuditFigures {
  referrals: number;
  /** Referrals within 12 months of an earlier episode's closure (the DfE's re-referral measure). */
  reReferrals: number;
  cpPlanStartDate: string | null;
  cpPlanEndDate: string | null;
  /** Days on the latest child protection plan, to its end or to today. */
  cpPlanDays: number | null;
  goalsAchieved: number;
  goals: number;
}

export async function socialCareFiguresForAudit(
  db: Db,
  childId: string,
  today: string,
): Promise<SocialCareAuditFigures> {
  const { rows } = await sql<{
    referrals: number;
    reReferrals: number;
    cpStart: string | null;
    cpEnd: string | null;
    cpDays: number | null;
    goals: number;
    goalsAchieved: number;
  }>`
    with cp as (
      select id, start_date, end_date from cp_plans where child_id = ${childId} order by start_date desc limit 1
    )
    select
      (select count(*)::int from cin_episodes where child_id = ${childId}) as referrals,
      (select count(*)::int from cin_episodes e where e.child_id = ${childId} and exists (
         select 1 from cin_episodes p where p.child_id = e.child_id and p.id <> e.id and p.closure_date is not null
           and p.closure_date <= e.referral_date and p.closure_date > e.referral_date - interval '12 months')) as re_referrals,
      (select start_date from cp) as cp_start,
      (select end_date from cp) as cp_end,
      (select (coalesce(end_date, ${today}::date) - start_date)::int from cp) as cp_days,
      (select count(*)::int from cin_plan_goals g
         where g.cp_plan_id in (select id from cp)
            or g.cin_plan_id in (select id from cin_plans where child_id = ${childId})) as goals,
      (select count(*)::int from cin_plan_goals g where g.achieved_on is not null and (g.cp_plan_id in (select id from cp)
            or g.cin_plan_id in (select id from cin_plans where child_id = ${childId}))) as goals_achieved`.execute(
    db,
  );
  const r = rows[0]!;
  return {
    referrals: r.referrals,
    reReferrals: r.reReferrals,
    cpPlanStartDate: r.cpStart,
    cpPlanEndDate: r.cpEnd,
    cpPlanDays: r.cpDays,
    goalsAchieved: r.goalsAchieved,
    goals: r.goals,
  };
}

/** Children of the authority on a child protection plan, open today, that started more than `months` months ago. */
export async function longCpPlanChildrenForAudit(
  db: Db,
  input: { localAuthorityId: string; today: string; months: number },
): Promise<string[]> {
  const { rows } = await sql<{ childId: string }>`
    select distinct c.child_id
    from cp_plans c
    join cin_episodes e on e.id = c.episode_id
    where e.local_authority_id = ${input.localAuthorityId}
      and c.end_date is null
      and c.start_date < ${input.today}::date - make_interval(months => ${input.months})`.execute(db);
  return rows.map((r) => r.childId);
}
