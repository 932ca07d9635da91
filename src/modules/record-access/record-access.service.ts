import { sql } from 'kysely';
import { decideRecordAccess, requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Restricted records, named grants and "break the glass".
 *
 * - A manager in the record's management line restricts a record (a staff member's child, a high-profile case):
 *   from then on only the allocation, its management line, named grants and break-glass accesses open it.
 * - Named grants give one user read or write access, with a reason and an optional end date; revocable.
 * - Break the glass: a practitioner who needs a restricted record urgently states why, and gets read and write
 *   access for a few hours. It is recorded, shown on the record's access log and listed for the record's managers
 *   to review until one of them acknowledges it.
 */

export const BREAK_GLASS_HOURS = 8;

export async function setRestriction(
  ctx: ServiceContext,
  input: { personId: string; restricted: boolean; reason: string },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'record:restrict');
  await requireAccess(trx, user, 'write', [input.personId], now);
  const person = await trx
    .selectFrom('people')
    .select(['restricted', 'kind'])
    .where('id', '=', input.personId)
    .executeTakeFirstOrThrow();
  if (person.restricted === input.restricted) {
    throw new BusinessRuleError(
      'restricted',
      input.restricted ? 'This record is already restricted' : 'This record is not restricted',
    );
  }
  // A one-shot action: the state it changes from is checked in the UPDATE, so two clicks cannot both land.
  requireUpdated(
    await trx
      .updateTable('people')
      .set({
        restricted: input.restricted,
        restrictionReason: input.restricted ? input.reason : null,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', input.personId)
      .where('restricted', '=', !input.restricted)
      .executeTakeFirst(),
  );
  if (input.restricted) {
    // Whoever restricts a record keeps access to it: outside its management line, they get a named grant.
    const after = (await decideRecordAccess(trx, user, [input.personId], now)).get(input.personId);
    if (!after?.write) {
      await trx
        .insertInto('recordGrants')
        .values({
          childId: input.personId,
          userId: user.id,
          access: 'write',
          reason: 'Restricted the record',
          grantedBy: user.id,
          grantedAt: now,
        })
        .execute();
    }
  }
  await recordChange(ctx, {
    audit: {
      action: input.restricted ? 'child-record.restricted' : 'child-record.unrestricted',
      subjectType: 'person',
      subjectId: input.personId,
      childId: input.personId,
      details: { reason: input.reason },
    },
    chronology: {
      childIds: [input.personId],
      category: 'record',
      title: input.restricted ? 'Record restricted' : 'Restriction removed',
      summary: input.reason,
    },
  });
}

export async function grantAccess(
  ctx: ServiceContext,
  input: {
    personId: string;
    granteeEmail: string;
    access: 'read' | 'write';
    reason: string;
    expiresOn?: string | undefined;
  },
): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'grant:manage');
  await requireAccess(trx, user, 'write', [input.personId], now);
  const grantee = await trx
    .selectFrom('users')
    .select(['id', 'status', 'agencyId', 'email'])
    .where('email', '=', input.granteeEmail.trim().toLowerCase())
    .executeTakeFirst();
  if (!grantee || grantee.status !== 'active')
    throw new BusinessRuleError('granteeEmail', 'There is no active user with this email address');
  const roles = await trx.selectFrom('userRoles').select('role').where('userId', '=', grantee.id).execute();
  if (
    !roles.some(
      (r) =>
        r.role !== 'partner-agency-user' &&
        r.role !== 'system-administrator' &&
        r.role !== 'partner-lead-practitioner',
    )
  ) {
    throw new BusinessRuleError(
      'granteeEmail',
      'Only children’s services staff can be given access to a child’s record',
    );
  }
  const existing = await trx
    .selectFrom('recordGrants')
    .select('id')
    .where('childId', '=', input.personId)
    .where('userId', '=', grantee.id)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .executeTakeFirst();
  if (existing)
    throw new BusinessRuleError(
      'granteeEmail',
      'This person already has access: revoke it first to change it',
    );
  const expiresAt = input.expiresOn ? new Date(`${input.expiresOn}T23:59:59Z`) : null;
  const row = await trx
    .insertInto('recordGrants')
    .values({
      childId: input.personId,
      userId: grantee.id,
      access: input.access,
      reason: input.reason,
      grantedBy: user.id,
      grantedAt: now,
      expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'record-grant.created',
      subjectType: 'record-grant',
      subjectId: row.id,
      childId: input.personId,
      details: {
        grantee: grantee.email,
        access: input.access,
        reason: input.reason,
        expiresOn: input.expiresOn ?? null,
      },
    },
  });
  return row.id;
}

