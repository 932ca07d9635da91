import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError, RecordReadOnlyError } from '../errors.ts';
import type { CurrentUser } from './current-user.ts';

/**
 * Record-level access to a person's record (children above all).
 *
 * - The allocated worker, the allocated team's management line and anyone with a named grant have access.
 * - Other children's services staff may read unrestricted records of the authorities they work for, when
 *   the authority's setting allows it (the default); members of the allocated team may read and write.
 * - Unallocated, unrestricted records may be written by children's services staff of that authority
 *   (the front door and duty work on children who have no worker yet).
 * - Restricted records (a staff member's child, a high-profile case) need an allocation, the management
 *   line, a named grant, or a recorded "break the glass" access.
 * - Partner-agency users never open person records; they see only the contacts they sent and the
 *   information requests addressed to their agency (front-door module).
 *
 * Denials are NotFoundError: a record the user may not see looks the same as one that does not exist.
 */

export type RecordAccessLevel = 'read' | 'write';

export interface RecordAccessDecision {
  personId: string;
  exists: boolean;
  read: boolean;
  write: boolean;
  restricted: boolean;
  /** Access came only from a break-glass entry (shown on the page, reviewed by the record's manager). */
  viaBreakGlass: boolean;
}

interface AccessRow {
  id: string;
  restricted: boolean;
  localAuthorityId: string;
  allocatedLine: boolean;
  teamMember: boolean;
  hasAllocation: boolean;
  grantRead: boolean;
  grantWrite: boolean;
  breakGlass: boolean;
}

const uuidArray = (ids: readonly string[]) =>
  sql<string[]>`${ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000']}::uuid[]`;

export async function decideRecordAccess(
  db: Kysely<DB>,
  user: CurrentUser,
  personIds: readonly string[],
  now: Date,
): Promise<Map<string, RecordAccessDecision>> {
  const ids = [...new Set(personIds)];
  const result = new Map<string, RecordAccessDecision>();
  for (const id of ids) {
    result.set(id, {
      personId: id,
      exists: false,
      read: false,
      write: false,
      restricted: false,
      viaBreakGlass: false,
    });
  }
  if (ids.length === 0) return result;
  const managed = uuidArray(user.managedTeamIds);
  const rows = await sql<AccessRow>`
    select p.id, p.restricted, p.local_authority_id,
      exists (select 1 from allocations a where a.child_id = p.id and a.ended_on is null
              and (a.worker_id = ${user.id} or a.team_id = any(${managed}))) as allocated_line,
      exists (select 1 from allocations a where a.child_id = p.id and a.ended_on is null
              and a.team_id = ${user.teamId}::uuid) as team_member,
      exists (select 1 from allocations a where a.child_id = p.id and a.ended_on is null) as has_allocation,
      exists (select 1 from record_grants g where g.child_id = p.id and g.user_id = ${user.id} and g.revoked_at is null
              and (g.expires_at is null or g.expires_at > ${now})) as grant_read,
      exists (select 1 from record_grants g where g.child_id = p.id and g.user_id = ${user.id} and g.revoked_at is null
              and g.access = 'write' and (g.expires_at is null or g.expires_at > ${now})) as grant_write,
      exists (select 1 from break_glass_accesses b where b.child_id = p.id and b.user_id = ${user.id}
              and b.expires_at > ${now}) as break_glass
    from people p
    where p.id = any(${uuidArray(ids)})`.execute(db);

  const mayRead = user.permissions.has('child:read');
  const mayWrite = user.permissions.has('child:write');
  for (const r of rows.rows) {
    const decision = result.get(r.id)!;
    decision.exists = true;
    decision.restricted = r.restricted;
    if (user.isPartner || !mayRead) continue;
    const inAuthority = user.localAuthorityIds.includes(r.localAuthorityId);
    const defaultRead = !r.restricted && user.staffReadLocalAuthorityIds.includes(r.localAuthorityId);
    const strong = r.allocatedLine || r.grantRead || r.grantWrite;
    decision.read = strong || defaultRead || (!r.restricted && r.teamMember) || r.breakGlass;
    decision.viaBreakGlass = r.breakGlass && !strong && !defaultRead && !(r.teamMember && !r.restricted);
    decision.write =
      mayWrite &&
      (r.allocatedLine ||
        r.grantWrite ||
        r.breakGlass ||
        (!r.restricted && inAuthority && (r.teamMember || !r.hasAllocation)));
  }
  return result;
}

