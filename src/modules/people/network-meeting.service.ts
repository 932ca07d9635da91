import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { compareIsoDates, formatDateGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { familyNetworkFor } from './family-network.service.ts';

/**
 * Family network meetings, at any stage (early help or social care): who was invited and who came (network members
 * and professionals), the family's own plan, and what each network member will do by when. A meeting belongs to one
 * of the child's open episodes, or to none. Recorded once; each action is marked done when it is.
 */

/** Where a meeting may belong: each module that holds episodes lists the child's open ones (src/modules/index.ts). */
export interface NetworkEpisodeSource {
  kind: 'early-help' | 'social-care';
  label: string;
  openEpisodes(
    db: Transaction<DB>,
    childId: string,
  ): Promise<{ id: string; reference: string; openedOn: string }[]>;
}

export interface OpenEpisodeChoice {
  value: string;
  kind: 'early-help' | 'social-care';
  id: string;
  reference: string;
  text: string;
}

/** The child's open episodes a meeting may belong to, from every source (or the list a test passes). */
export async function openEpisodesForMeeting(
  ctx: ServiceContext,
  childId: string,
  sources?: NetworkEpisodeSource[],
): Promise<OpenEpisodeChoice[]> {
  await requireAccess(ctx.db, ctx.user, 'read', [childId], ctx.now);
  const listed = sources ?? (await import('../index.ts')).familyNetworkEpisodeSources;
  const choices: OpenEpisodeChoice[] = [];
  for (const source of listed) {
    for (const e of await source.openEpisodes(ctx.db, childId)) {
      choices.push({
        value: `${source.kind}:${e.id}`,
        kind: source.kind,
        id: e.id,
        reference: e.reference,
        text: `${source.label} ${e.reference}, open since ${formatDateGovUk(e.openedOn)}`,
      });
    }
  }
  return choices;
}

export interface NetworkMeetingInput {
  childId: string;
  heldOn: string;
  facilitator: string;
  /** 'early-help:<id>', 'social-care:<id>' or 'none'. */
  episode: string;
  familyPlan: string;
  invitedMemberIds: string[];
  attendedMemberIds: string[];
  professionalsInvited: string[];
  professionalsAttended: string[];
  actions: { memberId: string; action: string; dueOn: string }[];
}

export async function recordNetworkMeeting(
  ctx: ServiceContext,
  input: NetworkMeetingInput,
  sources?: NetworkEpisodeSource[],
): Promise<string> {
  requirePermission(ctx.user, 'child:write');
  await requireAccess(ctx.db, ctx.user, 'write', [input.childId], ctx.now);
  const today = isoDateOf(ctx.now);
  if (compareIsoDates(input.heldOn, today) > 0)
    throw new BusinessRuleError('heldOn', 'The date of the meeting must be today or in the past');
  let episode: OpenEpisodeChoice | undefined;
  if (input.episode !== 'none') {
    episode = (await openEpisodesForMeeting(ctx, input.childId, sources)).find(
      (e) => e.value === input.episode,
    );
    if (!episode) throw new BusinessRuleError('episode', 'Select one of the child’s open episodes, or none');
  }
  const { members } = await familyNetworkFor(ctx, input.childId, { currentOnly: true, pageSize: 200 });
  const memberIds = new Set(members.map((m) => m.id));
  const names = new Map(members.map((m) => [m.id, m.name]));
  if (input.invitedMemberIds.some((id) => !memberIds.has(id)))
    throw new BusinessRuleError('invitedMemberIds', 'Select people from the child’s family network');
  const invited = new Set([...input.invitedMemberIds, ...input.attendedMemberIds]);
  if (input.attendedMemberIds.some((id) => !memberIds.has(id)))
    throw new BusinessRuleError('attendedMemberIds', 'Select people from the child’s family network');
  input.actions.forEach((a, i) => {
    if (!memberIds.has(a.memberId))
      throw new BusinessRuleError(`action${i + 1}Member`, 'Select who will do this from the family network');
    if (compareIsoDates(a.dueOn, input.heldOn) < 0)
      throw new BusinessRuleError(
        `action${i + 1}By`,
        'The date it will be done by must be on or after the meeting',
      );
  });
  const professionalsAttended = new Set(input.professionalsAttended);
  const professionals = [...new Set([...input.professionalsInvited, ...input.professionalsAttended])];

  const { id } = await ctx.db
    .insertInto('familyNetworkMeetings')
    .values({
      childId: input.childId,
      heldOn: input.heldOn,
      facilitator: input.facilitator,
      earlyHelpEpisodeId: episode?.kind === 'early-help' ? episode.id : null,
      cinEpisodeId: episode?.kind === 'social-care' ? episode.id : null,
      episodeReference: episode?.reference ?? null,
      familyPlan: input.familyPlan,
      recordedBy: ctx.user.id,
      recordedAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const participants = [
    ...[...invited].map((memberId) => ({
      meetingId: id,
      memberId,
      professionalName: null,
      attended: input.attendedMemberIds.includes(memberId),
    })),
    ...professionals.map((name) => ({
      meetingId: id,
      memberId: null,
      professionalName: name,
      attended: professionalsAttended.has(name),
    })),
  ];
  if (participants.length)
    await ctx.db.insertInto('familyNetworkMeetingParticipants').values(participants).execute();
  if (input.actions.length)
    await ctx.db
      .insertInto('familyNetworkMeetingActions')
      .values(
        input.actions.map((a) => ({ meetingId: id, memberId: a.memberId, action: a.action, dueOn: a.dueOn })),
      )
      .execute();
  const came = input.attendedMemberIds.map((m) => names.get(m)).filter(Boolean);
  await recordChange(ctx, {
    audit: {
      action: 'family-network-meeting.recorded',
      subjectType: 'family-network-meeting',
      subjectId: id,
      childId: input.childId,
      details: {
        heldOn: input.heldOn,
        episode: episode ? { kind: episode.kind, id: episode.id } : null,
        invited: invited.size + professionals.length,
        attended: input.attendedMemberIds.length + professionalsAttended.size,
        actions: input.actions.length,
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'meeting',
      title: 'Family network meeting',
      summary: [
        came.length ? `Family network who came: ${came.join(', ')}.` : 'No one from the family network came.',
        `The family’s plan: ${input.familyPlan}`,
      ].join(' '),
      significant: true,
      occurredAt: instantAt(input.heldOn, '12:00'),
      sourceType: 'family-network-meeting',
      sourceId: id,
    },
  });
  return id;
}

/** The child's network meetings, newest first, one page at a time. */
export async function listNetworkMeetings(
  ctx: ReadContext,
  childId: string,
  options: { page?: number; pageSize?: number } = {},
) {
  await requireAccess(ctx.db, ctx.user, 'read', [childId], ctx.now);
  const pageSize = options.pageSize ?? 20;
  const page = options.page ?? 1;
  const [rows, count] = await Promise.all([
    ctx.db
      .selectFrom('familyNetworkMeetings as g')
      .select([
        'g.id',
        'g.heldOn',
        'g.facilitator',
        'g.earlyHelpEpisodeId',
        'g.cinEpisodeId',
        'g.episodeReference',
        (eb) =>
          eb
            .selectFrom('familyNetworkMeetingParticipants as p')
            .select((e) => e.fn.countAll<string>().as('n'))
            .whereRef('p.meetingId', '=', 'g.id')
            .where('p.attended', '=', true)
            .as('attendedCount'),
        (eb) =>
          eb
            .selectFrom('familyNetworkMeetingActions as a')
            .select((e) => e.fn.countAll<string>().as('n'))
            .whereRef('a.meetingId', '=', 'g.id')
            .as('actionCount'),
      ])
      .where('g.childId', '=', childId)
      .orderBy('g.heldOn', 'desc')
      .orderBy('g.recordedAt', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    ctx.db
      .selectFrom('familyNetworkMeetings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    meetings: rows.map((r) => ({
      id: r.id,
      heldOn: r.heldOn,
      facilitator: r.facilitator,
      episode: episodeLabel(r),
      attendedCount: Number(r.attendedCount ?? 0),
      actionCount: Number(r.actionCount ?? 0),
    })),
    total: Number(count.n),
  };
}

function episodeLabel(r: {
  earlyHelpEpisodeId: string | null;
  cinEpisodeId: string | null;
  episodeReference: string | null;
}): string {
  if (r.earlyHelpEpisodeId) return `Early help ${r.episodeReference ?? ''}`.trim();
  if (r.cinEpisodeId) return `Social care ${r.episodeReference ?? ''}`.trim();
  return 'Not part of an episode';
}

/** One meeting of the child's, with who was invited, who came and the actions (404 unless it is this child's). */
export async function loadNetworkMeeting(ctx: ReadContext, input: { childId: string; meetingId: string }) {
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  const meeting = await ctx.db
    .selectFrom('familyNetworkMeetings as g')
    .leftJoin('users as u', 'u.id', 'g.recordedBy')
    .select([
      'g.id',
      'g.heldOn',
      'g.facilitator',
      'g.familyPlan',
      'g.earlyHelpEpisodeId',
      'g.cinEpisodeId',
      'g.episodeReference',
      'g.recordedAt',
      'g.version',
      'u.displayName as recordedByName',
    ])
    .where('g.id', '=', input.meetingId)
    .where('g.childId', '=', input.childId)
    .executeTakeFirst();
  if (!meeting) throw new NotFoundError();
  const { members } = await familyNetworkFor(ctx, input.childId, { pageSize: 200 });
  const names = new Map(members.map((m) => [m.id, { name: m.name, role: m.role }]));
  const [participants, actions] = await Promise.all([
    ctx.db
      .selectFrom('familyNetworkMeetingParticipants')
      .select(['id', 'memberId', 'professionalName', 'attended'])
      .where('meetingId', '=', meeting.id)
      .orderBy('professionalName', 'desc')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('familyNetworkMeetingActions')
      .select(['id', 'memberId', 'action', 'dueOn', 'completedOn'])
      .where('meetingId', '=', meeting.id)
      .orderBy('dueOn')
      .orderBy('id')
      .execute(),
  ]);
  const today = isoDateOf(ctx.now);
  const who = (p: { memberId: string | null; professionalName: string | null }) =>
    p.memberId ? (names.get(p.memberId)?.name ?? 'Not shown') : (p.professionalName ?? '');
  return {
    ...meeting,
    episode: episodeLabel(meeting),
    network: participants
      .filter((p) => p.memberId)
      .map((p) => ({
        participantId: p.id,
        name: who(p),
        role: names.get(p.memberId!)?.role ?? '',
        attended: p.attended,
      })),
    professionals: participants
      .filter((p) => !p.memberId)
      .map((p) => ({ name: who(p), attended: p.attended })),
    actions: actions.map((a) => ({
      id: a.id,
      who: names.get(a.memberId)?.name ?? 'Not shown',
      action: a.action,
      dueOn: a.dueOn,
      completedOn: a.completedOn,
      overdue: !a.completedOn && compareIsoDates(a.dueOn, today) < 0,
    })),
  };
}

/** Marks one of the meeting's actions done (only while it is still open: a second click changes nothing). */
export async function completeNetworkAction(
  ctx: ServiceContext,
  input: { childId: string; meetingId: string; actionId: string; completedOn: string },
): Promise<void> {
  requirePermission(ctx.user, 'child:write');
  await requireAccess(ctx.db, ctx.user, 'write', [input.childId], ctx.now);
  const action = await ctx.db
    .selectFrom('familyNetworkMeetingActions as a')
    .innerJoin('familyNetworkMeetings as g', 'g.id', 'a.meetingId')
    .select(['a.id', 'a.action', 'a.completedOn', 'g.heldOn'])
    .where('a.id', '=', input.actionId)
    .where('g.id', '=', input.meetingId)
    .where('g.childId', '=', input.childId)
    .executeTakeFirst();
  if (!action) throw new NotFoundError();
  if (action.completedOn)
    throw new BusinessRuleError(
      'completedOn',
      `This was marked done on ${formatDateGovUk(action.completedOn)}`,
    );
  if (
    compareIsoDates(input.completedOn, action.heldOn) < 0 ||
    compareIsoDates(input.completedOn, isoDateOf(ctx.now)) > 0
  )
    throw new BusinessRuleError('completedOn', 'The date it was done must be between the meeting and today');
  const result = await ctx.db
    .updateTable('familyNetworkMeetingActions')
    .set({ completedOn: input.completedOn })
    .where('id', '=', action.id)
    .where('completedOn', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) < 1)
    throw new BusinessRuleError('completedOn', 'Someone else marked this done a moment ago');
  await recordChange(ctx, {
    audit: {
      action: 'family-network-action.completed',
      subjectType: 'family-network-meeting',
      subjectId: input.meetingId,
      childId: input.childId,
      details: { actionId: action.id, completedOn: input.completedOn },
    },
    chronology: {
      childIds: [input.childId],
      category: 'record',
      title: 'Family network: an action from the network meeting was done',
      summary: action.action,
      occurredAt: instantAt(input.completedOn, '12:00'),
      sourceType: 'family-network-meeting',
      sourceId: input.meetingId,
    },
  });
}

export interface NetworkMeetingCorrection {
  childId: string;
  meetingId: string;
  version: number;
  heldOn: string;
  facilitator: string;
  familyPlan: string;
  /** The invited network members (participant ids) who came; the others did not. */
  attendedParticipantIds: string[];
}

/**
 * Corrects a network meeting after it was saved: its date, facilitator, the family's plan and which of the invited
 * network members came. Checked against the version the form was read at (a stale form is a 409), audited with what
 * it was before and after.
 */
export async function changeNetworkMeeting(
  ctx: ServiceContext,
  input: NetworkMeetingCorrection,
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'child:write');
  await requireAccess(ctx.db, ctx.user, 'write', [input.childId], ctx.now);
  const current = await loadNetworkMeeting(ctx, input);
  if (current.version !== input.version) throw new ConflictError();
  if (compareIsoDates(input.heldOn, isoDateOf(ctx.now)) > 0)
    throw new BusinessRuleError('heldOn', 'The date of the meeting must be today or in the past');
  const firstDue = current.actions.map((a) => a.dueOn).sort()[0];
  if (firstDue && compareIsoDates(input.heldOn, firstDue) > 0)
    throw new BusinessRuleError(
      'heldOn',
      `The meeting must be on or before the date its first action is due (${formatDateGovUk(firstDue)})`,
    );
  const participants = new Set(current.network.map((p) => p.participantId));
  if (input.attendedParticipantIds.some((id) => !participants.has(id)))
    throw new BusinessRuleError('attendedParticipantIds', 'Select people who were invited to the meeting');
  const came = new Set(input.attendedParticipantIds);
  const attendance = (list: { name: string; attended: boolean }[]) =>
    list
      .filter((p) => p.attended)
      .map((p) => p.name)
      .join(', ');
  const before = {
    heldOn: current.heldOn,
    facilitator: current.facilitator,
    familyPlan: current.familyPlan,
    attended: attendance(current.network),
  };
  const after = {
    heldOn: input.heldOn,
    facilitator: input.facilitator,
    familyPlan: input.familyPlan,
    attended: attendance(current.network.map((p) => ({ ...p, attended: came.has(p.participantId) }))),
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]);
  if (!changed.length) return { changed };
  requireUpdated(
    await ctx.db
      .updateTable('familyNetworkMeetings')
      .set({
        heldOn: input.heldOn,
        facilitator: input.facilitator,
        familyPlan: input.familyPlan,
        updatedAt: ctx.now,
        version: sql`version + 1`,
      })
      .where('id', '=', current.id)
      .where('childId', '=', input.childId)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  for (const p of current.network)
    if (p.attended !== came.has(p.participantId))
      await ctx.db
        .updateTable('familyNetworkMeetingParticipants')
        .set({ attended: came.has(p.participantId) })
        .where('id', '=', p.participantId)
        .where('meetingId', '=', current.id)
        .execute();
  await recordChange(ctx, {
    audit: {
      action: 'family-network-meeting.changed',
      subjectType: 'family-network-meeting',
      subjectId: current.id,
      childId: input.childId,
      details: {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'meeting',
      title: 'Family network meeting corrected',
      summary: `The family’s plan: ${input.familyPlan}`,
      occurredAt: instantAt(input.heldOn, '12:00'),
      sourceType: 'family-network-meeting',
      sourceId: current.id,
    },
  });
  return { changed };
}
