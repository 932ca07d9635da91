import { sql } from 'kysely';
import { visibleTo, type CurrentUser } from '../../kernel/access/index.ts';
import { reviewDueOn } from './early-help.ts';
import { type Db, type ReadContext, rowsAndTotal } from '../../kernel/service/index.ts';

/** Queries for lists of episodes: one query for the page of episodes and one each for their children and reviews. */

export type EpisodeListView = 'mine' | 'team';
export type EpisodeListStatus = 'open' | 'closed' | 'all';

/**
 * Episodes the user may see: every child visible to them, or led by them or with them in the team around the
 * family while no child's record is restricted (the same decision as access.ts, for lists).
 */
export function episodeVisibility(user: CurrentUser, now: Date) {
  const visible = visibleTo(user, now, 'p.id')(null);
  return sql<boolean>`(
    not exists (select 1 from early_help_episode_children c join people p on p.id = c.child_id where c.episode_id = e.id and not ${visible})
    or (
      (e.lead_practitioner_id = ${user.id}
       or exists (select 1 from early_help_taf_members m where m.episode_id = e.id and m.user_id = ${user.id} and m.ended_on is null))
      and not exists (select 1 from early_help_episode_children c join people p on p.id = c.child_id where c.episode_id = e.id and p.restricted)
    )
  )`;
}

export async function listEpisodes(
  ctx: ReadContext,
  options: { view: EpisodeListView; status: EpisodeListStatus; limit: number; offset: number },
) {
  const { db, user, now } = ctx;
  const teams = [...new Set([user.teamId, ...user.managedTeamIds].filter((t): t is string => !!t))];
  let q = db.selectFrom('earlyHelpEpisodes as e').where(episodeVisibility(user, now));
  if (user.isPartner || options.view === 'mine') {
    // The user's own episodes, as a set found through the indexes on the lead practitioner and the team members
    // (an OR of the two on every episode made PostgreSQL check the access filter on all of them: seconds at 35,000).
    q = q.where(
      sql<boolean>`e.id in (
        select o.id from early_help_episodes o where o.lead_practitioner_id = ${user.id}
        union all
        select m.episode_id from early_help_taf_members m where m.user_id = ${user.id} and m.ended_on is null
      )`,
    );
  } else {
    q = q
      .where(
        'e.localAuthorityId',
        'in',
        user.localAuthorityIds.length ? user.localAuthorityIds : ['00000000-0000-0000-0000-000000000000'],
      )
      .where('e.teamId', 'in', teams.length ? teams : ['00000000-0000-0000-0000-000000000000']);
  }
  if (options.status !== 'all') q = q.where('e.status', '=', options.status);
  const { rows, total } = await rowsAndTotal(
    q,
    (q) =>
      q
        .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
        .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
        .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
        .select([
          'e.id',
          'e.reference',
          'e.status',
          'e.openedOn',
          'e.closedOn',
          'e.source',
          'e.leadAcceptance',
          'e.localAuthorityId',
          'u.displayName as leadName',
          'a.name as leadAgencyName',
          'cl.name as clusterName',
        ])
        .orderBy('e.status', 'desc')
        .orderBy('e.openedOn', 'desc')
        .orderBy('e.reference', 'desc'),
    { limit: options.limit, offset: options.offset },
  );
  const ids = rows.map((r) => r.id);
  const [children, meetings, settings] = await Promise.all([
    episodeChildNames(db, ids),
    ids.length
      ? db
          .selectFrom('earlyHelpMeetings')
          .distinctOn('episodeId')
          .select(['episodeId', 'nextReviewDueOn'])
          .where('episodeId', 'in', ids)
          .orderBy('episodeId')
          .orderBy('heldOn', 'desc')
          .orderBy('recordedAt', 'desc')
          .execute()
      : [],
    db.selectFrom('earlyHelpSettings').select(['localAuthorityId', 'reviewIntervalWeeks']).execute(),
  ]);
  const interval = (la: string) => settings.find((s) => s.localAuthorityId === la)?.reviewIntervalWeeks ?? 6;
  return {
    total,
    rows: rows.map((r) => {
      const last = meetings.find((m) => m.episodeId === r.id);
      return {
        ...r,
        children: children.get(r.id) ?? [],
        nextReviewDueOn:
          r.status !== 'open'
            ? null
            : last
              ? last.nextReviewDueOn
              : reviewDueOn(r.openedOn, interval(r.localAuthorityId)),
      };
    }),
  };
}

