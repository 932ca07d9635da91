import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { holdsRoleIn, requireAccess, visibleTo } from '../../kernel/access/index.ts';
import type { CaseEventCategory } from '../../kernel/case-events/index.ts';
import { codeLabel, PRIMARY_NEED_CODES, REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { queueEmail } from '../../kernel/mail/index.ts';
import { formatDateGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import {
  collectionYearStart,
  rule4000,
  rule8569Q,
  rule8610,
  rule8650,
  rule8831,
  rule8832,
  rule8866,
} from './census-rules.ts';
import {
  episodeRow,
  episodesWithAllocation,
  loadEpisodeSnapshot,
  type EpisodeRow,
  type EpisodeSnapshot,
} from './episode.repository.ts';
import { openCinReferral } from './referral.service.ts';
import {
  recordChange,
  requirePermission,
  type AuditPart,
  type ChronologyPart,
  type ServiceContext,
  type ReadContext,
  requireUpdated,
  rowsAndTotal,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * The CIN episode: access to it, its allocation (history kept: the old row ends, a new one starts), the referral
 * details the census needs (source, primary need, NFA flag), and a transfer in from another authority. The
 * front door opens episodes with openCinReferral (referral.service.ts).
 */

/** The episode, after checking the user may read (or write) the child's record; 404 otherwise. */
export async function requireEpisode(
  ctx: ReadContext,
  episodeId: string,
  level: 'read' | 'write',
): Promise<EpisodeRow> {
  const { db: trx, user, now } = ctx;
  const row = await episodeRow(trx, episodeId);
  if (!row) throw new NotFoundError();
  await requireAccess(trx, user, level, [row.childId], now);
  return row;
}

export async function requireSnapshot(
  ctx: ReadContext,
  episodeId: string,
  level: 'read' | 'write',
): Promise<EpisodeSnapshot> {
  const { db: trx } = ctx;
  return loadEpisodeSnapshot(trx, await requireEpisode(ctx, episodeId, level));
}

/** Work can only be recorded on an open episode (census rule 8565: nothing happens after the closure). */
export function assertOpen(episode: EpisodeRow, field = 'form'): void {
  if (episode.closureDate && !episode.referralNfa) {
    throw new BusinessRuleError(
      field,
      `This episode closed on ${episode.closureDate}: nothing more can be recorded on it (rule 8565)`,
    );
  }
}

export function checkVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) throw new ConflictError();
}

export const childName = (e: { givenName: string; familyName: string; knownAs?: string | null }) =>
  `${e.knownAs || e.givenName} ${e.familyName}`;

/**
 * The audit part of recordChange for a change to one of the episode's records (the child's subject id and details
 * as given).
 */
export function auditPart(
  action: string,
  subject: { type: string; id: string; childId: string; details?: Record<string, unknown> },
): AuditPart {
  return {
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    childId: subject.childId,
    details: (subject.details ?? {}) as Record<string, string | number | boolean | null>,
  };
}

/**
 * The chronology part of recordChange for something that happened on a date: one entry for the child, at midday on
 * that date, its summary cut to 500 characters.
 */
export function chronologyPart(input: {
  childId: string;
  on: string;
  category: CaseEventCategory;
  title: string;
  summary?: string | null;
  significant?: boolean;
  sourceType: string;
  sourceId: string;
}): ChronologyPart {
  return {
    childIds: [input.childId],
    occurredAt: instantAt(input.on, '12:00'),
    category: input.category,
    title: input.title,
    summary: input.summary
      ? input.summary.length > 500
        ? `${input.summary.slice(0, 497)}…`
        : input.summary
      : null,
    significant: input.significant ?? false,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
  };
}

/** What a change notes on the child's chronology: the date it happened, its category, title and summary. */
export type ChronologyEntry = Omit<
  Parameters<typeof chronologyPart>[0],
  'childId' | 'sourceType' | 'sourceId'
>;

/**
 * Audits a change to one of the episode's records (`subject`) with its details and notes it on the child's chronology,
 * the entry's source being the record audited: recordChange with auditPart and chronologyPart for one subject.
 */
export async function recordEpisodeChange(
  ctx: ServiceContext,
  subject: { type: string; id: string; childId: string },
  change: { action: string; details: Record<string, unknown> } & ChronologyEntry,
): Promise<void> {
  const { action, details, ...entry } = change;
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: subject.childId,
      ...entry,
      sourceType: subject.type,
      sourceId: subject.id,
    }),
    audit: auditPart(action, { ...subject, details }),
  });
}

// Lists ----------------------------------------------------------------------------------------------------------

export type EpisodeListFilter = 'mine' | 'team' | 'all';

