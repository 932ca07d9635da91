import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireAccess, type CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { createPerson } from '../people/index.ts';
import { assertCanLead, requireEpisodeAccess } from './access.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { recordChange, type ServiceContext, requireUpdated } from '../../kernel/service/index.ts';
import { queueEmail } from '../../kernel/mail/index.ts';
import { leadPractitionerEmail, teamMemberEmail } from './notification-emails.ts';
import { EH_PATHS, ehPath } from './paths.ts';

type Trx = Transaction<DB>;

/**
 * Opening an early help (family help) episode: for one or more children of a family, from a front-door
 * decision, a partner starting early help with the family's consent, or a step-down from social care. The lead
 * practitioner (who need not be a social worker, nor work for the authority) is allocated to the children.
 * Also: changing the lead practitioner, the team around the family, and consent.
 */

export type EarlyHelpSource = 'front-door' | 'partner' | 'step-down';

export interface OpenEarlyHelpEpisodeInput {
  childIds: string[];
  source: EarlyHelpSource;
  openedOn: string;
  sourceContactId?: string | null;
  sourceCinEpisodeId?: string | null;
  teamId?: string | null;
  clusterId?: string | null;
  leadPractitionerId?: string | null;
  leadAgencyId?: string | null;
  familyPreference?: string | null;
  levelOfNeed?: string | null;
  consentGiven?: boolean | null;
  consentNotes?: string | null;
  /** A step-down waits for the proposed lead practitioner to accept (see step-down.service.ts). */
  awaitingLeadAcceptance?: boolean;
}

/** Opens an episode as `user`, who must be able to write every child's record (the front door, staff). */
export async function openEarlyHelpEpisode(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  input: OpenEarlyHelpEpisodeInput,
): Promise<{ id: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  if (input.childIds.length === 0) throw new BusinessRuleError('childIds', 'Select at least one child');
  await requireAccess(trx, user, 'write', input.childIds, now);
  return insertEpisode(ctx, input);
}

/**
 * The open early help episodes the given children are in (one row per child and episode): a new episode for them
 * would be refused, so the front door attaches a new contact to these instead.
 */
export async function openEarlyHelpEpisodesFor(
  trx: Trx,
  childIds: readonly string[],
): Promise<{ id: string; reference: string; openedOn: string; childId: string }[]> {
  if (childIds.length === 0) return [];
  return trx
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
    .select(['e.id', 'e.reference', 'e.openedOn', 'c.childId'])
    .where('c.childId', 'in', childIds)
    .where('e.status', '=', 'open')
    .orderBy('e.openedOn')
    .execute();
}

/** The early help team of a locality cluster (where a partner-led episode is allocated, for oversight). */
export async function clusterTeam(trx: Trx, clusterId: string | null | undefined): Promise<string | null> {
  if (!clusterId) return null;
  const row = await trx
    .selectFrom('teams as t')
    .innerJoin('services as s', 's.id', 't.serviceId')
    .select('t.id')
    .where('t.clusterId', '=', clusterId)
    .where('s.area', '=', 'early-help')
    .orderBy('t.name')
    .executeTakeFirst();
  return row?.id ?? null;
}