export async function episodeChildNames(
  db: Db,
  episodeIds: readonly string[],
): Promise<Map<string, { id: string; name: string; dateOfBirth: string | null }[]>> {
  const out = new Map<string, { id: string; name: string; dateOfBirth: string | null }[]>();
  if (!episodeIds.length) return out;
  const rows = await db
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('people as p', 'p.id', 'c.childId')
    .select(['c.episodeId', 'p.id', 'p.givenName', 'p.familyName', 'p.knownAs', 'p.dateOfBirth'])
    .where('c.episodeId', 'in', [...episodeIds])
    .orderBy('p.dateOfBirth')
    .execute();
  for (const r of rows) {
    const list = out.get(r.episodeId) ?? [];
    list.push({ id: r.id, name: `${r.knownAs ?? r.givenName} ${r.familyName}`, dateOfBirth: r.dateOfBirth });
    out.set(r.episodeId, list);
  }
  return out;
}

/** The episode with who leads it, its cluster and team, for the top of every episode page. */
export async function findEpisode(db: Db, episodeId: string) {
  return db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
    .leftJoin('teams as t', 't.id', 'e.teamId')
    .leftJoin('users as cb', 'cb.id', 'e.closedBy')
    .selectAll('e')
    .select([
      'u.displayName as leadName',
      'u.jobTitle as leadJobTitle',
      'u.email as leadEmail',
      'a.name as leadAgencyName',
      'cl.name as clusterName',
      't.name as teamName',
      'cb.displayName as closedByName',
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
}

export async function tafMembers(db: Db, episodeId: string, options: { includeEnded?: boolean } = {}) {
  let q = db
    .selectFrom('earlyHelpTafMembers as m')
    .leftJoin('agencies as a', 'a.id', 'm.agencyId')
    .leftJoin('users as u', 'u.id', 'm.userId')
    .select([
      'm.id',
      'm.userId',
      'm.name',
      'm.role',
      'm.organisation',
      'm.email',
      'm.phone',
      'm.addedOn',
      'm.endedOn',
      'a.name as agencyName',
      'u.jobTitle as userJobTitle',
    ])
    .where('m.episodeId', '=', episodeId);
  if (!options.includeEnded) q = q.where('m.endedOn', 'is', null);
  const rows = await q.orderBy('a.name').orderBy('m.name').execute();
  return rows.map((r) => ({
    ...r,
    agency: r.agencyName ?? r.organisation ?? 'Local authority children’s services',
  }));
}

/**
 * A child's early help episodes, newest first, for the services the family moves on to (the social worker sees
 * what early help did before the referral): reference, dates, lead practitioner, and any step-up to the front door.
 * Callers show it only to users who may read early help and the child.
 */
export async function earlyHelpEpisodesOfChild(db: Db, childId: string, limit = 10) {
  return db
    .selectFrom('earlyHelpEpisodeChildren as ec')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'ec.episodeId')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .leftJoin('earlyHelpStepUps as s', 's.episodeId', 'e.id')
    .select([
      'e.id',
      'e.reference',
      'e.openedOn',
      'e.closedOn',
      'e.closureReason',
      'u.displayName as leadName',
      'a.name as leadAgencyName',
      's.steppedUpAt',
      's.contactId as stepUpContactId',
      's.rationale as stepUpRationale',
    ])
    .where('ec.childId', '=', childId)
    .orderBy('e.openedOn', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The episode's version now, for a caller with no form to carry it (the demonstration data, tests): a page passes the
 * version its form was shown with instead.
 */
export async function episodeVersion(db: Db, episodeId: string): Promise<number> {
  const row = await db
    .selectFrom('earlyHelpEpisodes')
    .select('version')
    .where('id', '=', episodeId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** The episode's plan's version now (0 while it has no plan), as episodeVersion. */
export async function planVersion(db: Db, episodeId: string): Promise<number> {
  const row = await db
    .selectFrom('earlyHelpPlans')
    .select('version')
    .where('episodeId', '=', episodeId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** An episode's goals in plan order, as the outcomes and follow-up pages list them. */
export function goalsOfEpisode(db: Db, episodeId: string) {
  return db
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position', 'whatWillChange', 'status', 'outcomeHeading'])
    .where('episodeId', '=', episodeId)
    .orderBy('position')
    .execute();
}