export async function listEpisodes(
  ctx: ReadContext,
  options: { filter: EpisodeListFilter; status: 'open' | 'closed'; limit: number; offset: number },
) {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:read');
  let q = episodesWithAllocation(trx)
    .leftJoin('teams as t', 't.id', 'a.teamId')
    .leftJoin('users as u', 'u.id', 'a.workerId')
    .where(visibleTo(user, now, 'p.id'))
    .where('e.referralNfa', '=', false);
  q =
    options.status === 'open'
      ? q.where('e.closureDate', 'is', null)
      : q.where('e.closureDate', 'is not', null);
  if (options.filter === 'mine') q = q.where('a.workerId', '=', user.id);
  if (options.filter === 'team') {
    const teams = [...new Set([...(user.teamId ? [user.teamId] : []), ...user.managedTeamIds])];
    q = teams.length ? q.where('a.teamId', 'in', teams) : q.where(sql<boolean>`false`);
  }
  const { rows, total } = await rowsAndTotal(
    q,
    (q) =>
      q
        .select([
          'e.id',
          'e.reference',
          'e.referralDate',
          'e.closureDate',
          'e.closureReason',
          'e.childId',
          'p.givenName',
          'p.familyName',
          'p.knownAs',
          't.name as teamName',
          'u.displayName as workerName',
        ])
        .orderBy('e.referralDate', 'desc')
        .orderBy('e.reference', 'desc'),
    { limit: options.limit, offset: options.offset },
  );
  return { rows, total };
}

export async function episodesForChild(
  ctx: ReadContext,
  childId: string,
  page: { limit: number; offset: number },
) {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:read');
  await requireAccess(trx, user, 'read', [childId], now);
  const q = trx
    .selectFrom('cinEpisodes as e')
    .leftJoin('teams as t', 't.id', 'e.teamId')
    .where('e.childId', '=', childId);
  const { rows, total } = await rowsAndTotal(
    q,
    (q) =>
      q
        .select([
          'e.id',
          'e.reference',
          'e.referralDate',
          'e.referralSource',
          'e.referralNfa',
          'e.closureDate',
          'e.closureReason',
          'e.transferredInFrom',
          't.name as teamName',
        ])
        .orderBy('e.referralDate', 'desc'),
    { limit: page.limit, offset: page.offset },
  );
  return { rows, total };
}

// Allocation -----------------------------------------------------------------------------------------------------

/** Teams of the episode's authority, and the workers in them who can hold social care work. */
export async function allocationOptions(trx: Trx, localAuthorityId: string) {
  const [teams, workers] = await Promise.all([
    trx
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('localAuthorityId', '=', localAuthorityId)
      .orderBy('name')
      .execute(),
    trx
      .selectFrom('users as u')
      .innerJoin('teams as t', 't.id', 'u.teamId')
      .select(['u.id', 'u.displayName', 'u.jobTitle', 't.name as teamName', 'u.teamId', 'u.email'])
      .where('t.localAuthorityId', '=', localAuthorityId)
      .where('u.status', '=', 'active')
      .where(holdsRoleIn(['social-worker', 'team-manager']))
      .orderBy('u.displayName')
      .execute(),
  ]);
  return { teams, workers };
}

