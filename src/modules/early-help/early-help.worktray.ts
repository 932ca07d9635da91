import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import type { WorktrayItem, WorktrayProvider } from '../home/worktray.ts';
import { DEFAULT_SETTINGS, reviewDueOn } from './early-help.ts';
import { episodeChildNames } from './episode.repository.ts';
import { EH_PATHS, ehPath } from './paths.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Early help on the worktray:
 * - the lead practitioner: a step-down to accept; the assessment (due within the authority's working days of the
 *   episode opening; overdue after); the next team-around-the-family review (every 6–8 weeks); the check that
 *   outcomes were sustained, months after closure;
 * - managers ('early-help:oversee') of the teams holding episodes: completed assessments waiting for their
 *   oversight (within 5 working days), and reviews and assessments that are overdue.
 */

interface Deadlines {
  id: string;
  reference: string;
  openedOn: string;
  leadAcceptance: string;
  leadPractitionerId: string | null;
  assessmentStatus: string | null;
  assessmentCompletedAt: Date | null;
  oversightStatus: string | null;
  lastNextReviewDueOn: string | null;
  hasMeeting: boolean;
  stepDownRecordedAt: Date | null;
  reviewIntervalWeeks: number | null;
  assessmentWorkingDays: number | null;
}

async function openEpisodeDeadlines(db: Db, where: ReturnType<typeof sql<boolean>>): Promise<Deadlines[]> {
  const rows = await sql<Deadlines>`
    select e.id, e.reference, e.opened_on, e.lead_acceptance, e.lead_practitioner_id,
      a.status as assessment_status, a.completed_at as assessment_completed_at, a.oversight_status,
      m.next_review_due_on as last_next_review_due_on, (m.id is not null) as has_meeting,
      sd.recorded_at as step_down_recorded_at,
      s.review_interval_weeks, s.assessment_working_days
    from early_help_episodes e
    left join lateral (select id, status, completed_at, oversight_status from early_help_assessments x
                       where x.episode_id = e.id order by x.started_at desc limit 1) a on true
    left join lateral (select id, next_review_due_on from early_help_meetings y
                       where y.episode_id = e.id order by y.held_on desc, y.recorded_at desc limit 1) m on true
    left join early_help_step_downs sd on sd.episode_id = e.id
    left join early_help_settings s on s.local_authority_id = e.local_authority_id
    where e.status = 'open' and ${where}
    order by e.opened_on
    limit 200`.execute(db);
  return rows.rows;
}

function deadlineItems(e: Deadlines, calendar: WorkingDayCalendar, names: string, who: 'lead' | 'manager', today: string): WorktrayItem[] {
  const items: WorktrayItem[] = [];
  const title = `${e.reference}: ${names}`;
  const assessmentDays = e.assessmentWorkingDays ?? DEFAULT_SETTINGS.assessmentWorkingDays;
  if (who === 'lead' && e.leadAcceptance === 'pending' && e.stepDownRecordedAt) {
    items.push({ kind: 'early-help-step-down', kindLabel: 'Step-down to accept', title, href: ehPath(EH_PATHS.handover, e.id), dueOn: calendar.addWorkingDays(isoDateOf(e.stepDownRecordedAt), 3), clockLabel: 'Accept or decline within 2 working days of the handover being recorded' });
  }
  if (e.assessmentStatus !== 'completed') {
    const dueOn = calendar.addWorkingDays(e.openedOn, assessmentDays);
    if (who === 'lead' || dueOn < today) {
      items.push({ kind: 'early-help-assessment', kindLabel: dueOn < today ? 'Early help assessment overdue' : 'Early help assessment', title, href: ehPath(EH_PATHS.assessment, e.id), dueOn, clockLabel: `Within ${assessmentDays} working days of early help starting` });
    }
  }
  const reviewDue = e.hasMeeting ? e.lastNextReviewDueOn : reviewDueOn(e.openedOn, e.reviewIntervalWeeks ?? DEFAULT_SETTINGS.reviewIntervalWeeks);
  if (reviewDue && (who === 'lead' || reviewDue < today)) {
    items.push({
      kind: 'early-help-review',
      kindLabel: e.hasMeeting ? 'Team-around-the-family review' : 'First team-around-the-family meeting',
      title,
      href: ehPath(EH_PATHS.newReview, e.id),
      dueOn: reviewDue,
      clockLabel: `Every ${e.reviewIntervalWeeks ?? DEFAULT_SETTINGS.reviewIntervalWeeks} weeks`,
    });
  }
  if (who === 'manager' && e.assessmentStatus === 'completed' && e.oversightStatus === 'awaiting' && e.assessmentCompletedAt) {
    items.push({ kind: 'early-help-oversight', kindLabel: 'Assessment to review (management oversight)', title, href: ehPath(EH_PATHS.oversight, e.id), dueOn: calendar.addWorkingDays(isoDateOf(e.assessmentCompletedAt), 6), clockLabel: 'Within 5 working days of completion' });
  }
  return items;
}

export const earlyHelpWorktray: WorktrayProvider = async (ctx) => {
  const { user, db, calendar, today } = ctx;
  if (!user.permissions.has('early-help:read')) return [];
  const items: WorktrayItem[] = [];
  const led = user.permissions.has('early-help:write') ? await openEpisodeDeadlines(db, sql<boolean>`e.lead_practitioner_id = ${user.id}`) : [];
  const managed = user.permissions.has('early-help:oversee') && user.managedTeamIds.length
    ? await openEpisodeDeadlines(db, sql<boolean>`e.team_id = any(${sql`${[...user.managedTeamIds]}::uuid[]`}) and (e.lead_practitioner_id is null or e.lead_practitioner_id <> ${user.id})`)
    : [];
  const followUps = user.permissions.has('early-help:write')
    ? await db
        .selectFrom('earlyHelpFollowUps as f')
        .innerJoin('earlyHelpEpisodes as e', 'e.id', 'f.episodeId')
        .select(['e.id', 'e.reference', 'e.closedOn', 'f.dueOn'])
        .where('f.completedOn', 'is', null)
        .where((eb) => eb.or([eb('e.leadPractitionerId', '=', user.id), eb('e.closedBy', '=', user.id)]))
        .orderBy('f.dueOn')
        .limit(100)
        .execute()
    : [];
  const names = await episodeChildNames(db, [...led, ...managed].map((e) => e.id).concat(followUps.map((f) => f.id)));
  const nameOf = (id: string) => (names.get(id) ?? []).map((c) => c.name).join(', ');
  for (const e of led) items.push(...deadlineItems(e, calendar, nameOf(e.id), 'lead', today));
  for (const e of managed) items.push(...deadlineItems(e, calendar, nameOf(e.id), 'manager', today));
  for (const f of followUps) {
    items.push({
      kind: 'early-help-follow-up',
      kindLabel: 'Check early help outcomes were sustained',
      title: `${f.reference}: ${nameOf(f.id)}`,
      href: ehPath(EH_PATHS.followUp, f.id),
      dueOn: f.dueOn,
      clockLabel: `Early help closed ${formatDateGovUk(f.closedOn!)}`,
    });
  }
  return items;
};