async function insertEpisode(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  input: OpenEarlyHelpEpisodeInput,
): Promise<{ id: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  const children = await trx
    .selectFrom('people')
    .select(['id', 'localAuthorityId', 'kind'])
    .where('id', 'in', input.childIds)
    .execute();
  if (children.length !== new Set(input.childIds).size) throw new NotFoundError();
  if (children.some((c) => c.kind !== 'child'))
    throw new BusinessRuleError('childIds', 'Early help is for children: remove the adults');
  const localAuthorityId = children[0]!.localAuthorityId;
  if (children.some((c) => c.localAuthorityId !== localAuthorityId))
    throw new BusinessRuleError('childIds', 'The children must all be with the same local authority');
  const open = await trx
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
    .select(['e.reference'])
    .where('c.childId', 'in', input.childIds)
    .where('e.status', '=', 'open')
    .executeTakeFirst();
  if (open)
    throw new BusinessRuleError(
      'childIds',
      `A child already has an open early help episode (${open.reference}): add to that one instead`,
    );
  if (input.clusterId) {
    const cluster = await trx
      .selectFrom('clusters')
      .select('localAuthorityId')
      .where('id', '=', input.clusterId)
      .executeTakeFirst();
    if (!cluster || cluster.localAuthorityId !== localAuthorityId)
      throw new BusinessRuleError('clusterId', 'Choose a locality cluster of the children’s local authority');
  }
  let teamId = input.teamId ?? null;
  let clusterId = input.clusterId ?? null;
  let leadAgencyId = input.leadAgencyId ?? null;
  if (input.leadPractitionerId) {
    const lead = await assertCanLead(trx, input.leadPractitionerId, input.childIds, localAuthorityId, now);
    const leadRow = await trx
      .selectFrom('users')
      .select(['teamId', 'agencyId'])
      .where('id', '=', lead.id)
      .executeTakeFirstOrThrow();
    teamId ??= leadRow.teamId;
    leadAgencyId ??= leadRow.agencyId;
  }
  teamId ??= await clusterTeam(trx, clusterId);
  if (teamId && !clusterId) {
    clusterId =
      (await trx.selectFrom('teams').select('clusterId').where('id', '=', teamId).executeTakeFirst())
        ?.clusterId ?? null;
  }
  const number = await sql<{ n: number }>`select nextval('early_help_episode_number') as n`.execute(trx);
  const reference = `EH-${input.openedOn.slice(0, 4)}-${String(number.rows[0]!.n).padStart(5, '0')}`;
  const episode = await trx
    .insertInto('earlyHelpEpisodes')
    .values({
      reference,
      localAuthorityId,
      source: input.source,
      sourceContactId: input.sourceContactId ?? null,
      sourceCinEpisodeId: input.sourceCinEpisodeId ?? null,
      teamId,
      clusterId,
      leadPractitionerId: input.leadPractitionerId ?? null,
      leadAgencyId,
      leadAcceptance: input.leadPractitionerId && input.awaitingLeadAcceptance ? 'pending' : 'not-needed',
      familyPreference: input.familyPreference ?? null,
      levelOfNeed: input.levelOfNeed ?? null,
      consentGiven: input.consentGiven ?? null,
      consentRecordedOn:
        input.consentGiven === undefined || input.consentGiven === null ? null : input.openedOn,
      consentNotes: input.consentNotes ?? null,
      openedOn: input.openedOn,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('earlyHelpEpisodeChildren')
    .values(input.childIds.map((childId) => ({ episodeId: episode.id, childId, addedOn: input.openedOn })))
    .execute();
  if (teamId)
    await allocate(
      trx,
      user,
      episode.id,
      input.childIds,
      teamId,
      input.leadPractitionerId ?? null,
      input.openedOn,
      now,
    );
  const sourceText = {
    'front-door': 'after a front-door decision',
    partner: 'directly, with the family’s consent',
    'step-down': 'on step-down from social care',
  }[input.source];
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: input.childIds,
      title: `Early help episode ${reference} opened`,
      summary: `Opened ${sourceText}.`,
      significant: true,
    }),
    audit: episodeAudit({
      action: 'early-help-episode.opened',
      episodeId: episode.id,
      childId: input.childIds[0]!,
      details: { reference, source: input.source, children: input.childIds.length },
    }),
  });
  return { id: episode.id, reference };
}

async function allocate(
  trx: Trx,
  user: CurrentUser,
  episodeId: string,
  childIds: readonly string[],
  teamId: string,
  workerId: string | null,
  startedOn: string,
  now: Date,
) {
  const rows = await trx
    .insertInto('allocations')
    .values(
      childIds.map((childId) => ({
        childId,
        workerId,
        teamId,
        role: 'lead-practitioner',
        involvementType: 'early-help-episode',
        involvementId: episodeId,
        startedOn,
        createdAt: now,
        createdBy: user.id,
      })),
    )
    .returning('id')
    .execute();
  // The lead practitioner hears of it by email (once per allocation; not when they allocated themselves).
  if (workerId && workerId !== user.id && rows[0]) {
    const worker = await trx
      .selectFrom('users')
      .select(['email', 'status'])
      .where('id', '=', workerId)
      .executeTakeFirst();
    const team = await trx.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst();
    if (worker?.status === 'active')
      await queueEmail(trx, {
        eventKey: `allocation:${rows[0].id}`,
        kind: 'early-help-allocation',
        to: worker.email,
        ...leadPractitionerEmail({
          allocatedBy: user.displayName,
          teamName: team?.name ?? 'early help',
          startedOn,
        }),
        linkPath: ehPath(EH_PATHS.episode, episodeId),
        createdBy: user.id,
        now,
      });
  }
}

