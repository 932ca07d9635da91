import { sql } from 'kysely';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { episodesAccess, type EpisodeAccess } from './access.ts';
import { DEFAULT_SETTINGS, reviewDueOn, shorten } from './early-help.ts';
import { episodeChildNames } from './episode.repository.ts';
import { EH_PATHS, ehPath } from './paths.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * Early help on the worktray:
 * - the lead practitioner: a step-down to accept; the assessment (due within the authority's working days of the
 *   episode opening; overdue after); the next team-around-the-family review (every 6–8 weeks); the check that
 *   outcomes were sustained, months after closure;
 * - managers ('early-help:oversee') of the teams holding episodes: completed assessments waiting for their
 *   oversight (within 5 working days), and reviews and assessments that are overdue; managers of the episode's team
 *   or locality cluster: checks that outcomes were sustained that are overdue;
 * - managers of the social care team that proposed a step-down, and of the early help team or cluster: a step-down
 *   the proposed lead practitioner declined, until another lead practitioner is chosen;
 * - managers of the episode's team: a family routed to early help with no lead practitioner yet, to allocate
 *   within 2 working days of early help starting.
 */

/** Working days a manager has to choose a lead practitioner for a family routed to early help without one. */
const ALLOCATION_WORKING_DAYS = 2;

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

function deadlineItems(
  e: Deadlines,
  calendar: WorkingDayCalendar,
  names: string,
  who: 'lead' | 'manager',
  today: string,
): WorktrayItem[] {
  const items: WorktrayItem[] = [];
  const title = `${e.reference}: ${names}`;
  const assessmentDays = e.assessmentWorkingDays ?? DEFAULT_SETTINGS.assessmentWorkingDays;
  if (who === 'lead' && e.leadAcceptance === 'pending' && e.stepDownRecordedAt) {
    items.push({
      kind: 'early-help-step-down',
      kindLabel: 'Step-down to accept',
      title,
      href: ehPath(EH_PATHS.handover, e.id),
      dueOn: calendar.addWorkingDays(isoDateOf(e.stepDownRecordedAt), 3),
      clockLabel: 'Accept or decline within 2 working days of the handover being recorded',
    });
  }
  if (e.assessmentStatus !== 'completed') {
    const dueOn = calendar.addWorkingDays(e.openedOn, assessmentDays);
    if (who === 'lead' || dueOn < today) {
      items.push({
        kind: 'early-help-assessment',
        kindLabel: dueOn < today ? 'Early help assessment overdue' : 'Early help assessment',
        title,
        href: ehPath(EH_PATHS.assessment, e.id),
        dueOn,
        clockLabel: `Within ${assessmentDays} working days of early help starting`,
      });
    }
  }
  const reviewDue = e.hasMeeting
    ? e.lastNextReviewDueOn
    : reviewDueOn(e.openedOn, e.reviewIntervalWeeks ?? DEFAULT_SETTINGS.reviewIntervalWeeks);
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
  // A family routed to early help with no lead practitioner yet lands on the team manager's worktray (a
  // declined step-down has its own item, below).
  if (who === 'manager' && e.leadPractitionerId === null && e.leadAcceptance !== 'declined') {
    items.push({
      kind: 'early-help-allocation',
      kindLabel: 'Family to allocate',
      title,
      href: ehPath(EH_PATHS.lead, e.id),
      dueOn: calendar.addWorkingDays(e.openedOn, ALLOCATION_WORKING_DAYS),
      clockLabel: `Choose a lead practitioner within ${ALLOCATION_WORKING_DAYS} working days of early help starting`,
    });
  }
  if (
    who === 'manager' &&
    e.assessmentStatus === 'completed' &&
    e.oversightStatus === 'awaiting' &&
    e.assessmentCompletedAt
  ) {
    items.push({
      kind: 'early-help-oversight',
      kindLabel: 'Assessment to review (management oversight)',
      title,
      href: ehPath(EH_PATHS.oversight, e.id),
      dueOn: calendar.addWorkingDays(isoDateOf(e.assessmentCompletedAt), 6),
      clockLabel: 'Within 5 working days of completion',
    });
  }
  return items;
}

/**
 * A step-down the proposed lead practitioner declined, until someone else leads the family: for the managers of the
 * social care team that proposed it (the team of whoever recorded the handover, and its management line) and of the
 * early help team or locality cluster holding the episode. The link goes where the manager can act: choosing a new
 * lead practitioner if they may, else the handover record, else (social care only) the children in need episode.
 */
