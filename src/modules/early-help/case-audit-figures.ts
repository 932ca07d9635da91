import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * What the case-audits module reads from early help (through this module's index): a child's own outcome figures
 * shown beside an audit, and the children stepped down to early help in a period (a thematic audit's criterion).
 * Worked out in SQL; read helpers that need no user (the caller has checked access to the child).
 */

export interface EarlyHelpAuditFigures {
  /** The child's most recent episode, if any. */
  episodeReference: string | null;
  openedOn: string | null;
  closedOn: string | null;
  /** Days from opening to closure (or to today). */
  daysOpen: number | null;
  /** Distance travelled on the worker's and the family's scaling (first → latest, 0–10). */
  workerScale: { first: number; latest: number } | null;
  familyScale: { first: number; latest: number } | null;
  goalsAchieved: number;
  goals: number;
}

export async function earlyHelpFiguresForAudit(
  db: Db,
  childId: string,
  today: string,
): Promise<EarlyHelpAuditFigures> {
  const row = await sql<{
    reference: string;
    openedOn: string;
    closedOn: string | null;
    daysOpen: number;
    workerFirst: number | null;
    workerLatest: number | null;
    familyFirst: number | null;
    familyLatest: number | null;
    goals: number;
    goalsAchieved: number;
  }>`
    select e.reference, e.opened_on, e.closed_on,
      (coalesce(e.closed_on, ${today}::date) - e.opened_on)::int as days_open,
      w.first_score as worker_first, w.latest_score as worker_latest,
      f.first_score as family_first, f.latest_score as family_latest,
      (select count(*)::int from early_help_goals g where g.episode_id = e.id) as goals,
      (select count(*)::int from early_help_goals g where g.episode_id = e.id and g.status = 'achieved') as goals_achieved
    from early_help_episode_children ec
    join early_help_episodes e on e.id = ec.episode_id
    left join early_help_score_summaries w on w.episode_id = e.id and w.subject = 'scale' and w.subject_key = 'worker'
    left join early_help_score_summaries f on f.episode_id = e.id and f.subject = 'scale' and f.subject_key = 'family'
    where ec.child_id = ${childId}
    order by e.opened_on desc
    limit 1`.execute(db);
  const r = row.rows[0];
  if (!r)
    return {
      episodeReference: null,
      openedOn: null,
      closedOn: null,
      daysOpen: null,
      workerScale: null,
      familyScale: null,
      goalsAchieved: 0,
      goals: 0,
    };
  const scale = (first: number | null, latest: number | null) =>
    first === null || latest === null ? null : { first, latest };
  return {
    episodeReference: r.reference,
    openedOn: r.openedOn,
    closedOn: r.closedOn,
    daysOpen: r.daysOpen,
    workerScale: scale(r.workerFirst, r.workerLatest),
    familyScale: scale(r.familyFirst, r.familyLatest),
    goalsAchieved: r.goalsAchieved,
    goals: r.goals,
  };
}

/** Children of every step-down to early help whose handover was held in the period (both ends included). */
export async function steppedDownChildrenForAudit(
  db: Db,
  input: { localAuthorityId: string; from: string; to: string },
): Promise<string[]> {
  const rows = await sql<{ childId: string }>`
    select distinct ec.child_id
    from early_help_step_downs s
    join early_help_episodes e on e.id = s.episode_id
    join early_help_episode_children ec on ec.episode_id = e.id
    where e.local_authority_id = ${input.localAuthorityId}
      and s.handover_held_on between ${input.from}::date and ${input.to}::date`.execute(db);
  return rows.rows.map((r) => r.childId);
}
