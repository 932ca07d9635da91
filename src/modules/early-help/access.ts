import { decideRecordAccess, type CurrentUser, type Permission } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { loadCurrentUser } from '../identity/index.ts';
import type { Db, ReadContext } from '../../kernel/service/index.ts';

/**
 * Who may see and work on an early help episode.
 *
 * Early help is led by practitioners from any agency, and partner-agency users never open children's records
 * (kernel/access/record-access.ts). So an episode has a rule of its own, on top of the record rules:
 *
 * - read: the episode's lead practitioner, an active member of its team around the family (a user), or anyone
 *   with 'early-help:read' who may read every child's record;
 * - write: 'early-help:write' and either being the lead practitioner or having write access to every child's
 *   record (the allocated early help team and its management line, a named grant …);
 * - but when any child's record is restricted, leading or membership opens nothing by itself: only the record
 *   rule's own access to every child does.
 *
 * A partner lead practitioner therefore works on the episodes they lead (and reads those they are a member of),
 * and nothing else: the children's records stay closed to them. Anything else is a NotFoundError (404), the same
 * as an episode that does not exist.
 */

export interface EpisodeAccess {
  episodeId: string;
  childIds: string[];
  localAuthorityId: string;
  isLead: boolean;
  isMember: boolean;
  /** May open every child's record (links to the records are shown only then). */
  recordRead: boolean;
  canRead: boolean;
  canWrite: boolean;
}

export async function episodeAccess(
  ctx: Pick<ReadContext, 'db' | 'user' | 'now'>,
  episodeId: string,
): Promise<EpisodeAccess> {
  const access = (await episodesAccess(ctx, [episodeId])).get(episodeId);
  if (!access) throw new NotFoundError();
  return access;
}

/**
 * episodeAccess for several episodes at once (a worktray's rows): four queries whatever their number. Episodes that
 * do not exist are left out.
 */
