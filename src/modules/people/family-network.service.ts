import { sql } from 'kysely';
import { requireAccess, visibleTo } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { compareIsoDates, formatDateGovUk, isoDateOf, occurredOn } from '../../kernel/time/index.ts';
import {
  CONTACT_METHOD_LABELS,
  offerLabels,
  roleLabel,
  type ContactMethod,
  type NetworkRole,
  type SupportOffer,
} from './family-network.ts';
import { displayName } from './person.ts';

/**
 * The child's family network: who is in it (a person on the record, or someone named here), their role, how to
 * reach them and what help they can offer. Changed with the version check; ended with a date and a reason, never
 * deleted. Every change is audited and written to the child's chronology.
 */

export interface NetworkMemberDetails {
  roleCode: NetworkRole;
  roleDescription?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  addressNote?: string | undefined;
  preferredContact?: ContactMethod | undefined;
  supportOffers: SupportOffer[];
}

export interface AddNetworkMemberInput extends NetworkMemberDetails {
  childId: string;
  /** Someone already on the record (linked to the child by a relationship)… */
  personId?: string | undefined;
  /** … or someone named here. */
  givenName?: string | undefined;
  familyName?: string | undefined;
  fromDate: string;
}

export interface NetworkMember {
  id: string;
  childId: string;
  personId: string | null;
  name: string;
  roleCode: string;
  roleDescription: string | null;
  role: string;
  phone: string | null;
  email: string | null;
  addressNote: string | null;
  preferredContact: string | null;
  preferredContactLabel: string | null;
  supportOffers: string[];
  supportOfferLabels: string[];
  fromDate: string;
  toDate: string | null;
  endReason: string | null;
  current: boolean;
  version: number;
}

async function requireChildWrite(ctx: ReadContext, childId: string) {
  requirePermission(ctx.user, 'child:write');
  await requireAccess(ctx.db, ctx.user, 'write', [childId], ctx.now);
  const child = await ctx.db
    .selectFrom('people')
    .select(['id', 'kind', 'mergedIntoId'])
    .where('id', '=', childId)
    .executeTakeFirst();
  if (!child || child.mergedIntoId) throw new NotFoundError();
  if (child.kind !== 'child' && child.kind !== 'unborn')
    throw new BusinessRuleError('personId', 'A family network is recorded for a child');
}

