import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { decideRecordAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { childName, RAG_LABELS, type Rag } from './contact.ts';

import { loadWarningsFor } from '../people/index.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * The daily MASH meeting. Its agenda is built from the open MASH enquiries of the authority (one item per
 * child; red first, then amber, then green, each soonest information deadline first). The meeting records who
 * attended for which agency, the discussion of each child and the actions agreed (who, by when); the minutes
 * are a printable page (printing is recorded in the audit trail).
 */

const RAG_ORDER = sql<number>`case c.rag when 'red' then 0 when 'amber' then 1 when 'green' then 2 else 3 end`;

async function openEnquiryChildren(trx: Trx, localAuthorityId: string) {
  return trx
    .selectFrom('contacts as c')
    .innerJoin('contactChildren as cc', 'cc.contactId', 'c.id')
    .select([
      'c.id as contactId',
      'cc.id as contactChildId',
      'c.rag',
      'c.informationDueAt',
      'c.reference',
      'cc.position',
    ])
    .where('c.localAuthorityId', '=', localAuthorityId)
    .where('c.status', '=', 'mash-enquiry')
    .orderBy(RAG_ORDER)
    .orderBy('c.informationDueAt')
    .orderBy('c.reference')
    .orderBy('cc.position')
    .limit(200)
    .execute();
}

export async function createMeeting(
  ctx: ServiceContext,
  input: { localAuthorityId: string; meetingDate: string; chairId?: string | undefined },
): Promise<{ id: string; items: number }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'mash-meeting:manage');
  if (!user.localAuthorityIds.includes(input.localAuthorityId))
    throw new BusinessRuleError('localAuthorityId', 'Select a local authority you work for');
  if (input.chairId) {
    const chair = await trx
      .selectFrom('users')
      .select(['id', 'status'])
      .where('id', '=', input.chairId)
      .executeTakeFirst();
    if (!chair || chair.status !== 'active')
      throw new BusinessRuleError('chairId', 'Choose an active member of staff to chair the meeting');
  }
  const meeting = await trx
    .insertInto('mashMeetings')
    .values({
      localAuthorityId: input.localAuthorityId,
      meetingDate: input.meetingDate,
      chairId: input.chairId ?? user.id,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const items = await addOpenEnquiries(trx, meeting.id, input.localAuthorityId);
  await recordChange(ctx, {
    audit: {
      action: 'mash-meeting.created',
      subjectType: 'mash-meeting',
      subjectId: meeting.id,
      details: { meetingDate: input.meetingDate, items },
    },
  });
  return { id: meeting.id, items };
}

/** Adds every open enquiry's children not yet on the agenda, after the items already there. */
async function addOpenEnquiries(trx: Trx, meetingId: string, localAuthorityId: string): Promise<number> {
  const open = await openEnquiryChildren(trx, localAuthorityId);
  const present = new Set(
    (
      await trx
        .selectFrom('mashMeetingItems')
        .select('contactChildId')
        .where('meetingId', '=', meetingId)
        .execute()
    ).map((r) => r.contactChildId),
  );
  const last = await trx
    .selectFrom('mashMeetingItems')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('meetingId', '=', meetingId)
    .executeTakeFirst();
  let position = Number(last?.p ?? 0);
  const rows = open
    .filter((o) => !present.has(o.contactChildId))
    .map((o) => ({
      meetingId,
      contactId: o.contactId,
      contactChildId: o.contactChildId,
      position: ++position,
      rag: o.rag,
    }));
  if (rows.length) await trx.insertInto('mashMeetingItems').values(rows).execute();
  return rows.length;
}

export async function refreshAgenda(ctx: ServiceContext, input: { meetingId: string }): Promise<number> {
  const meeting = await requireMeeting(ctx, input.meetingId);
  const added = await addOpenEnquiries(ctx.db, meeting.id, meeting.localAuthorityId);
  await recordChange(ctx, {
    audit: {
      action: 'mash-meeting.agenda-refreshed',
      subjectType: 'mash-meeting',
      subjectId: meeting.id,
      details: { added },
    },
  });
  return added;
}

async function requireMeeting(ctx: ReadContext, meetingId: string) {
  const { db, user } = ctx;
  requirePermission(user, 'mash-meeting:manage');
  const meeting = await db
    .selectFrom('mashMeetings')
    .selectAll()
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting || !user.localAuthorityIds.includes(meeting.localAuthorityId)) throw new NotFoundError();
  return meeting;
}