export async function episodesAccess(
  ctx: Pick<ReadContext, 'db' | 'user' | 'now'>,
  episodeIds: readonly string[],
): Promise<Map<string, EpisodeAccess>> {
  const { db, user, now } = ctx;
  const ids = [...new Set(episodeIds)];
  const result = new Map<string, EpisodeAccess>();
  if (!ids.length) return result;
  const [episodes, children, memberships] = await Promise.all([
    db
      .selectFrom('earlyHelpEpisodes')
      .select(['id', 'leadPractitionerId', 'leadAcceptance', 'localAuthorityId'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('earlyHelpEpisodeChildren')
      .select(['episodeId', 'childId'])
      .where('episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('earlyHelpTafMembers')
      .select('episodeId')
      .where('episodeId', 'in', ids)
      .where('userId', '=', user.id)
      .where('endedOn', 'is', null)
      .execute(),
  ]);
  const decisions = await decideRecordAccess(db, user, [...new Set(children.map((c) => c.childId))], now);
  const members = new Set(memberships.map((m) => m.episodeId));
  for (const episode of episodes) {
    const childIds = children.filter((c) => c.episodeId === episode.id).map((c) => c.childId);
    const all = (level: 'read' | 'write') =>
      childIds.length > 0 && childIds.every((id) => decisions.get(id)?.[level]);
    const isLead = episode.leadPractitionerId === user.id && episode.leadAcceptance !== 'declined';
    const isMember = members.has(episode.id);
    const recordRead = all('read');
    // Leading the episode or sitting in its team opens it only while no child's record is restricted: a restricted
    // record needs the record rule's own way in (an allocation, the management line, a named grant, break the
    // glass), whoever leads (security probe M1). Every route to a child's data passes the same decision.
    const restricted = childIds.some((id) => decisions.get(id)?.restricted);
    const byRole = !restricted && (isLead || isMember);
    const canRead = user.permissions.has('early-help:read') && (byRole || recordRead);
    const canWrite = user.permissions.has('early-help:write') && ((!restricted && isLead) || all('write'));
    result.set(episode.id, {
      episodeId: episode.id,
      childIds,
      localAuthorityId: episode.localAuthorityId,
      isLead,
      isMember,
      recordRead,
      canRead,
      canWrite,
    });
  }
  return result;
}

/** Throws NotFoundError unless the user may read (or write) the episode. */
export async function requireEpisodeAccess(
  ctx: Pick<ReadContext, 'db' | 'user' | 'now'>,
  episodeId: string,
  level: 'read' | 'write',
): Promise<EpisodeAccess> {
  const { user } = ctx;
  const permission: Permission = level === 'read' ? 'early-help:read' : 'early-help:write';
  if (!user.permissions.has(permission)) throw new AccessDeniedError(permission);
  const access = await episodeAccess(ctx, episodeId);
  if (!(level === 'read' ? access.canRead : access.canWrite)) throw new NotFoundError();
  return access;
}

/**
 * Whether a user may be the lead practitioner for these children: an active user whose role allows early help
 * work, who can reach the children. Staff must be able to read every child's record now (a restricted record needs
 * an allocation or a named grant first) and work for the children's authority; a partner lead practitioner's agency
 * must work with the authority, and a restricted record cannot be led from outside children's services.
 * Throws a BusinessRuleError on `field` naming the problem.
 */
export async function assertCanLead(
  db: Db,
  candidateId: string,
  childIds: readonly string[],
  localAuthorityId: string,
  now: Date,
  field = 'leadPractitionerId',
): Promise<CurrentUser> {
  const candidate = await loadCurrentUser(db, candidateId, null);
  if (!candidate) throw new BusinessRuleError(field, 'Choose an active user as lead practitioner');
  if (!candidate.permissions.has('early-help:write')) {
    throw new BusinessRuleError(
      field,
      `${candidate.displayName} cannot be the lead practitioner: their role does not include early help work`,
    );
  }
  const children = await db
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName', 'restricted', 'localAuthorityId'])
    .where('id', 'in', [...childIds])
    .execute();
  if (candidate.isPartner) {
    const served = await db
      .selectFrom('agencyLocalAuthorities')
      .select('localAuthorityId')
      .where('agencyId', '=', candidate.agencyId!)
      .where('localAuthorityId', '=', localAuthorityId)
      .executeTakeFirst();
    if (!served)
      throw new BusinessRuleError(
        field,
        `${candidate.displayName} cannot be the lead practitioner: their agency does not work with this local authority`,
      );
    const restricted = children.find((c) => c.restricted);
    if (restricted) {
      throw new BusinessRuleError(
        field,
        `${candidate.displayName} cannot be the lead practitioner: ${restricted.givenName} ${restricted.familyName}’s record is restricted, so only children’s services staff with access can lead`,
      );
    }
    return candidate;
  }
  const decisions = await decideRecordAccess(db, candidate, childIds, now);
  const blocked = children.find(
    (c) => !decisions.get(c.id)?.read || !candidate.localAuthorityIds.includes(c.localAuthorityId),
  );
  if (blocked) {
    throw new BusinessRuleError(
      field,
      `${candidate.displayName} cannot be the lead practitioner: they do not have access to ${blocked.givenName} ${blocked.familyName}’s record. Ask a manager to give them access first, or choose someone else.`,
    );
  }
  return candidate;
}

/** The people who could lead: active users with early help roles who work for the authority or whose agency does. */
export async function leadCandidates(db: Db, localAuthorityId: string) {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('userRoles as r', 'r.userId', 'u.id')
    .leftJoin('agencies as a', 'a.id', 'u.agencyId')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .select(['u.id', 'u.displayName', 'u.jobTitle', 'a.name as agencyName', 't.name as teamName'])
    .where('u.status', '=', 'active')
    .where('r.role', 'in', ['early-help-practitioner', 'partner-lead-practitioner', 'team-manager'])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('userLocalAuthorities as ula')
            .select('ula.userId')
            .whereRef('ula.userId', '=', 'u.id')
            .where('ula.localAuthorityId', '=', localAuthorityId),
        ),
        eb.exists(
          eb
            .selectFrom('agencyLocalAuthorities as ala')
            .select('ala.agencyId')
            .whereRef('ala.agencyId', '=', 'u.agencyId')
            .where('ala.localAuthorityId', '=', localAuthorityId),
        ),
      ]),
    )
    .orderBy('u.displayName')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