/** The members' rows with the names the user may see (a linked record they may not see is shown as "Not shown"). */
function memberQuery(ctx: ReadContext) {
  return ctx.db
    .selectFrom('familyNetworkMembers as m')
    .leftJoin('people as p', (join) =>
      join.onRef('p.id', '=', 'm.personId').on(visibleTo(ctx.user, ctx.now, 'p.id')),
    )
    .select([
      'm.id',
      'm.childId',
      'm.personId',
      'm.givenName',
      'm.familyName',
      'p.givenName as personGivenName',
      'p.familyName as personFamilyName',
      'p.knownAs as personKnownAs',
      'm.roleCode',
      'm.roleDescription',
      'm.phone',
      'm.email',
      'm.addressNote',
      'm.preferredContact',
      'm.supportOffers',
      'm.fromDate',
      'm.toDate',
      'm.endReason',
      'm.version',
    ]);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['execute']>>[number];

function toMember(r: MemberRow, today: string): NetworkMember {
  const name = r.personId
    ? r.personGivenName && r.personFamilyName
      ? displayName({
          givenName: r.personGivenName,
          familyName: r.personFamilyName,
          knownAs: r.personKnownAs,
        })
      : 'Name not shown (restricted record)'
    : `${r.givenName ?? ''} ${r.familyName ?? ''}`.trim();
  return {
    id: r.id,
    childId: r.childId,
    personId: r.personGivenName ? r.personId : null,
    name,
    roleCode: r.roleCode,
    roleDescription: r.roleDescription,
    role: roleLabel(r.roleCode, r.roleDescription),
    phone: r.phone,
    email: r.email,
    addressNote: r.addressNote,
    preferredContact: r.preferredContact,
    preferredContactLabel: r.preferredContact
      ? (CONTACT_METHOD_LABELS[r.preferredContact as ContactMethod] ?? r.preferredContact)
      : null,
    supportOffers: r.supportOffers,
    supportOfferLabels: offerLabels(r.supportOffers),
    fromDate: r.fromDate,
    toDate: r.toDate,
    endReason: r.endReason,
    current: !r.toDate || compareIsoDates(r.toDate, today) > 0,
    version: r.version,
  };
}

/** How many people are in the child's network now (the record summary's figure): one indexed count. */
export async function networkSize(db: Db, childId: string, today: string): Promise<number> {
  const row = await db
    .selectFrom('familyNetworkMembers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('childId', '=', childId)
    .where((eb) => eb.or([eb('toDate', 'is', null), eb('toDate', '>', today)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The child's family network, current members first (then ended, latest first), one page at a time. Checks that
 * the user may read the child's record: a record they may not see is a NotFoundError.
 */
export async function familyNetworkFor(
  ctx: ReadContext,
  childId: string,
  options: { page?: number; pageSize?: number; currentOnly?: boolean } = {},
): Promise<{ members: NetworkMember[]; total: number }> {
  await requireAccess(ctx.db, ctx.user, 'read', [childId], ctx.now);
  const today = isoDateOf(ctx.now);
  const pageSize = options.pageSize ?? 50;
  const page = options.page ?? 1;
  const base = memberQuery(ctx)
    .where('m.childId', '=', childId)
    .$if(!!options.currentOnly, (qb) =>
      qb.where((eb) => eb.or([eb('m.toDate', 'is', null), eb('m.toDate', '>', today)])),
    );
  const [rows, count] = await Promise.all([
    base
      .orderBy(sql`case when m.to_date is null or m.to_date > ${today} then 0 else 1 end`)
      .orderBy('m.toDate', 'desc')
      .orderBy('m.fromDate')
      .orderBy('m.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    ctx.db
      .selectFrom('familyNetworkMembers as m')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('m.childId', '=', childId)
      .$if(!!options.currentOnly, (qb) =>
        qb.where((eb) => eb.or([eb('m.toDate', 'is', null), eb('m.toDate', '>', today)])),
      )
      .executeTakeFirstOrThrow(),
  ]);
  return { members: rows.map((r) => toMember(r, today)), total: Number(count.n) };
}

/** One member of the child's network (404 unless it is this child's and the user may read the child's record). */
export async function loadNetworkMember(
  ctx: ReadContext,
  input: { childId: string; memberId: string },
): Promise<NetworkMember> {
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  const row = await memberQuery(ctx)
    .where('m.id', '=', input.memberId)
    .where('m.childId', '=', input.childId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return toMember(row, isoDateOf(ctx.now));
}

/**
 * People on the record the child is linked to by a current relationship, not yet in the network: the choices for
 * "someone already on the record". Only records the user may see; at most 50 (a family fits).
 */
export async function networkCandidates(ctx: ReadContext, childId: string) {
  await requireAccess(ctx.db, ctx.user, 'read', [childId], ctx.now);
  const today = isoDateOf(ctx.now);
  const rows = await ctx.db
    .selectFrom('relationships as r')
    .innerJoin('people as p', (join) =>
      join.on((eb) =>
        eb.or([
          eb.and([eb('r.personId', '=', childId), eb('p.id', '=', eb.ref('r.relatedPersonId'))]),
          eb.and([eb('r.relatedPersonId', '=', childId), eb('p.id', '=', eb.ref('r.personId'))]),
        ]),
      ),
    )
    .select(['p.id', 'p.givenName', 'p.familyName', 'p.knownAs', 'p.kind'])
    .distinct()
    .where((eb) => eb.or([eb('r.toDate', 'is', null), eb('r.toDate', '>', today)]))
    .where('p.mergedIntoId', 'is', null)
    .where('p.kind', '<>', 'professional')
    .where(visibleTo(ctx.user, ctx.now, 'p.id'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('familyNetworkMembers as m')
            .select('m.id')
            .where('m.childId', '=', childId)
            .whereRef('m.personId', '=', 'p.id')
            .where('m.toDate', 'is', null),
        ),
      ),
    )
    .orderBy('p.familyName')
    .orderBy('p.givenName')
    .limit(50)
    .execute();
  return rows.map((p) => ({ id: p.id, name: displayName(p) }));
}

function detailsRow(input: NetworkMemberDetails) {
  return {
    roleCode: input.roleCode,
    roleDescription: input.roleDescription ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    addressNote: input.addressNote ?? null,
    preferredContact: input.preferredContact ?? null,
    supportOffers: input.supportOffers,
  };
}

function requireReachable(input: NetworkMemberDetails) {
  if (input.preferredContact === 'phone' && !input.phone)
    throw new BusinessRuleError('phone', 'Enter a phone number, or choose another way to reach them');
  if (input.preferredContact === 'email' && !input.email)
    throw new BusinessRuleError('email', 'Enter an email address, or choose another way to reach them');
  if (input.preferredContact === 'letter' && !input.addressNote)
    throw new BusinessRuleError(
      'addressNote',
      'Enter where to write to, or choose another way to reach them',
    );
}

export async function addNetworkMember(ctx: ServiceContext, input: AddNetworkMemberInput): Promise<string> {
  await requireChildWrite(ctx, input.childId);
  if (compareIsoDates(input.fromDate, isoDateOf(ctx.now)) > 0)
    throw new BusinessRuleError('fromDate', 'The date they joined the network must be today or in the past');
  requireReachable(input);
  let name: string;
  if (input.personId) {
    const candidates = await networkCandidates(ctx, input.childId);
    const chosen = candidates.find((c) => c.id === input.personId);
    if (!chosen)
      throw new BusinessRuleError(
        'personId',
        'Select someone linked to the child who is not already in the network, or add someone new',
      );
    name = chosen.name;
  } else {
    if (!input.givenName || !input.familyName)
      throw new BusinessRuleError('givenName', 'Enter the first and last name of the person you are adding');
    name = `${input.givenName} ${input.familyName}`;
  }
  const { id } = await ctx.db
    .insertInto('familyNetworkMembers')
    .values({
      childId: input.childId,
      personId: input.personId ?? null,
      givenName: input.personId ? null : (input.givenName ?? null),
      familyName: input.personId ? null : (input.familyName ?? null),
      ...detailsRow(input),
      fromDate: input.fromDate,
      createdBy: ctx.user.id,
      createdAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const role = roleLabel(input.roleCode, input.roleDescription ?? null);
  await recordChange(ctx, {
    audit: {
      action: 'family-network-member.added',
      subjectType: 'family-network-member',
      subjectId: id,
      childId: input.childId,
      details: {
        roleCode: input.roleCode,
        personId: input.personId ?? null,
        supportOffers: input.supportOffers,
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'record',
      title: `Family network: ${name} (${role.toLowerCase()}) joined the network`,
      summary: input.supportOffers.length
        ? `Can offer: ${offerLabels(input.supportOffers).join(', ')}`
        : null,
      occurredAt: occurredOn(input.fromDate, ctx.now),
      sourceType: 'family-network-member',
      sourceId: id,
    },
  });
  return id;
}

export async function changeNetworkMember(
  ctx: ServiceContext,
  input: NetworkMemberDetails & { childId: string; memberId: string; version: number },
): Promise<{ changed: string[] }> {
  await requireChildWrite(ctx, input.childId);
  const member = await loadNetworkMember(ctx, input);
  if (member.version !== input.version) throw new ConflictError();
  if (member.toDate)
    throw new BusinessRuleError(
      'roleCode',
      'They have left the network: their details are kept as they were',
    );
  requireReachable(input);
  const next = detailsRow(input);
  const before: Record<string, unknown> = {
    roleCode: member.roleCode,
    roleDescription: member.roleDescription,
    phone: member.phone,
    email: member.email,
    addressNote: member.addressNote,
    preferredContact: member.preferredContact,
    supportOffers: member.supportOffers,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
  );
  if (!changed.length) return { changed };
  requireUpdated(
    await ctx.db
      .updateTable('familyNetworkMembers')
      .set({ ...next, version: sql`version + 1` })
      .where('id', '=', member.id)
      .where('version', '=', input.version)
      .where('toDate', 'is', null)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    // Contact details are not copied into the audit trail: it names what changed.
    audit: {
      action: 'family-network-member.changed',
      subjectType: 'family-network-member',
      subjectId: member.id,
      childId: input.childId,
      details: { changed },
    },
    chronology: {
      childIds: [input.childId],
      category: 'record',
      title: `Family network: ${member.name}’s details changed`,
      summary: `Changed: ${changed.map((c) => CHANGED_WORDS[c]).join(', ')}`,
      sourceType: 'family-network-member',
      sourceId: member.id,
    },
  });
  return { changed };
}

const CHANGED_WORDS: Record<string, string> = {
  roleCode: 'role',
  roleDescription: 'role',
  phone: 'phone',
  email: 'email',
  addressNote: 'address',
  preferredContact: 'preferred way to reach them',
  supportOffers: 'help they can offer',
};

export async function endNetworkMember(
  ctx: ServiceContext,
  input: { childId: string; memberId: string; version: number; endDate: string; reason: string },
): Promise<void> {
  await requireChildWrite(ctx, input.childId);
  const member = await loadNetworkMember(ctx, input);
  if (member.version !== input.version) throw new ConflictError();
  if (member.toDate)
    throw new BusinessRuleError('endDate', `They left the network on ${formatDateGovUk(member.toDate)}`);
  if (compareIsoDates(input.endDate, member.fromDate) < 0)
    throw new BusinessRuleError(
      'endDate',
      `The date they left must be the same as or after the date they joined (${formatDateGovUk(member.fromDate)})`,
    );
  if (compareIsoDates(input.endDate, isoDateOf(ctx.now)) > 0)
    throw new BusinessRuleError('endDate', 'The date they left must be today or in the past');
  requireUpdated(
    await ctx.db
      .updateTable('familyNetworkMembers')
      .set({ toDate: input.endDate, endReason: input.reason, version: sql`version + 1` })
      .where('id', '=', member.id)
      .where('version', '=', input.version)
      .where('toDate', 'is', null)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: 'family-network-member.ended',
      subjectType: 'family-network-member',
      subjectId: member.id,
      childId: input.childId,
      details: { endDate: input.endDate, reason: input.reason },
    },
    chronology: {
      childIds: [input.childId],
      category: 'record',
      title: `Family network: ${member.name} left the network`,
      summary: input.reason,
      occurredAt: occurredOn(input.endDate, ctx.now),
      sourceType: 'family-network-member',
      sourceId: member.id,
    },
  });
}