export async function revokeGrant(
  ctx: ServiceContext,
  input: { grantId: string; reason: string; personId?: string },
): Promise<{ childId: string }> {
  const { db: trx, user, now } = ctx;
  const grant = await trx
    .selectFrom('recordGrants')
    .innerJoin('users', 'users.id', 'recordGrants.userId')
    .select(['recordGrants.id', 'recordGrants.childId', 'recordGrants.revokedAt', 'users.email'])
    .where('recordGrants.id', '=', input.grantId)
    .executeTakeFirst();
  if (!grant || (input.personId && grant.childId !== input.personId)) throw new NotFoundError();
  // Managers revoke from the child's record; administrators may revoke (never grant) from the admin pages.
  if (user.permissions.has('grant:manage')) await requireAccess(trx, user, 'write', [grant.childId], now);
  else requirePermission(user, 'users:manage');
  if (grant.revokedAt) throw new BusinessRuleError('reason', 'This access has already been revoked');
  // A one-shot action: "not revoked yet" is checked in the UPDATE, so two revocations cannot both land.
  requireUpdated(
    await trx
      .updateTable('recordGrants')
      .set({ revokedAt: now, revokedBy: user.id })
      .where('id', '=', grant.id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: 'record-grant.revoked',
      subjectType: 'record-grant',
      subjectId: grant.id,
      childId: grant.childId,
      details: { grantee: grant.email, reason: input.reason },
    },
  });
  return { childId: grant.childId };
}

export type IdentifierKind = 'la-child-id' | 'nhs-number';

/**
 * Opens a restricted record the user cannot otherwise see. The user names the record by an exact identifier
 * (so nobody can browse restricted records) and states why. Unrestricted records need no break-glass.
 */
export async function breakTheGlass(
  ctx: ServiceContext,
  input: { identifierKind: IdentifierKind; identifier: string; reason: string },
): Promise<{ personId: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'break-glass:use');
  const person = await trx
    .selectFrom('people')
    .select(['id', 'restricted', 'localAuthorityId'])
    .where(input.identifierKind === 'la-child-id' ? 'laChildId' : 'nhsNumber', '=', input.identifier)
    .where('mergedIntoId', 'is', null)
    .where(
      'localAuthorityId',
      'in',
      user.localAuthorityIds.length ? user.localAuthorityIds : ['00000000-0000-0000-0000-000000000000'],
    )
    .executeTakeFirst();
  const notFound = new BusinessRuleError(
    'identifier',
    'No restricted record has this identifier. Check it and try again',
  );
  if (!person) throw notFound;
  if (!person.restricted) {
    throw new BusinessRuleError('identifier', 'This record is not restricted: search for the person instead');
  }
  const expiresAt = new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000);
  const row = await trx
    .insertInto('breakGlassAccesses')
    .values({ childId: person.id, userId: user.id, reason: input.reason, openedAt: now, expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'child-record.break-glass-opened',
      subjectType: 'break-glass',
      subjectId: row.id,
      childId: person.id,
      details: { reason: input.reason, hours: BREAK_GLASS_HOURS },
    },
  });
  return { personId: person.id };
}

