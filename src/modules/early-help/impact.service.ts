import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import { distanceTravelled } from './early-help.ts';
import { episodeChildNames, episodeVisibility } from './episode.repository.ts';
import type { ImpactInput } from './impact.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Loads what the impact page measures, for the authorities the manager works for and a period: episodes closed in
 * the period (outcomes, re-contacts, step-ups), opened in it (time to the first meeting), and assessments started in
 * it (risk analysis). A handful of set-based queries, whatever the number of episodes.
 */

export interface ImpactPeriod {
  from: string;
  to: string;
  clusterId?: string | undefined;
}

const NONE = ['00000000-0000-0000-0000-000000000000'];

export async function loadImpactInput(db: Db, user: CurrentUser, period: ImpactPeriod): Promise<ImpactInput> {
  if (!user.permissions.has('early-help:oversee')) throw new AccessDeniedError('early-help:oversee');
  const las = user.localAuthorityIds.length ? user.localAuthorityIds : NONE;
  let closedQ = db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .select(['e.id', 'e.reference', 'e.clusterId', 'cl.name as clusterName', 'e.leadAgencyId', 'a.name as leadAgencyName', 'e.closureReason', 'e.closureOutcome', 'e.openedOn', 'e.closedOn'])
    .select((eb) => eb.exists(eb.selectFrom('earlyHelpStepUps as su').select('su.id').whereRef('su.episodeId', '=', 'e.id')).as('steppedUp'))
    .where('e.localAuthorityId', 'in', las)
    .where('e.status', '=', 'closed')
    .where('e.closedOn', '>=', period.from)
    .where('e.closedOn', '<=', period.to);
  let openedQ = db
    .selectFrom('earlyHelpEpisodes as e')
    .select(['e.id', 'e.openedOn'])
    .select((eb) => eb.selectFrom('earlyHelpMeetings as m').select((m) => m.fn.min('m.heldOn').as('first')).whereRef('m.episodeId', '=', 'e.id').as('firstMeetingOn'))
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
  const [closedRows, opened, assessments] = await Promise.all([closedQ.orderBy('e.closedOn', 'desc').execute(), openedQ.execute(), assessmentQ.execute()]);
  const ids = closedRows.map((e) => e.id);
  const [scores, goals, recontacts] = ids.length
    ? await Promise.all([
        db.selectFrom('earlyHelpScores').select(['episodeId', 'subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt']).where('episodeId', 'in', ids).execute(),
        db.selectFrom('earlyHelpGoals').select(['id', 'episodeId', 'outcomeHeading', 'status']).where('episodeId', 'in', ids).execute(),
        sql<{ episodeId: string; n: string }>`
          select e.id as episode_id, count(distinct c.id) as n
          from early_help_episodes e
          join early_help_episode_children ec on ec.episode_id = e.id
          join contact_children cc on cc.person_id = ec.child_id
          join contacts c on c.id = cc.contact_id and c.received_at >= (e.closed_on + 1)::timestamp at time zone 'Europe/London'
          where e.id = any(${sql`${ids}::uuid[]`})
          group by e.id`.execute(db),
      ])
    : [[], [], { rows: [] }];
  const recontactsBy = new Map(recontacts.rows.map((r) => [r.episodeId, Number(r.n)]));
  return {
    closed: closedRows.map((e) => ({ ...e, closedOn: e.closedOn!, steppedUp: !!e.steppedUp, recontacts: recontactsBy.get(e.id) ?? 0 })),
    scores,
    goals,
    opened: opened.map((o) => ({ id: o.id, openedOn: o.openedOn, firstMeetingOn: (o.firstMeetingOn as string | null) ?? null })),
    assessments,
  };
}

/** One page of the episodes behind a number, with the children's names where the manager may see them. */
export async function drillDownEpisodes(db: Db, user: CurrentUser, ids: string[], page: { limit: number; offset: number }, now: Date) {
  if (!ids.length) return { rows: [], total: 0 };
  const rows = await db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .select(['e.id', 'e.reference', 'e.status', 'e.openedOn', 'e.closedOn', 'e.closureOutcome', 'e.closureReason', 'cl.name as clusterName', 'a.name as leadAgencyName', 'u.displayName as leadName'])
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
    episodeChildNames(db, rows.filter((r) => r.visible).map((r) => r.id)),
    shown.length ? db.selectFrom('earlyHelpScores').select(['episodeId', 'subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt']).where('episodeId', 'in', shown).where('subject', '=', 'scale').execute() : [],
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