export async function allocateEpisode(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    teamId: string;
    workerId: string;
    startedOn: string;
    reason?: string | undefined;
    /** The episode's version the allocation form was shown with (the page requires it); else the current one. */
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'allocation:manage');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  if (episode.closureDate)
    throw new BusinessRuleError('workerId', 'This episode is closed: it cannot be allocated');
  if (input.startedOn < episode.referralDate)
    throw new BusinessRuleError('startedOn', 'The allocation cannot start before the referral date');
  const team = await trx
    .selectFrom('teams')
    .select(['id', 'name', 'localAuthorityId'])
    .where('id', '=', input.teamId)
    .executeTakeFirst();
  if (!team || team.localAuthorityId !== episode.localAuthorityId)
    throw new BusinessRuleError('teamId', 'Choose a team of this authority');
  const { workers } = await allocationOptions(trx, episode.localAuthorityId);
  const worker = workers.find((w) => w.id === input.workerId);
  if (!worker)
    throw new BusinessRuleError('workerId', 'Choose a social worker or team manager of this authority');
  const current = await trx
    .selectFrom('allocations')
    .select(['id', 'startedOn', 'workerId', 'teamId'])
    .where('involvementType', '=', 'cin-episode')
    .where('involvementId', '=', episode.id)
    .where('endedOn', 'is', null)
    .execute();
  if (current.some((c) => c.workerId === input.workerId && c.teamId === input.teamId)) {
    throw new BusinessRuleError('workerId', `${worker.displayName} already holds this episode`);
  }
  if (current.some((c) => c.startedOn > input.startedOn))
    throw new BusinessRuleError('startedOn', 'The new allocation cannot start before the current one did');
  if (current.length) {
    await trx
      .updateTable('allocations')
      .set({ endedOn: input.startedOn })
      .where(
        'id',
        'in',
        current.map((c) => c.id),
      )
      .execute();
  }
  const row = await trx
    .insertInto('allocations')
    .values({
      childId: episode.childId,
      workerId: input.workerId,
      teamId: input.teamId,
      role: 'allocated-worker',
      involvementType: 'cin-episode',
      involvementId: episode.id,
      startedOn: input.startedOn,
      createdAt: now,
      createdBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  requireUpdated(
    await trx
      .updateTable('cinEpisodes')
      .set({ teamId: input.teamId, updatedAt: now, version: sql`version + 1` })
      .where('id', '=', episode.id)
      .where('version', '=', input.version ?? episode.version)
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: episode.childId,
      on: input.startedOn,
      category: 'allocation',
      title: `Allocated to ${worker.displayName}, ${team.name}`,
      summary: input.reason ?? null,
      sourceType: 'allocation',
      sourceId: row.id,
    }),
    audit: auditPart('cin-episode.allocated', {
      type: 'cin-episode',
      id: episode.id,
      childId: episode.childId,
      details: { workerId: input.workerId, teamId: input.teamId, ended: current.length },
    }),
  });
  if (input.workerId !== user.id)
    await queueEmail(trx, {
      eventKey: `allocation:${row.id}`,
      kind: 'allocation',
      to: worker.email,
      ...allocationEmail({ allocatedBy: user.displayName, teamName: team.name, startedOn: input.startedOn }),
      // The episode's page (PATHS.episode in pages-common.ts, which imports this file).
      linkPath: `/social-care/episodes/${episode.id}`,
      createdBy: user.id,
      now,
    });
}

/** The worker's notice of a new allocation: who allocated it, in which team, from when; nothing about the child. */
export function allocationEmail(facts: { allocatedBy: string; teamName: string; startedOn: string }) {
  return {
    subject: 'Threshold: a child in need episode has been allocated to you',
    text: [
      'Hello,',
      '',
      `${facts.allocatedBy} has allocated a child in need episode to you in ${facts.teamName}, from ${formatDateGovUk(facts.startedOn)}.`,
      '',
      'To keep the family’s information safe, this email does not say who it is about. Sign in to Threshold to see it:',
    ].join('\n'),
  };
}

// Referral details -----------------------------------------------------------------------------------------------