/** Break-glass accesses this manager should review: on records allocated to teams they manage, or unallocated ones in their authorities. */
export async function breakGlassForReview(
  ctx: ReadContext,
  options: { includeAcknowledged: boolean; limit: number; offset: number },
) {
  const { db: trx, user } = ctx;
  requirePermission(user, 'record:restrict');
  const managed = user.managedTeamIds.length ? user.managedTeamIds : ['00000000-0000-0000-0000-000000000000'];
  const query = trx
    .selectFrom('breakGlassAccesses as b')
    .innerJoin('people as p', 'p.id', 'b.childId')
    .innerJoin('users as u', 'u.id', 'b.userId')
    .leftJoin('users as ack', 'ack.id', 'b.acknowledgedBy')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('allocations as a')
            .select('a.id')
            .whereRef('a.childId', '=', 'b.childId')
            .where('a.endedOn', 'is', null)
            .where('a.teamId', 'in', managed),
        ),
        eb.and([
          eb.not(
            eb.exists(
              eb
                .selectFrom('allocations as a')
                .select('a.id')
                .whereRef('a.childId', '=', 'b.childId')
                .where('a.endedOn', 'is', null),
            ),
          ),
          eb(
            'p.localAuthorityId',
            'in',
            user.localAuthorityIds.length ? user.localAuthorityIds : ['00000000-0000-0000-0000-000000000000'],
          ),
        ]),
      ]),
    )
    .$if(!options.includeAcknowledged, (q) => q.where('b.acknowledgedAt', 'is', null));
  const [rows, total] = await Promise.all([
    query
      .select([
        'b.id',
        'b.childId',
        'b.reason',
        'b.openedAt',
        'b.expiresAt',
        'b.acknowledgedAt',
        'p.laChildId',
        'p.givenName',
        'p.familyName',
        'u.displayName as userName',
        'u.email as userEmail',
        'ack.displayName as acknowledgedByName',
      ])
      .orderBy('b.openedAt', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function acknowledgeBreakGlass(
  ctx: ServiceContext,
  input: { breakGlassId: string; note: string },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { breakGlassId, note } = input;
  requirePermission(user, 'record:restrict');
  const entry = await trx
    .selectFrom('breakGlassAccesses')
    .select(['id', 'childId', 'acknowledgedAt'])
    .where('id', '=', breakGlassId)
    .executeTakeFirst();
  if (!entry) throw new NotFoundError();
  await requireAccess(trx, user, 'write', [entry.childId], now);
  if (entry.acknowledgedAt) throw new BusinessRuleError('note', 'This access has already been reviewed');
  // A one-shot action: "not reviewed yet" is checked in the UPDATE, so two reviews cannot both land.
  requireUpdated(
    await trx
      .updateTable('breakGlassAccesses')
      .set({ acknowledgedAt: now, acknowledgedBy: user.id })
      .where('id', '=', entry.id)
      .where('acknowledgedAt', 'is', null)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: 'break-glass.reviewed',
      subjectType: 'break-glass',
      subjectId: entry.id,
      childId: entry.childId,
      details: { note },
    },
  });
}

/**
 * The records merged into this one (directly or through a chain: A merged into B, then B into this), from
 * person_merges and people.merged_into_id, with the name and LA child ID each had. Audit events are
 * append-only, so a merge leaves the duplicate's on its own id: the access log reads them from here.
 */
export async function recordsMergedInto(trx: Db, personId: string) {
  const { rows } = await sql<{ id: string }>`
    with recursive merged(id) as (
      select ${personId}::uuid
      union
      select x.id
      from (
        select m.merged_person_id as id, m.kept_person_id as into_id from person_merges m
        union
        select p.id, p.merged_into_id from people p where p.merged_into_id is not null
      ) x
      join merged on merged.id = x.into_id
    )
    select id from merged where id <> ${personId}::uuid`.execute(trx);
  if (!rows.length) return [];
  return trx
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName', 'laChildId'])
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('laChildId')
    .execute();
}

/**
 * Who has seen or changed this record: the audit trail filtered to the child, newest first, including the
 * entries about every record merged into this one. Those carry `originalRecord` (and the same first in
 * `details`), e.g. "Jaden Clark (LA0001234), merged into this record", so a manager can tell which record an
 * entry was originally about.
 */
export async function accessLog(
  ctx: ReadContext,
  input: { personId: string; page: { limit: number; offset: number } },
) {
  const { db: trx, user, now } = ctx;
  const { personId, page } = input;
  requirePermission(user, 'record-access:view');
  await requireAccess(trx, user, 'read', [personId], now);
  const merged = await recordsMergedInto(trx, personId);
  const labels = new Map(
    merged.map((p) => [
      p.id,
      `${p.givenName} ${p.familyName}${p.laChildId ? ` (${p.laChildId})` : ''}, merged into this record`,
    ]),
  );
  const childIds = [personId, ...merged.map((p) => p.id)];
  const base = trx
    .selectFrom('auditEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorUserId')
    .where('e.childId', 'in', childIds);
  const [rows, total, breakGlass] = await Promise.all([
    base
      .select([
        'e.seq',
        'e.occurredAt',
        'e.action',
        'e.actorLabel',
        'e.details',
        'e.ip',
        'e.childId',
        'u.displayName',
        'u.jobTitle',
      ])
      .orderBy('e.seq', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    trx
      .selectFrom('breakGlassAccesses as b')
      .innerJoin('users as u', 'u.id', 'b.userId')
      .select(['b.id', 'b.reason', 'b.openedAt', 'b.expiresAt', 'b.acknowledgedAt', 'u.displayName'])
      .where('b.childId', '=', personId)
      .orderBy('b.openedAt', 'desc')
      .limit(50)
      .execute(),
  ]);
  return {
    rows: rows.map((r) => {
      const originalRecord = r.childId && r.childId !== personId ? (labels.get(r.childId) ?? null) : null;
      const details =
        originalRecord && (!r.details || (typeof r.details === 'object' && !Array.isArray(r.details)))
          ? { originalRecord, ...((r.details as Record<string, unknown> | null) ?? {}) }
          : r.details;
      return { ...r, details, originalRecord };
    }),
    total: Number(total?.n ?? 0),
    breakGlass,
    mergedRecords: merged,
  };
}

/**
 * The few facts every record-access page shows about whose record it is, after checking the user may read (or write)
 * it, and whether their access comes from breaking the glass.
 */
export async function recordAccessSubject(
  ctx: ReadContext,
  personId: string,
  level: 'read' | 'write' = 'read',
) {
  const decisions = await requireAccess(ctx.db, ctx.user, level, [personId], ctx.now);
  const person = await ctx.db
    .selectFrom('people')
    .select([
      'id',
      'givenName',
      'familyName',
      'laChildId',
      'dateOfBirth',
      'expectedDateOfBirth',
      'restricted',
      'restrictionReason',
      'kind',
    ])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return { ...person, viaBreakGlass: decisions.get(personId)?.viaBreakGlass ?? false };
}

/** The named grants on a record (latest 200, newest first), for its management line. */
export async function listGrants(ctx: ReadContext, personId: string) {
  requirePermission(ctx.user, 'record:restrict');
  await requireAccess(ctx.db, ctx.user, 'write', [personId], ctx.now);
  return ctx.db
    .selectFrom('recordGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .innerJoin('users as by', 'by.id', 'g.grantedBy')
    .select([
      'g.id',
      'g.access',
      'g.reason',
      'g.grantedAt',
      'g.expiresAt',
      'g.revokedAt',
      'u.displayName',
      'u.email',
      'by.displayName as grantedByName',
    ])
    .where('g.childId', '=', personId)
    .orderBy('g.grantedAt', 'desc')
    .limit(200)
    .execute();
}

/** One named grant on a record, to revoke it. NotFoundError when the record has no such grant. */
export async function findGrant(ctx: ReadContext, personId: string, grantId: string) {
  requirePermission(ctx.user, 'grant:manage');
  await requireAccess(ctx.db, ctx.user, 'write', [personId], ctx.now);
  const grant = await ctx.db
    .selectFrom('recordGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .select(['g.id', 'g.access', 'g.reason', 'u.displayName', 'u.email'])
    .where('g.id', '=', grantId)
    .where('g.childId', '=', personId)
    .executeTakeFirst();
  if (!grant) throw new NotFoundError();
  return grant;
}

/** One break-glass access, for the record's management line to review (write access to the record). */
export async function findBreakGlass(ctx: ReadContext, breakGlassId: string) {
  requirePermission(ctx.user, 'record:restrict');
  const entry = await ctx.db
    .selectFrom('breakGlassAccesses as b')
    .innerJoin('users as u', 'u.id', 'b.userId')
    .innerJoin('people as p', 'p.id', 'b.childId')
    .select([
      'b.id',
      'b.childId',
      'b.reason',
      'b.openedAt',
      'b.expiresAt',
      'b.acknowledgedAt',
      'u.displayName as userName',
      'u.email as userEmail',
      'p.givenName',
      'p.familyName',
      'p.laChildId',
    ])
    .where('b.id', '=', breakGlassId)
    .executeTakeFirst();
  if (!entry) throw new NotFoundError();
  await requireAccess(ctx.db, ctx.user, 'write', [entry.childId], ctx.now);
  return entry;
}
