import { sql } from 'kysely';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import { DEFAULT_SETTINGS, distanceTravelled, type Sustained } from './early-help.ts';
import { episodeChildNames, episodeVisibility } from './episode.repository.ts';
import type { ImpactInput } from './impact.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';

/**
 * Loads what the impact page measures, for the authorities the manager works for and a period: episodes closed in
 * the period (outcomes, re-contacts, step-ups), opened in it (time from the front-door decision to the first meeting), and assessments started in
 * it (risk analysis). A handful of set-based queries, whatever the number of episodes.
 */

export interface ImpactPeriod {
  from: string;
  to: string;
  clusterId?: string | undefined;
}

const NONE = ['00000000-0000-0000-0000-000000000000'];

/** Needs no clock or calendar: only the user (their authorities) and a database. */
export async function loadImpactInput(
  ctx: Pick<ReadContext, 'db' | 'user'>,
  period: ImpactPeriod,
): Promise<ImpactInput> {
  const { db, user } = ctx;
  if (!user.permissions.has('early-help:oversee')) throw new AccessDeniedError('early-help:oversee');
  const las = user.localAuthorityIds.length ? user.localAuthorityIds : NONE;
  let closedQ = db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .leftJoin('earlyHelpSettings as st', 'st.localAuthorityId', 'e.localAuthorityId')
    .select([
      'e.id',
      'e.reference',
      'e.clusterId',
      'cl.name as clusterName',
      'e.leadAgencyId',
      'a.name as leadAgencyName',
      'e.closureReason',
      'e.closureOutcome',
      'e.openedOn',
      'e.closedOn',
      'st.recontactWindowMonths',
    ])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('earlyHelpStepUps as su').select('su.id').whereRef('su.episodeId', '=', 'e.id'))
        .as('steppedUp'),
    )
    .where('e.localAuthorityId', 'in', las)
    .where('e.status', '=', 'closed')
    .where('e.closedOn', '>=', period.from)
    .where('e.closedOn', '<=', period.to);
  let openedQ = db
    .selectFrom('earlyHelpEpisodes as e')
    .select(['e.id', 'e.openedOn'])
    .select((eb) =>
      eb
        .selectFrom('earlyHelpMeetings as m')
        .select((m) => m.fn.min('m.heldOn').as('first'))
        .whereRef('m.episodeId', '=', 'e.id')
        .as('firstMeetingOn'),
    )
    // The front-door decision behind the episode: the live (not sent back) decision on its source contact.
    .select((eb) =>
      eb
        .selectFrom('contactDecisions as d')
        // The day in London, worked out here rather than for each row in Node.
        .select(sql<string>`(d.decided_at at time zone 'Europe/London')::date`.as('decidedOn'))
        .whereRef('d.contactId', '=', 'e.sourceContactId')
        .where('d.status', '<>', 'sent-back')
        .limit(1)
        .as('decidedOn'),
    )
    .where('e.localAuthorityId', 'in', las)
    .where('e.openedOn', '>=', period.from)
    .where('e.openedOn', '<=', period.to);
  let assessmentQ = db
    .selectFrom('earlyHelpAssessments as x')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'x.episodeId')
    .select(['x.id', 'x.episodeId', 'x.status', 'x.riskAnalysisComplete'])
    .where('e.localAuthorityId', 'in', las)
    .where('x.startedAt', '>=', instantAt(period.from, '00:00'))
    .where('x.startedAt', '<', instantAt(addCalendarDays(period.to, 1), '00:00'));
  if (period.clusterId) {
    closedQ = closedQ.where('e.clusterId', '=', period.clusterId);
    openedQ = openedQ.where('e.clusterId', '=', period.clusterId);
    assessmentQ = assessmentQ.where('e.clusterId', '=', period.clusterId);
  }
  const [closedRows, opened, assessments] = await Promise.all([
    closedQ.orderBy('e.closedOn', 'desc').execute(),
    openedQ.execute(),
    assessmentQ.execute(),
  ]);
  const ids = closedRows.map((e) => e.id);
  // Re-contacts: contacts to the front door about any of the episode's children from the day after closure until
  // the end of the authority's window (early_help_settings.recontact_window_months, default 6), counted once each.
  const [distances, goals, recontacts, followUps, followUpGoals] = ids.length
    ? await Promise.all([
        // Distance travelled for each thing scored: the stored summary (early_help_score_summaries, kept by every write
        // of scores), one row per episode and thing scored, rather than ordering every score of every closed episode
        // (a large authority's closed episodes in a year have 428,000).
        db
          .selectFrom('earlyHelpScoreSummaries')
          .select([
            'episodeId',
            'subject',
            'subjectKey',
            'scoreCount as count',
            'firstScore as first',
            'firstOn',
            'latestScore as latest',
            'latestOn',
            'closingScore as closing',
          ])
          .where(sql<boolean>`episode_id = any(${sql`${ids}::uuid[]`})`)
          .execute(),
        db
          .selectFrom('earlyHelpGoals')
          .select(['id', 'episodeId', 'outcomeHeading', 'status'])
          .where('episodeId', 'in', ids)
          .execute(),
        sql<{ episodeId: string; n: string; firstOn: string }>`
          select e.id as episode_id, count(distinct c.id) as n, (min(c.received_at) at time zone 'Europe/London')::date as first_on
          from early_help_episodes e
          left join early_help_settings s on s.local_authority_id = e.local_authority_id
          join early_help_episode_children ec on ec.episode_id = e.id
          join contact_children cc on cc.person_id = ec.child_id
          join contacts c on c.id = cc.contact_id
            and c.received_at >= (e.closed_on + 1)::timestamp at time zone 'Europe/London'
            and c.received_at < ((e.closed_on + make_interval(months => coalesce(s.recontact_window_months, ${DEFAULT_SETTINGS.recontactWindowMonths})))::date + 1)::timestamp at time zone 'Europe/London'
          where e.id = any(${sql`${ids}::uuid[]`})
          group by e.id`.execute(db),
        db
          .selectFrom('earlyHelpFollowUps')
          .select(['episodeId', 'dueOn', 'completedOn', 'sustained'])
          .where('episodeId', 'in', ids)
          .execute(),
        db
          .selectFrom('earlyHelpFollowUpGoals as fg')
          .innerJoin('earlyHelpFollowUps as f', 'f.id', 'fg.followUpId')
          .innerJoin('earlyHelpGoalItems as gi', 'gi.goalId', 'fg.goalId')
          .innerJoin('earlyHelpAssessmentItems as i', 'i.id', 'gi.itemId')
          .select(['f.episodeId', 'fg.goalId', 'fg.sustained', 'i.kind', 'i.domain'])
          .where('f.episodeId', 'in', ids)
          .execute(),
      ])
    : [[], [], { rows: [] }, [], []];
  const recontactsBy = new Map(
    recontacts.rows.map((r) => [r.episodeId, { n: Number(r.n), firstOn: r.firstOn }]),
  );
  return {
    asOf: period.to,
    closed: closedRows.map(({ recontactWindowMonths, ...e }) => ({
      ...e,
      closedOn: e.closedOn!,
      steppedUp: !!e.steppedUp,
      recontacts: recontactsBy.get(e.id)?.n ?? 0,
      firstRecontactOn: recontactsBy.get(e.id)?.firstOn ?? null,
      recontactWindowMonths: recontactWindowMonths ?? DEFAULT_SETTINGS.recontactWindowMonths,
    })),
    followUps: followUps.map((f) => ({ ...f, sustained: (f.sustained as Sustained | null) ?? null })),
    followUpGoals: followUpGoals.map((g) => ({ ...g, sustained: g.sustained as Sustained })),
    distances: distances.map((d) => ({
      subject: d.subject,
      subjectKey: d.subjectKey,
      first: d.first,
      firstOn: d.firstOn,
      latest: d.latest,
      latestOn: d.latestOn,
      closing: d.closing,
      change: (d.closing ?? d.latest) - d.first,
      count: d.count,
      episodeId: d.episodeId,
    })),
    goals,
    opened: opened.map((o) => ({
      id: o.id,
      openedOn: o.openedOn,
      decidedOn: (o.decidedOn as string | null) ?? null,
      firstMeetingOn: (o.firstMeetingOn as string | null) ?? null,
    })),
    assessments,
  };
}