export async function listMeetings(ctx: ReadContext, page: { limit: number; offset: number }) {
  const { db: trx, user } = ctx;
  requirePermission(user, 'mash-meeting:manage');
  if (!user.localAuthorityIds.length) return { rows: [], total: 0 };
  const base = trx.selectFrom('mashMeetings as m').where('m.localAuthorityId', 'in', user.localAuthorityIds);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .innerJoin('localAuthorities as la', 'la.id', 'm.localAuthorityId')
    .leftJoin('users as u', 'u.id', 'm.chairId')
    .select([
      'm.id',
      'm.meetingDate',
      'la.name as localAuthorityName',
      'u.displayName as chairName',
      (eb) =>
        eb
          .selectFrom('mashMeetingItems as i')
          .whereRef('i.meetingId', '=', 'm.id')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('items'),
      (eb) =>
        eb
          .selectFrom('mashMeetingItems as i')
          .whereRef('i.meetingId', '=', 'm.id')
          .where('i.discussion', 'is not', null)
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('discussed'),
    ])
    .orderBy('m.meetingDate', 'desc')
    .orderBy('m.createdAt', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total,
    rows: rows.map((r) => ({ ...r, items: Number(r.items ?? 0), discussed: Number(r.discussed ?? 0) })),
  };
}

/** The meeting with its agenda, attendees and actions. Children whose records the user may not read are masked. */
export async function loadMeeting(ctx: ReadContext, meetingId: string) {
  const { db: trx, user, now } = ctx;
  const meeting = await requireMeeting(ctx, meetingId);
  const [la, chair] = await Promise.all([
    trx
      .selectFrom('localAuthorities')
      .select('name')
      .where('id', '=', meeting.localAuthorityId)
      .executeTakeFirstOrThrow(),
    meeting.chairId
      ? trx.selectFrom('users').select('displayName').where('id', '=', meeting.chairId).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  const attendees = await trx
    .selectFrom('mashMeetingAttendees as a')
    .leftJoin('agencies as ag', 'ag.id', 'a.agencyId')
    .select(['a.id', 'a.name', 'a.role', 'ag.name as agencyName'])
    .where('a.meetingId', '=', meeting.id)
    .orderBy('a.createdAt')
    .execute();
  const items = await trx
    .selectFrom('mashMeetingItems as i')
    .innerJoin('contacts as c', 'c.id', 'i.contactId')
    .innerJoin('contactChildren as cc', 'cc.id', 'i.contactChildId')
    .leftJoin('people as p', 'p.id', 'cc.personId')
    .leftJoin('users as u', 'u.id', 'i.recordedBy')
    .select([
      'i.id',
      'i.position',
      'i.rag',
      'i.discussion',
      'i.recordedAt',
      'i.version',
      'u.displayName as recordedByName',
      'c.id as contactId',
      'c.reference',
      'c.status as contactStatus',
      'c.informationDueAt',
      'cc.personId',
      'cc.givenName',
      'cc.familyName',
      'cc.dateOfBirth',
      'p.givenName as personGivenName',
      'p.familyName as personFamilyName',
      'p.dateOfBirth as personDateOfBirth',
    ])
    .where('i.meetingId', '=', meeting.id)
    .orderBy('i.position')
    .execute();
  const linked = items.map((i) => i.personId).filter((id): id is string => !!id);
  const access = linked.length ? await decideRecordAccess(trx, user, linked, now) : new Map();
  const warnings = await loadWarningsFor(
    trx,
    linked.filter((id) => access.get(id)?.read !== false),
    now,
  );
  const actions = items.length
    ? await trx
        .selectFrom('mashMeetingActions as a')
        .leftJoin('agencies as ag', 'ag.id', 'a.ownerAgencyId')
        .select(['a.id', 'a.itemId', 'a.description', 'a.owner', 'a.dueOn', 'ag.name as ownerAgencyName'])
        .where(
          'a.itemId',
          'in',
          items.map((i) => i.id),
        )
        .orderBy('a.createdAt')
        .execute()
    : [];
  return {
    meeting: {
      ...meeting,
      localAuthorityName: la.name,
      chairName: chair?.displayName ?? null,
      dateText: formatDateGovUk(meeting.meetingDate),
    },
    attendees: attendees.map((a) => ({ ...a, agencyName: a.agencyName ?? 'Children’s services' })),
    items: items.map((i) => {
      const hidden = !!i.personId && access.get(i.personId)?.read === false;
      return {
        ...i,
        hidden,
        childName: hidden
          ? 'Restricted record'
          : childName({
              givenName: i.personGivenName ?? i.givenName,
              familyName: i.personFamilyName ?? i.familyName,
            }),
        dateOfBirth: hidden ? null : (i.personDateOfBirth ?? i.dateOfBirth),
        ragLabel: i.rag ? RAG_LABELS[i.rag as Rag] : null,
        warnings: !hidden && i.personId ? (warnings.get(i.personId) ?? []) : [],
        actions: actions.filter((a) => a.itemId === i.id),
      };
    }),
  };
}

export async function addAttendee(
  ctx: ServiceContext,
  input: { meetingId: string; name: string; agencyId: string | null; role?: string | undefined },
): Promise<void> {
  const { db: trx, now } = ctx;
  const meeting = await requireMeeting(ctx, input.meetingId);
  if (input.agencyId) {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', input.agencyId)
      .executeTakeFirst();
    if (!agency) throw new BusinessRuleError('agencyId', 'Select an agency from the list');
  }
  await trx
    .insertInto('mashMeetingAttendees')
    .values({
      meetingId: meeting.id,
      name: input.name,
      agencyId: input.agencyId,
      role: input.role ?? null,
      createdAt: now,
    })
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'mash-meeting.attendee-added',
      subjectType: 'mash-meeting',
      subjectId: meeting.id,
      details: { name: input.name, agencyId: input.agencyId },
    },
  });
}