/** Ends the episode's allocations (on closure or when the lead practitioner changes). */
export async function endAllocations(trx: Trx, episodeId: string, endedOn: string): Promise<void> {
  await trx
    .updateTable('allocations')
    .set({ endedOn })
    .where('involvementType', '=', 'early-help-episode')
    .where('involvementId', '=', episodeId)
    .where('endedOn', 'is', null)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Starting early help directly (not through the front door), with the family's consent.

export interface StartEarlyHelpInput {
  /** Staff: the children's records. */
  childIds?: string[];
  /** A partner lead practitioner, who cannot open records: the children as the family gave their details. */
  children?: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber?: string | undefined }[];
  /** For a partner: the authority the family lives in. Staff: taken from the records. */
  localAuthorityId?: string;
  clusterId: string;
  reason: string;
  consentNotes?: string | undefined;
  familyPreference?: string | undefined;
  /** Staff may name another lead practitioner; a partner leads it themselves. */
  leadPractitionerId?: string | undefined;
}

const NOT_STARTED_ONLINE =
  'We could not start early help online for this family. Please contact the Single Point of Access: they will check and set it up with you.';

/**
 * A partner lead practitioner or an early help practitioner starts early help with the family's consent (no front
 * door). Staff choose the children's records. A partner describes the children: each is matched to a record by NHS
 * number, or by exact name and date of birth, and a record is created when there is none. The partner is told the
 * same thing whether or not a record existed; when the match is not clear-cut (several records, a restricted
 * record, early help already open) they are asked to contact the front door instead, in the same words whichever
 * it was, so nothing about the children's records is revealed.
 */
export async function startEarlyHelp(
  ctx: ServiceContext,
  input: StartEarlyHelpInput,
): Promise<{ id: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  if (!user.permissions.has('early-help:write')) throw new AccessDeniedError('early-help:write');
  const openedOn = isoDateOf(now);
  const consentNotes = [input.reason.trim(), input.consentNotes?.trim()].filter(Boolean).join('\n\n');
  if (!user.isPartner) {
    if (!input.childIds?.length)
      throw new BusinessRuleError('childIds', 'Select the children early help is for');
    return openEarlyHelpEpisode(ctx, {
      childIds: input.childIds,
      source: 'partner',
      openedOn,
      clusterId: input.clusterId,
      leadPractitionerId: input.leadPractitionerId ?? user.id,
      familyPreference: input.familyPreference ?? null,
      consentGiven: true,
      consentNotes,
      levelOfNeed: 'level-2',
    });
  }
  if (!input.children?.length)
    throw new BusinessRuleError('children', 'Give the details of at least one child');
  const localAuthorityId = input.localAuthorityId;
  if (!localAuthorityId)
    throw new BusinessRuleError('localAuthorityId', 'Choose the local authority the family lives in');
  const served = user.agencyId
    ? await trx
        .selectFrom('agencyLocalAuthorities')
        .select('localAuthorityId')
        .where('agencyId', '=', user.agencyId)
        .where('localAuthorityId', '=', localAuthorityId)
        .executeTakeFirst()
    : undefined;
  if (!served)
    throw new BusinessRuleError('localAuthorityId', 'Choose a local authority your agency works with');
  const childIds: string[] = [];
  // Records are created on the partner's behalf: the audit trail names them; nothing else is opened to them.
  const onBehalf: CurrentUser = {
    ...user,
    permissions: new Set([...user.permissions, 'person:create']),
    localAuthorityIds: [localAuthorityId],
    localAuthorityId,
  };
  for (const c of input.children) {
    const matches = await trx
      .selectFrom('people')
      .select(['id', 'restricted'])
      .where('kind', '=', 'child')
      .where('localAuthorityId', '=', localAuthorityId)
      .where('mergedIntoId', 'is', null)
      .where((eb) => {
        const byName = eb.and([
          eb(sql`lower(given_name)`, '=', c.givenName.trim().toLowerCase()),
          eb(sql`lower(family_name)`, '=', c.familyName.trim().toLowerCase()),
          eb('dateOfBirth', '=', c.dateOfBirth),
        ]);
        return c.nhsNumber ? eb.or([eb('nhsNumber', '=', c.nhsNumber), byName]) : byName;
      })
      .execute();
    if (matches.length > 1 || matches.some((m) => m.restricted))
      throw new BusinessRuleError('children', NOT_STARTED_ONLINE);
    if (matches.length === 1) {
      childIds.push(matches[0]!.id);
      continue;
    }
    const created = await createPerson({ ...ctx, user: onBehalf }, {
      kind: 'child',
      localAuthorityId,
      givenName: c.givenName.trim(),
      familyName: c.familyName.trim(),
      dateOfBirth: c.dateOfBirth,
      nhsNumber: c.nhsNumber,
      interpreterNeeded: false,
      unaccompaniedAsylumSeeking: false,
      disabilities: [],
    } as unknown as Parameters<typeof createPerson>[1]);
    childIds.push(created.id);
  }
  const open = await trx
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
    .select('e.id')
    .where('c.childId', 'in', childIds)
    .where('e.status', '=', 'open')
    .executeTakeFirst();
  if (open) throw new BusinessRuleError('children', NOT_STARTED_ONLINE);
  return insertEpisode(ctx, {
    childIds,
    source: 'partner',
    openedOn,
    clusterId: input.clusterId,
    leadPractitionerId: user.id,
    familyPreference: input.familyPreference ?? null,
    consentGiven: true,
    consentNotes,
    levelOfNeed: 'level-2',
  });
}