async function declinedStepDowns(ctx: Parameters<WorktrayProvider>[0]): Promise<WorktrayItem[]> {
  const { user, db, calendar } = ctx;
  if (!user.managedTeamIds.length) return [];
  const managed = sql`${[...user.managedTeamIds]}::uuid[]`;
  const rows = await sql<{
    id: string;
    reference: string;
    cinEpisodeId: string;
    respondedAt: Date | null;
    responseNotes: string | null;
  }>`
    select e.id, e.reference, sd.cin_episode_id, sd.responded_at, sd.response_notes
    from early_help_step_downs sd
    join early_help_episodes e on e.id = sd.episode_id
    left join users r on r.id = sd.recorded_by
    where sd.response = 'declined' and e.status = 'open' and e.lead_acceptance = 'declined' and e.lead_practitioner_id is null
      and (sd.recorded_by = ${user.id} or r.team_id = any(${managed}) or e.team_id = any(${managed})
           or exists (select 1 from teams t where t.cluster_id = e.cluster_id and t.id = any(${managed})))
    order by sd.responded_at
    limit 100`.execute(db);
  if (!rows.rows.length) return [];
  const names = await episodeChildNames(
    db,
    rows.rows.map((r) => r.id),
  );
  const accessTo = user.permissions.has('early-help:read')
    ? await episodesAccess(
        ctx,
        rows.rows.map((r) => r.id),
      )
    : new Map<string, EpisodeAccess>();
  const items: WorktrayItem[] = [];
  for (const r of rows.rows) {
    const access = accessTo.get(r.id) ?? null;
    const href = access?.canWrite
      ? ehPath(EH_PATHS.lead, r.id)
      : access?.canRead
        ? ehPath(EH_PATHS.handover, r.id)
        : user.permissions.has('social-care:read')
          ? `/social-care/episodes/${r.cinEpisodeId}`
          : null;
    if (!href) continue;
    const children = (names.get(r.id) ?? []).map((c) => c.name).join(', ');
    items.push({
      kind: 'early-help-step-down-declined',
      kindLabel: 'Step-down declined',
      title: `Step-down declined: ${children}, ${shorten(r.responseNotes ?? 'no reason given', 140)}`,
      href,
      dueOn: r.respondedAt ? calendar.addWorkingDays(isoDateOf(r.respondedAt), 3) : null,
      clockLabel: `${r.reference}: choose another lead practitioner within 2 working days of the decline`,
    });
  }
  return items;
}

export const earlyHelpWorktray: WorktrayProvider = async (ctx) => {
  const { user, db, calendar, today } = ctx;
  if (!user.permissions.has('early-help:read')) return [];
  const items: WorktrayItem[] = await declinedStepDowns(ctx);
  const led = user.permissions.has('early-help:write')
    ? await openEpisodeDeadlines(db, sql<boolean>`e.lead_practitioner_id = ${user.id}`)
    : [];
  const managed =
    user.permissions.has('early-help:oversee') && user.managedTeamIds.length
      ? await openEpisodeDeadlines(
          db,
          sql<boolean>`e.team_id = any(${sql`${[...user.managedTeamIds]}::uuid[]`}) and (e.lead_practitioner_id is null or e.lead_practitioner_id <> ${user.id})`,
        )
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
  // Managers of the episode's team or locality cluster see follow-ups that are overdue (not those the lead has in hand).
  const overdueFollowUps =
    user.permissions.has('early-help:oversee') && user.managedTeamIds.length
      ? (
          await sql<{
            id: string;
            reference: string;
            closedOn: string | null;
            dueOn: string;
            leadName: string | null;
          }>`
          select e.id, e.reference, e.closed_on, f.due_on, u.display_name as lead_name
          from early_help_follow_ups f
          join early_help_episodes e on e.id = f.episode_id
          left join users u on u.id = coalesce(e.lead_practitioner_id, e.closed_by)
          where f.completed_on is null and f.due_on < ${today}
            and (e.team_id = any(${sql`${[...user.managedTeamIds]}::uuid[]`})
                 or exists (select 1 from teams t where t.cluster_id = e.cluster_id and t.id = any(${sql`${[...user.managedTeamIds]}::uuid[]`})))
            and e.lead_practitioner_id is distinct from ${user.id} and e.closed_by is distinct from ${user.id}
          order by f.due_on
          limit 50`.execute(db)
        ).rows
      : [];
  const names = await episodeChildNames(
    db,
    [...led, ...managed]
      .map((e) => e.id)
      .concat(
        followUps.map((f) => f.id),
        overdueFollowUps.map((f) => f.id),
      ),
  );
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
  const overdueAccess = await episodesAccess(
    ctx,
    overdueFollowUps.map((f) => f.id),
  );
  for (const f of overdueFollowUps) {
    const access = overdueAccess.get(f.id);
    if (!access?.canRead) continue;
    items.push({
      kind: 'early-help-follow-up-overdue',
      kindLabel: 'Outcomes check overdue',
      title: `${f.reference}: ${nameOf(f.id)}`,
      href: access.canWrite ? ehPath(EH_PATHS.followUp, f.id) : ehPath(EH_PATHS.outcomes, f.id),
      dueOn: f.dueOn,
      clockLabel: `Early help closed ${f.closedOn ? formatDateGovUk(f.closedOn) : ''}; outcomes not yet checked${f.leadName ? ` by ${f.leadName}` : ''}`,
    });
  }
  return items;
};