export async function updateReferralDetails(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    referralSource: string;
    primaryNeedCode: string | null;
    referralNfa: boolean;
    version?: number | undefined;
    queryExplanation?: string | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  checkVersion(episode.version, input.version);
  assertOpen(episode, 'referralNfa');
  if (episode.referralNfa)
    throw new BusinessRuleError(
      'referralNfa',
      'This referral closed with no further action: open a new referral instead of changing it',
    );
  const s = await loadEpisodeSnapshot(trx, episode);
  const hasActivity = s.assessments.length > 0 || s.enquiries.length > 0 || s.conferences.length > 0;
  const queries = enforce(
    [
      rule8866(input.referralSource),
      rule8650(input.primaryNeedCode),
      rule8610(input.referralNfa, input.primaryNeedCode),
      // The DfE counts the working day before 1 April on the national calendar, not the authority's.
      input.referralNfa
        ? rule8569Q(
            episode.referralDate,
            true,
            englandAndWalesCalendar.previousWorkingDay(collectionYearStart(isoDateOf(now))),
          )
        : null,
      input.referralNfa && hasActivity
        ? rule8831(true, 'assessment, enquiry or conference', 'referralNfa')
        : null,
      input.referralNfa && s.childCpPlans.some((p) => p.episodeId === episode.id)
        ? rule8832(true, 'referralNfa')
        : null,
      input.referralNfa && s.childCinPlans.some((p) => p.episodeId === episode.id)
        ? rule4000(true, 'referralNfa')
        : null,
    ],
    input.queryExplanation,
  );
  const nfaNow = input.referralNfa && !episode.referralNfa;
  requireUpdated(
    await trx
      .updateTable('cinEpisodes')
      .set({
        referralSource: input.referralSource,
        primaryNeedCode: input.primaryNeedCode,
        referralNfa: input.referralNfa,
        // A referral with no further action closes on the day it was made, as the front door records it.
        ...(nfaNow
          ? { closureDate: episode.referralDate, closureReason: 'RC8', closedAt: now, closedBy: user.id }
          : {}),
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', episode.id)

      .where('version', '=', input.version ?? episode.version)
      .executeTakeFirst(),
  );
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-episode', subjectId: episode.id },
    queries,
    input.queryExplanation,
  );
  if (nfaNow) {
    await endEpisodeAllocations(trx, episode.id, episode.referralDate);
    await recordChange(ctx, {
      chronology: chronologyPart({
        childId: episode.childId,
        on: episode.referralDate,
        category: 'referral',
        title: `Referral ${episode.reference}: no further action`,
        significant: true,
        sourceType: 'cin-episode',
        sourceId: episode.id,
      }),
    });
  }
  await recordChange(ctx, {
    audit: auditPart('cin-episode.updated', {
      type: 'cin-episode',
      id: episode.id,
      childId: episode.childId,
      details: {
        referralSource: input.referralSource,
        primaryNeedCode: input.primaryNeedCode,
        referralNfa: input.referralNfa,
      },
    }),
  });
}

// Transfer in ----------------------------------------------------------------------------------------------------

export interface TransferInInput {
  childId: string;
  referralDate: string;
  fromAuthority: string;
  fromLaCode: string;
  referralSource: string;
  primaryNeedCode: string | null;
  teamId: string;
  notes?: string | undefined;
  confirmCensusQueries?: boolean | undefined;
  queryExplanation?: string | undefined;
}

/**
 * A child moving in from another authority: a new CIN episode (the referral date is the date our authority
 * accepted the case) with the sending authority recorded. A child protection plan carried over needs a transfer-in
 * conference, recorded on the episode (census CINdetails DateOfInitialCPC, rule 2884).
 */
export async function transferIn(
  ctx: ServiceContext,
  input: TransferInInput,
): Promise<{ id: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  await requireAccess(trx, user, 'write', [input.childId], now);
  const child = await trx
    .selectFrom('people')
    .select(['kind', 'localAuthorityId'])
    .where('id', '=', input.childId)
    .executeTakeFirstOrThrow();
  if (child.kind !== 'child')
    throw new BusinessRuleError('referralDate', 'A transfer in to children’s social care is for a child');
  const ownCode = await trx
    .selectFrom('localAuthorities')
    .select('laCode')
    .where('id', '=', child.localAuthorityId)
    .executeTakeFirstOrThrow();
  // The referral's own census rules (and the child's details) are checked by openCinReferral; its queries are
  // confirmed with the same box and recorded there.
  enforce([
    input.fromLaCode === ownCode.laCode
      ? practiceError('fromLaCode', 'A transfer in comes from another authority: this is our own code')
      : null,
  ]);
  const opened = await openCinReferral(ctx, {
    childId: input.childId,
    referralDate: input.referralDate,
    referralSource: input.referralSource,
    teamId: input.teamId,
    primaryNeedCode: input.primaryNeedCode,
    transferredInFrom: input.fromAuthority,
    confirmCensusQueries: input.confirmCensusQueries,
    queryExplanation: input.queryExplanation,
  });
  await trx
    .updateTable('cinEpisodes')
    .set({ transferredInLaCode: input.fromLaCode })
    .where('id', '=', opened.id)
    .execute();
  if (input.notes) {
    await recordChange(ctx, {
      chronology: chronologyPart({
        childId: input.childId,
        on: input.referralDate,
        category: 'referral',
        title: `Transfer in from ${input.fromAuthority}`,
        summary: input.notes,
        significant: true,
        sourceType: 'cin-episode',
        sourceId: opened.id,
      }),
    });
  }
  await recordChange(ctx, {
    audit: auditPart('cin-episode.transferred-in', {
      type: 'cin-episode',
      id: opened.id,
      childId: input.childId,
      details: { from: input.fromAuthority, laCode: input.fromLaCode },
    }),
  });
  return opened;
}

export const referralSourceLabel = (code: string) => codeLabel(REFERRAL_SOURCES, code);
export const primaryNeedLabel = (code: string | null) =>
  code ? `${code}: ${codeLabel(PRIMARY_NEED_CODES, code)}` : 'Not recorded yet';

/** Ends the episode's current allocations on `endedOn` (when it closes, or on a referral with no further action). */
export async function endEpisodeAllocations(
  trx: Transaction<DB>,
  episodeId: string,
  endedOn: string,
): Promise<void> {
  await trx
    .updateTable('allocations')
    .set({ endedOn })
    .where('involvementType', '=', 'cin-episode')
    .where('involvementId', '=', episodeId)
    .where('endedOn', 'is', null)
    .execute();
}