// ---------------------------------------------------------------------------------------------------------
// The lead practitioner, the team around the family, consent.

export async function requireOpenEpisode(trx: Trx, episodeId: string) {
  const episode = await trx
    .selectFrom('earlyHelpEpisodes')
    .selectAll()
    .where('id', '=', episodeId)
    .executeTakeFirst();
  if (!episode) throw new NotFoundError();
  if (episode.status !== 'open')
    throw new BusinessRuleError(
      'form',
      `Early help episode ${episode.reference} is closed: nothing more can be recorded on it`,
    );
  return episode;
}

export async function assignLeadPractitioner(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    leadPractitionerId: string;
    familyPreference?: string | undefined;
    reason?: string | undefined;
    /** The episode's version when the form was shown: a change saved since is not overwritten (409). */
    version: number;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  const lead = await assertCanLead(
    trx,
    input.leadPractitionerId,
    access.childIds,
    access.localAuthorityId,
    now,
  );
  const leadRow = await trx
    .selectFrom('users')
    .select(['teamId', 'agencyId', 'jobTitle'])
    .where('id', '=', lead.id)
    .executeTakeFirstOrThrow();
  const today = isoDateOf(now);
  const teamId = leadRow.teamId ?? episode.teamId ?? (await clusterTeam(trx, episode.clusterId));
  const changed = episode.leadPractitionerId !== lead.id;
  requireUpdated(
    await trx
      .updateTable('earlyHelpEpisodes')
      .set({
        leadPractitionerId: lead.id,
        leadAgencyId: leadRow.agencyId,
        teamId,
        familyPreference: input.familyPreference ?? episode.familyPreference,
        leadAcceptance: changed ? 'not-needed' : episode.leadAcceptance,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', episode.id)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  if (changed) {
    await endAllocations(trx, episode.id, today);
    if (teamId) await allocate(trx, user, episode.id, access.childIds, teamId, lead.id, today, now);
    const agency = leadRow.agencyId
      ? (
          await trx
            .selectFrom('agencies')
            .select('name')
            .where('id', '=', leadRow.agencyId)
            .executeTakeFirst()
        )?.name
      : null;
    await recordChange(ctx, {
      chronology: episodeChronology({
        episodeId: episode.id,
        childIds: access.childIds,
        title: `Lead practitioner: ${lead.displayName}${agency ? ` (${agency})` : ''}`,
        summary:
          [input.reason, input.familyPreference ? `The family’s preference: ${input.familyPreference}` : null]
            .filter(Boolean)
            .join('. ') || null,
        category: 'allocation',
      }),
    });
  }
  await recordChange(ctx, {
    audit: episodeAudit({
      action: 'early-help-lead.assigned',
      episodeId: episode.id,
      childId: access.childIds[0],
      details: { leadPractitionerId: lead.id, changed },
    }),
  });
}

export interface TafMemberInput {
  episodeId: string;
  /** A user of the system … */
  userId?: string | undefined;
  /** … or a named professional. */
  name?: string | undefined;
  role?: string | undefined;
  agencyId?: string | undefined;
  organisation?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

export async function addTafMember(ctx: ServiceContext, input: TafMemberInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  await requireOpenEpisode(trx, input.episodeId);
  if (!input.userId && !input.name)
    throw new BusinessRuleError('name', 'Enter the professional’s name, or choose a user');
  let name = input.name ?? null;
  let agencyId = input.agencyId ?? null;
  let memberEmail: string | null = null;
  if (input.userId) {
    const member = await trx
      .selectFrom('users')
      .select(['id', 'displayName', 'agencyId', 'status', 'jobTitle', 'email'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!member || member.status !== 'active') throw new BusinessRuleError('userId', 'Choose an active user');
    const already = await trx
      .selectFrom('earlyHelpTafMembers')
      .select('id')
      .where('episodeId', '=', input.episodeId)
      .where('userId', '=', member.id)
      .where('endedOn', 'is', null)
      .executeTakeFirst();
    if (already)
      throw new BusinessRuleError('userId', `${member.displayName} is already in the team around the family`);
    name ??= member.displayName;
    agencyId ??= member.agencyId;
    memberEmail = member.id === user.id ? null : member.email;
  }
  if (
    agencyId &&
    !(await trx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst())
  )
    throw new BusinessRuleError('agencyId', 'Choose an agency from the list');
  const row = await trx
    .insertInto('earlyHelpTafMembers')
    .values({
      episodeId: input.episodeId,
      userId: input.userId ?? null,
      name,
      role: input.role ?? null,
      agencyId,
      organisation: input.organisation ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      addedOn: isoDateOf(now),
      createdAt: now,
      createdBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agencyName = agencyId
    ? (await trx.selectFrom('agencies').select('name').where('id', '=', agencyId).executeTakeFirst())?.name
    : input.organisation;
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: `Joined the team around the family: ${name}${agencyName ? ` (${agencyName})` : ''}`,
      summary: input.role ?? null,
      category: 'early-help',
    }),
    audit: episodeAudit({
      action: 'early-help-taf-member.added',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-taf-member',
      subjectId: row.id,
      details: { userId: input.userId ?? null },
    }),
  });
  // A member who is a user of Threshold hears of it by email (once per membership; not when they added themselves).
  if (memberEmail)
    await queueEmail(trx, {
      eventKey: `early-help-team-member:${row.id}`,
      kind: 'early-help-team-member',
      to: memberEmail,
      ...teamMemberEmail({ addedBy: user.displayName, addedOn: isoDateOf(now) }),
      linkPath: ehPath(EH_PATHS.episode, input.episodeId),
      createdBy: user.id,
      now,
    });
  return row.id;
}

export async function endTafMember(
  ctx: ServiceContext,
  input: { episodeId: string; memberId: string },
): Promise<void> {
  const { db: trx, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  await requireOpenEpisode(trx, input.episodeId);
  const member = await trx
    .selectFrom('earlyHelpTafMembers')
    .selectAll()
    .where('id', '=', input.memberId)
    .where('episodeId', '=', input.episodeId)
    .executeTakeFirst();
  if (!member) throw new NotFoundError();
  if (member.endedOn)
    throw new BusinessRuleError('form', `${member.name} has already left the team around the family`);
  requireUpdated(
    await trx
      .updateTable('earlyHelpTafMembers')
      .set({ endedOn: isoDateOf(now) })
      .where('id', '=', member.id)

      .where('endedOn', 'is', null)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: `Left the team around the family: ${member.name}`,
      category: 'early-help',
    }),
    audit: episodeAudit({
      action: 'early-help-taf-member.removed',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-taf-member',
      subjectId: member.id,
    }),
  });
}

export async function recordConsent(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    consent: 'given' | 'withdrawn';
    recordedOn: string;
    notes?: string | undefined;
    /** The episode's version when the form was shown: a change saved since is not overwritten (409). */
    version: number;
  },
): Promise<void> {
  const { db: trx, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  if (input.recordedOn < episode.openedOn && input.consent === 'withdrawn')
    throw new BusinessRuleError('recordedOn', 'Consent cannot be withdrawn before early help started');
  requireUpdated(
    await trx
      .updateTable('earlyHelpEpisodes')
      .set({
        consentGiven: input.consent === 'given',
        consentRecordedOn: input.recordedOn,
        consentNotes: input.notes ?? null,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', episode.id)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title:
        input.consent === 'given'
          ? 'The family consented to early help'
          : 'The family withdrew their consent to early help',
      summary: input.notes ?? null,
      significant: input.consent === 'withdrawn',
      occurredOn: input.recordedOn,
    }),
    audit: episodeAudit({
      action: 'early-help-consent.recorded',
      episodeId: episode.id,
      childId: access.childIds[0],
      details: { consent: input.consent },
    }),
  });
}