export interface ActionInput {
  description: string;
  owner: string;
  ownerAgencyId: string | null;
  dueOn: string;
}

/** The discussion of one child, and the actions agreed. Actions are added; the discussion is replaced. */
export async function recordItem(
  ctx: ServiceContext,
  input: {
    meetingId: string;
    itemId: string;
    discussion: string;
    actions: ActionInput[];
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const meeting = await requireMeeting(ctx, input.meetingId);
  const item = await trx
    .selectFrom('mashMeetingItems as i')
    .innerJoin('contactChildren as cc', 'cc.id', 'i.contactChildId')
    .innerJoin('contacts as c', 'c.id', 'i.contactId')
    .select(['i.id', 'cc.personId', 'c.reference', 'c.id as contactId'])
    .where('i.id', '=', input.itemId)
    .where('i.meetingId', '=', meeting.id)
    .executeTakeFirst();
  if (!item) throw new NotFoundError();
  if (item.personId) {
    const access = await decideRecordAccess(trx, user, [item.personId], now);
    if (access.get(item.personId)?.read === false) throw new NotFoundError();
  }
  for (const a of input.actions) {
    if (a.ownerAgencyId) {
      const agency = await trx
        .selectFrom('agencies')
        .select('id')
        .where('id', '=', a.ownerAgencyId)
        .executeTakeFirst();
      if (!agency) throw new BusinessRuleError('action1OwnerAgencyId', 'Select an agency from the list');
    }
  }
  let q = trx
    .updateTable('mashMeetingItems')
    .set({
      discussion: input.discussion,
      recordedAt: now,
      recordedBy: user.id,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', item.id);
  if (input.version !== undefined) q = q.where('version', '=', input.version);
  const updated = await q.returning('id').executeTakeFirst();
  if (!updated)
    throw new ConflictError(
      'Someone else recorded this discussion while you were typing. Check what they wrote, then add yours.',
    );
  if (input.actions.length) {
    await trx
      .insertInto('mashMeetingActions')
      .values(
        input.actions.map((a) => ({
          itemId: item.id,
          description: a.description,
          owner: a.owner,
          ownerAgencyId: a.ownerAgencyId,
          dueOn: a.dueOn,
          createdAt: now,
          createdBy: user.id,
        })),
      )
      .execute();
  }
  await recordChange(ctx, {
    chronology: {
      childIds: item.personId ? [item.personId] : [],
      category: 'meeting',
      title: `Discussed at the MASH meeting on ${formatDateGovUk(meeting.meetingDate)} (${item.reference})`,
      summary: input.actions.length
        ? `${input.actions.length} action${input.actions.length === 1 ? '' : 's'} agreed.`
        : null,
      sourceType: 'mash-meeting',
      sourceId: meeting.id,
    },
    audit: {
      action: 'mash-meeting.item-recorded',
      subjectType: 'mash-meeting',
      subjectId: meeting.id,
      childId: item.personId,
      details: { itemId: item.id, contactId: item.contactId, actions: input.actions.length },
    },
  });
}

/** The meetings at which a contact's children were discussed (for the contact page's timeline). */
export async function meetingItemsForContact(trx: Trx, contactId: string) {
  return trx
    .selectFrom('mashMeetingItems as i')
    .innerJoin('mashMeetings as m', 'm.id', 'i.meetingId')
    .select(['m.id as meetingId', 'm.meetingDate', 'i.discussion', 'i.recordedAt', 'i.contactChildId'])
    .where('i.contactId', '=', contactId)
    .orderBy('m.meetingDate')
    .execute();
}