/**
 * Throws unless the user has the access level on every one of the records (batched: one query however many ids).
 * A record the user may not read is a NotFoundError (the same as a missing one), carrying the ids of existing
 * records refused so that the attempt is recorded against them. A record the user may read but not change is a
 * RecordReadOnlyError (403 with the reason): they saw it a moment before, so "not found" would mislead.
 * Returns the decisions so callers can show, e.g., a break-glass banner.
 */
export async function requireAccess(
  db: Kysely<DB>,
  user: CurrentUser,
  level: RecordAccessLevel | 'child:read' | 'child:write',
  personIds: readonly string[],
  now: Date,
): Promise<Map<string, RecordAccessDecision>> {
  const want: RecordAccessLevel = level === 'child:read' || level === 'read' ? 'read' : 'write';
  const decisions = await decideRecordAccess(db, user, personIds, now);
  const all = [...decisions.values()];
  if (all.some((d) => !d.exists || !d.read)) {
    throw new NotFoundError(
      'No such record',
      all.filter((d) => d.exists && !d.read).map((d) => d.personId),
    );
  }
  if (want === 'write' && all.some((d) => !d.write)) throw new RecordReadOnlyError();
  return decisions;
}

/**
 * A WHERE condition for any query over `people` (or a table aliased so): only the records the user may
 * read. Use it on every list and search so that lists cannot leak what the record page would hide.
 */
export function visibleTo(user: CurrentUser, now: Date, personIdColumn: 'people.id' | 'p.id' = 'people.id') {
  const restrictedColumn = personIdColumn === 'p.id' ? sql.ref('p.restricted') : sql.ref('people.restricted');
  const laColumn =
    personIdColumn === 'p.id' ? sql.ref('p.local_authority_id') : sql.ref('people.local_authority_id');
  const id = sql.ref(personIdColumn);
  // The builder is not needed (the condition is raw SQL), so it works on `people` and on any alias of it.
  return (_eb: unknown): Expression<SqlBool> => {
    if (user.isPartner || !user.permissions.has('child:read')) return sql<SqlBool>`false`;
    const managed = uuidArray(user.managedTeamIds);
    const readLas = uuidArray(user.staffReadLocalAuthorityIds);
    return sql<SqlBool>`(
      (${restrictedColumn} = false and ${laColumn} = any(${readLas}))
      or exists (select 1 from allocations a where a.child_id = ${id} and a.ended_on is null
                 and (a.worker_id = ${user.id} or a.team_id = any(${managed})
                      or (a.team_id = ${user.teamId}::uuid and ${restrictedColumn} = false)))
      or exists (select 1 from record_grants g where g.child_id = ${id} and g.user_id = ${user.id}
                 and g.revoked_at is null and (g.expires_at is null or g.expires_at > ${now}))
      or exists (select 1 from break_glass_accesses b where b.child_id = ${id} and b.user_id = ${user.id}
                 and b.expires_at > ${now})
    )`;
  };
}

/** The ids among `ids` that name a person's record (for recording a refused attempt against the child). */
export async function existingPersonIds(db: Kysely<DB>, ids: readonly unknown[]): Promise<string[]> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const candidates = [...new Set(ids.filter((x): x is string => typeof x === 'string' && uuid.test(x)))];
  if (!candidates.length) return [];
  const rows = await db.selectFrom('people').select('id').where('id', 'in', candidates).execute();
  return rows.map((r) => r.id);
}