/** One page of the episodes behind a number, with the children's names where the manager may see them. */
export async function drillDownEpisodes(
  ctx: ReadContext,
  ids: string[],
  page: { limit: number; offset: number },
) {
  const { db, user, now } = ctx;
  if (!ids.length) return { rows: [], total: 0 };
  const rows = await db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .select([
      'e.id',
      'e.reference',
      'e.status',
      'e.openedOn',
      'e.closedOn',
      'e.closureOutcome',
      'e.closureReason',
      'cl.name as clusterName',
      'a.name as leadAgencyName',
      'u.displayName as leadName',
    ])
    .select(episodeVisibility(user, now).as('visible'))
    .where('e.id', 'in', ids)
    .orderBy('e.closedOn', 'desc')
    .orderBy('e.openedOn', 'desc')
    .orderBy('e.reference')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const shown = rows.map((r) => r.id);
  const [names, scores] = await Promise.all([
    episodeChildNames(
      db,
      rows.filter((r) => r.visible).map((r) => r.id),
    ),
    shown.length
      ? db
          .selectFrom('earlyHelpScores')
          .select(['episodeId', 'subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt'])
          .where('episodeId', 'in', shown)
          .where('subject', '=', 'scale')
          .execute()
      : [],
  ]);
  return {
    total: ids.length,
    rows: rows.map((r) => {
      const d = distanceTravelled(scores.filter((s) => s.episodeId === r.id));
      return {
        ...r,
        children: r.visible ? (names.get(r.id) ?? []).map((c) => c.name).join(', ') : null,
        worker: d.find((x) => x.subjectKey === 'worker') ?? null,
        family: d.find((x) => x.subjectKey === 'family') ?? null,
      };
    }),
  };
}

/** The locality clusters of the authorities the manager works for, to narrow the impact page by. */
export async function impactClusters(ctx: ReadContext) {
  requirePermission(ctx.user, 'early-help:oversee');
  return ctx.db
    .selectFrom('clusters')
    .select(['id', 'name'])
    .where('localAuthorityId', 'in', ctx.user.localAuthorityIds.length ? ctx.user.localAuthorityIds : NONE)
    .orderBy('name')
    .execute();
}

/** The name of a local authority (the one whose early help settings a manager is changing). */
export async function localAuthorityName(ctx: ReadContext, localAuthorityId: string): Promise<string | null> {
  requirePermission(ctx.user, 'early-help:oversee');
  const row = await ctx.db
    .selectFrom('localAuthorities')
    .select('name')
    .where('id', '=', localAuthorityId)
    .executeTakeFirst();
  return row?.name ?? null;
}
