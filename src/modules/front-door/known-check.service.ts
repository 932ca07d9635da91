import { sql, type Transaction } from 'kysely';
import type { ContactChildrenRow, DB, JsonValue } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { ABUSE_CATEGORIES, codeLabel } from '../../kernel/code-sets/cin-census.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { addCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import {
  collectInvolvements,
  createPerson,
  INVOLVEMENTS_LISTED_BY_THEIR_MODULE,
  findLikelyDuplicates,
  personInput,
  searchPeople,
  type PersonSearchResult,
} from '../people/index.ts';
import { childName } from './contact.ts';
import { contactAdults, contactChildren } from './contact.repository.ts';
import { contactReceivedChronology, requireContact } from './contact.service.ts';
import { namedOnOpenContacts } from './open-contact-search.service.ts';
import {
  recordChange,
  requirePermission,
  type ChronologyPart,
  type ServiceContext,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * The known-to-services check: for each child on a contact, find them in the person index (only records the
 * worker may see), look at what we already know — contacts and referrals in the last 12 months, early help,
 * open involvements and plans — then link the child to their record, or create one from the details given.
 * What was known at the time is kept on the contact (contact_children.known_check_result), so the decision
 * can be read later against what the worker saw.
 */

export interface KnownSummary {
  checkedAt: string;
  knownToServices: boolean;
  previousContacts: { reference: string; receivedAt: string; status: string; outcome: string | null }[];
  referrals: { reference: string; referralDate: string; closureDate: string | null; nfa: boolean }[];
  earlyHelpEpisodes: { reference: string; openedOn: string; closedOn: string | null }[];
  /**
   * Open involvements: the fact of each (its type, team, lead worker and start date, no case detail), read from
   * their tables whatever the screener's other permissions: knowing a child is open is front-door need-to-know.
   * (Checks stored before team/leadWorker were recorded have only title, detail and startedOn.)
   */
  openInvolvements: KnownInvolvement[];
  /**
   * Child protection, child in need and early help plans open now or ended in the last 12 months, read straight
   * from their tables (not from the record summary, which shows social care only to social-care:read): the front
   * door needs these facts to screen, and the check itself is access-controlled and audited.
   * (Checks stored before kind/status/endedOn were recorded have only title, detail and startedOn.)
   */
  plans: KnownPlan[];
}

export interface KnownInvolvement {
  title: string;
  /** 'Team: …; lead worker: …' */
  detail: string | null;
  startedOn: string | null;
  team?: string | null;
  leadWorker?: string | null;
}

const humanise = (s: string) => s.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
const involvementDetail = (team: string | null, worker: string | null, workerLabel = 'lead worker') =>
  [team ? `Team: ${team}` : null, `${workerLabel}: ${worker ?? 'not yet allocated'}`]
    .filter(Boolean)
    .join('; ');

/**
 * What the child is open to now: children's social care (a children in need episode), early help, and any other
 * open allocation. Facts only: the type, the team, the lead worker and the date it started.
 */
export async function knownInvolvements(trx: Trx, personId: string): Promise<KnownInvolvement[]> {
  const [cin, earlyHelp, other] = await Promise.all([
    trx
      .selectFrom('cinEpisodes as e')
      .leftJoin('allocations as a', (j) =>
        j
          .onRef('a.involvementId', '=', 'e.id')
          .on('a.involvementType', '=', 'cin-episode')
          .on('a.endedOn', 'is', null)
          .on('a.role', '<>', 'co-worker'),
      )
      .leftJoin('teams as t', 't.id', 'a.teamId')
      .leftJoin('users as u', 'u.id', 'a.workerId')
      .select(['e.id', 'e.reference', 'e.referralDate', 't.name as teamName', 'u.displayName as workerName'])
      .where('e.childId', '=', personId)
      .where('e.closureDate', 'is', null)
      .where('e.referralNfa', '=', false)
      .execute(),
    trx
      .selectFrom('earlyHelpEpisodeChildren as c')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
      .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
      .leftJoin('agencies as ag', 'ag.id', 'e.leadAgencyId')
      .leftJoin('allocations as a', (j) =>
        j
          .onRef('a.involvementId', '=', 'e.id')
          .on('a.involvementType', '=', 'early-help-episode')
          .on('a.childId', '=', personId)
          .on('a.endedOn', 'is', null),
      )
      .leftJoin('teams as t', 't.id', 'a.teamId')
      .select([
        'e.id',
        'e.reference',
        'e.openedOn',
        'u.displayName as leadName',
        'ag.name as agencyName',
        't.name as teamName',
      ])
      .where('c.childId', '=', personId)
      .where('e.status', '=', 'open')
      .execute(),
    trx
      .selectFrom('allocations as a')
      .innerJoin('teams as t', 't.id', 'a.teamId')
      .leftJoin('users as u', 'u.id', 'a.workerId')
      .select([
        'a.involvementType',
        'a.role',
        'a.startedOn',
        't.name as teamName',
        'u.displayName as workerName',
      ])
      .where('a.childId', '=', personId)
      .where('a.endedOn', 'is', null)
      .where((eb) =>
        eb.or([
          eb('a.involvementType', 'is', null),
          eb('a.involvementType', 'not in', [...INVOLVEMENTS_LISTED_BY_THEIR_MODULE]),
        ]),
      )
      .execute(),
  ]);
  const firstOf = <T extends { id: string }>(rows: T[]) => [...new Map(rows.map((r) => [r.id, r])).values()];
  return [
    ...firstOf(cin).map((e) => ({
      title: `Children’s social care: children in need episode ${e.reference}`,
      detail: involvementDetail(e.teamName, e.workerName, 'Social worker'),
      startedOn: e.referralDate,
      team: e.teamName,
      leadWorker: e.workerName,
    })),
    ...firstOf(earlyHelp).map((e) => ({
      title: `Early help (family help) ${e.reference}`,
      detail: involvementDetail(
        e.teamName,
        e.leadName ? `${e.leadName}${e.agencyName ? ` (${e.agencyName})` : ''}` : null,
        'Lead practitioner',
      ),
      startedOn: e.openedOn,
      team: e.teamName,
      leadWorker: e.leadName,
    })),
    ...other.map((a) => ({
      title: a.involvementType ? humanise(a.involvementType) : `Allocated to ${a.teamName}`,
      detail: involvementDetail(a.teamName, a.workerName, humanise(a.role)),
      startedOn: a.startedOn,
      team: a.teamName,
      leadWorker: a.workerName,
    })),
  ];
}

export type KnownPlanKind = 'child-protection' | 'child-in-need' | 'early-help';

export interface KnownPlan {
  kind: KnownPlanKind;
  title: string;
  /** e.g. the category of a child protection plan, the episode it belongs to. */
  detail: string | null;
  /** The day it started (an early help plan: the day it was agreed; null while it is a draft). */
  startedOn: string | null;
  endedOn: string | null;
  /** 'draft' is an early help plan not yet agreed with the family. */
  status: 'open' | 'ended' | 'draft';
}

const PLAN_TITLES: Record<KnownPlanKind, string> = {
  'child-protection': 'Child protection plan',
  'child-in-need': 'Child in need plan',
  'early-help': 'Early help plan',
};

/** The child's plans, open or ended on or after `since` (an ISO date), newest first. */
export async function knownPlans(trx: Trx, personId: string, since: string): Promise<KnownPlan[]> {
  const [cp, cin, earlyHelp] = await Promise.all([
    trx
      .selectFrom('cpPlans as p')
      .innerJoin('cinEpisodes as e', 'e.id', 'p.episodeId')
      .select(['p.startDate', 'p.endDate', 'p.latestCategory', 'e.reference'])
      .where('p.childId', '=', personId)
      .where((eb) => eb.or([eb('p.endDate', 'is', null), eb('p.endDate', '>=', since)]))
      .execute(),
    trx
      .selectFrom('cinPlans as p')
      .innerJoin('cinEpisodes as e', 'e.id', 'p.episodeId')
      .select(['p.startDate', 'p.endDate', 'e.reference'])
      .where('p.childId', '=', personId)
      .where((eb) => eb.or([eb('p.endDate', 'is', null), eb('p.endDate', '>=', since)]))
      .execute(),
    trx
      .selectFrom('earlyHelpPlans as p')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 'p.episodeId')
      .innerJoin('earlyHelpEpisodeChildren as c', 'c.episodeId', 'e.id')
      .select(['p.status', 'p.agreedOn', 'e.reference', 'e.closedOn'])
      .where('c.childId', '=', personId)
      .where((eb) => eb.or([eb('e.closedOn', 'is', null), eb('e.closedOn', '>=', since)]))
      .execute(),
  ]);
  const plans: KnownPlan[] = [
    ...cp.map((p) => ({
      kind: 'child-protection' as const,
      title: PLAN_TITLES['child-protection'],
      detail: `Category: ${codeLabel(ABUSE_CATEGORIES, p.latestCategory).toLowerCase()}; episode ${p.reference}`,
      startedOn: p.startDate,
      endedOn: p.endDate,
      status: p.endDate ? ('ended' as const) : ('open' as const),
    })),
    ...cin.map((p) => ({
      kind: 'child-in-need' as const,
      title: PLAN_TITLES['child-in-need'],
      detail: `Episode ${p.reference}`,
      startedOn: p.startDate,
      endedOn: p.endDate,
      status: p.endDate ? ('ended' as const) : ('open' as const),
    })),
    ...earlyHelp.map((p) => ({
      kind: 'early-help' as const,
      title: PLAN_TITLES['early-help'],
      detail: `Early help episode ${p.reference}`,
      startedOn: p.agreedOn,
      endedOn: p.closedOn,
      status: p.closedOn
        ? ('ended' as const)
        : p.status === 'agreed'
          ? ('open' as const)
          : ('draft' as const),
    })),
  ];
  return plans.sort((a, b) => (b.startedOn ?? '9999').localeCompare(a.startedOn ?? '9999'));
}

/**
 * Record-summary providers whose involvements knownInvolvements reads for itself (or, the front door, leaves out),
 * and the workforce's "workers in the last 12 months", a figure about the record rather than an open involvement.
 */
const READ_DIRECTLY = ['front-door', 'social-care', 'early-help', 'allocations', 'worker-stability'];

/** What is known about a person, for the check: everything in the 12 months before `now`, and what is open now. */
export async function knownSummary(
  ctx: ServiceContext,
  input: { personId: string; excludeContactId?: string },
): Promise<KnownSummary> {
  const { db: trx, user, now } = ctx;
  const { personId, excludeContactId } = input;
  const today = isoDateOf(now);
  const yearAgo = addCalendarDays(today, -365);
  const since = new Date(now.getTime() - 365 * 24 * 3600_000);
  let contactsQ = trx
    .selectFrom('contactChildren as cc')
    .innerJoin('contacts as c', 'c.id', 'cc.contactId')
    .leftJoin('contactDecisions as d', (j) =>
      j.onRef('d.contactId', '=', 'c.id').on('d.status', '<>', 'sent-back'),
    )
    .select(['c.reference', 'c.receivedAt', 'c.status', 'd.outcome'])
    .where('cc.personId', '=', personId)
    .where('c.receivedAt', '>=', since);
  if (excludeContactId) contactsQ = contactsQ.where('c.id', '<>', excludeContactId);
  const contacts = await contactsQ.orderBy('c.receivedAt', 'desc').limit(50).execute();
  const referrals = await trx
    .selectFrom('cinEpisodes')
    .select(['reference', 'referralDate', 'closureDate', 'referralNfa'])
    .where('childId', '=', personId)
    .where((eb) => eb.or([eb('referralDate', '>=', yearAgo), eb('closureDate', 'is', null)]))
    .orderBy('referralDate', 'desc')
    .limit(50)
    .execute();
  const earlyHelp = await trx
    .selectFrom('earlyHelpEpisodeChildren as ec')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'ec.episodeId')
    .select(['e.reference', 'e.openedOn', 'e.closedOn'])
    .where('ec.childId', '=', personId)
    .where((eb) =>
      eb.or([eb('e.openedOn', '>=', yearAgo), eb('e.closedOn', 'is', null), eb('e.closedOn', '>=', yearAgo)]),
    )
    .orderBy('e.openedOn', 'desc')
    .limit(50)
    .execute();
  // Open involvements from their tables (knownInvolvements), whatever the screener's other permissions; any other
  // module's record-summary provider adds its own.
  const others = await collectInvolvements({ db: trx, user, personId, now, today });
  const involvements: KnownInvolvement[] = [
    ...(await knownInvolvements(trx, personId)),
    ...others
      .filter((i) => !READ_DIRECTLY.includes(i.source))
      .map((i) => ({ title: i.title, detail: i.detail ?? null, startedOn: i.startedOn ?? null })),
  ];
  // Plans come from their own tables (knownPlans), whatever the screener's other permissions.
  const plans = await knownPlans(trx, personId, yearAgo);
  const open = involvements.filter((i) => !/plan/i.test(i.title));
  return {
    checkedAt: now.toISOString(),
    knownToServices:
      contacts.length + referrals.length + earlyHelp.length + involvements.length + plans.length > 0,
    previousContacts: contacts.map((c) => ({
      reference: c.reference,
      receivedAt: c.receivedAt.toISOString(),
      status: c.status,
      outcome: c.outcome ?? null,
    })),
    referrals: referrals.map((r) => ({
      reference: r.reference,
      referralDate: r.referralDate,
      closureDate: r.closureDate,
      nfa: r.referralNfa,
    })),
    earlyHelpEpisodes: earlyHelp.map((e) => ({
      reference: e.reference,
      openedOn: e.openedOn,
      closedOn: e.closedOn,
    })),
    openInvolvements: open,
    plans,
  };
}

async function requireContactChild(
  trx: Trx,
  contactId: string,
  childId: string,
): Promise<ContactChildrenRow> {
  const child = await trx
    .selectFrom('contactChildren')
    .selectAll()
    .where('id', '=', childId)
    .where('contactId', '=', contactId)
    .executeTakeFirst();
  if (!child) throw new NotFoundError();
  return child;
}

const CHECKABLE = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry'];

/** Candidates for a child on a contact, from the details given (or what the worker typed instead). */
export async function candidatesFor(
  ctx: ServiceContext,
  input: {
    contactId: string;
    childId: string;
    criteria?:
      | {
          name?: string | undefined;
          dateOfBirth?: string | undefined;
          nhsNumber?: string | undefined;
          postcode?: string | undefined;
        }
      | undefined;
  },
) {
  const { db: trx, user, now } = ctx;
  const { contactId, childId, criteria } = input;
  requirePermission(user, 'contact:screen');
  const contact = await requireContact(ctx, contactId);
  const child = await requireContactChild(trx, contactId, childId);
  const searched = criteria ?? {
    name: childName(child) === 'Name not known' ? undefined : childName(child),
    dateOfBirth: child.dateOfBirth ?? undefined,
    nhsNumber: child.nhsNumber ?? undefined,
    postcode: child.postcode ?? undefined,
  };
  const results: PersonSearchResult[] = (await searchPeople(ctx, searched, { maxResults: 20 })).filter(
    (r) => r.kind === 'child',
  );
  // A line on what each candidate is already known for, in two queries for the whole list.
  const ids = results.map((r) => r.id);
  const since = new Date(now.getTime() - 365 * 24 * 3600_000);
  const contactCounts = ids.length
    ? await trx
        .selectFrom('contactChildren as cc')
        .innerJoin('contacts as c', 'c.id', 'cc.contactId')
        .select(['cc.personId', sql<number>`count(*)::int`.as('n')])
        .where('cc.personId', 'in', ids)
        .where('c.receivedAt', '>=', since)
        .where('c.id', '<>', contactId)
        .groupBy('cc.personId')
        .execute()
    : [];
  const openAllocations = ids.length
    ? await trx
        .selectFrom('allocations as a')
        .innerJoin('teams as t', 't.id', 'a.teamId')
        .select(['a.childId', 't.name as teamName'])
        .where('a.childId', 'in', ids)
        .where('a.endedOn', 'is', null)
        .execute()
    : [];
  // The same child may be named on another open contact that is not yet linked to a record (a second call).
  const onOpenContacts = await namedOnOpenContacts(ctx, {
    criteria: searched,
    kind: 'child',
    excludeContactId: contactId,
  });
  return {
    contact,
    child,
    criteria: searched,
    onOpenContacts,
    results: results.map((r) => ({
      ...r,
      contactsInYear: contactCounts.find((c) => c.personId === r.id)?.n ?? 0,
      openWith: [...new Set(openAllocations.filter((a) => a.childId === r.id).map((a) => a.teamName))],
    })),
  };
}

/**
 * When every child on the contact has been checked, the known check is complete and a contact awaiting screening
 * moves on to await a decision. Two workers finishing checks at once take turns: the contact row is locked first
 * (`for update`), so whoever goes second reads the children after the first committed and sees their check (neither
 * can leave the contact incomplete with every child checked), and the completion is one conditional UPDATE
 * (`known_check_completed_at is null`), so it is written once and never overwritten.
 */
async function afterCheck(ctx: ServiceContext, contactId: string): Promise<void> {
  const { db: trx, user, now } = ctx;
  const contact = await trx
    .selectFrom('contacts')
    .select(['knownCheckCompletedAt'])
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (contact.knownCheckCompletedAt) return;
  const children = await contactChildren(trx, contactId);
  if (children.some((c) => c.knownCheck === 'not-checked')) return;
  await trx
    .updateTable('contacts')
    .set({
      knownCheckCompletedAt: now,
      knownCheckCompletedBy: user.id,
      status: sql<string>`case when status = 'awaiting-screening' then 'awaiting-decision' else status end`,
      updatedAt: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', contactId)
    .where('knownCheckCompletedAt', 'is', null)
    .execute();
}

/** A child linked to a record by the worker: "contact received" goes on the record's chronology too. */
async function recordLink(
  ctx: ServiceContext,
  link: { contactId: string; contactChildId: string; personId: string; how: 'linked' | 'created' },
) {
  const contact = await ctx.db
    .selectFrom('contacts')
    .select(['id', 'reference', 'receivedAt'])
    .where('id', '=', link.contactId)
    .executeTakeFirstOrThrow();
  const summary = await storeKnownCheck(ctx, {
    ...link,
    contact,
    chronology: contactReceivedChronology([link.personId], contact),
  });
  await afterCheck(ctx, link.contactId);
  return summary;
}

/**
 * Keeps what was known about the child's record on the contact, and records the link in the audit trail (with
 * the chronology entry, when the link puts the contact on the child's chronology).
 */
async function storeKnownCheck(
  ctx: ServiceContext,
  link: {
    contact: { id: string; reference: string };
    contactChildId: string;
    personId: string;
    how: 'linked' | 'created';
    via?: 'early-help-step-up';
    chronology?: ChronologyPart;
  },
): Promise<KnownSummary> {
  const { db: trx, user, now } = ctx;
  const { contact, contactChildId, personId, how, via } = link;
  const summary = await knownSummary(ctx, { personId, excludeContactId: contact.id });
  await trx
    .updateTable('contactChildren')
    .set({
      personId,
      knownCheck: how,
      knownToServices: summary.knownToServices,
      knownCheckResult: JSON.stringify(summary as unknown as JsonValue),
      knownCheckAt: now,
      knownCheckBy: user.id,
    })
    .where('id', '=', contactChildId)
    .execute();
  await recordChange(ctx, {
    ...(link.chronology ? { chronology: link.chronology } : {}),
    audit: {
      action: how === 'linked' ? 'contact.child-linked' : 'contact.child-record-created',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: personId,
      details: {
        reference: contact.reference,
        contactChildId,
        ...(via ? { via } : {}),
        knownToServices: summary.knownToServices,
        previousContacts: summary.previousContacts.length,
        referrals: summary.referrals.length,
      },
    },
  });
  return summary;
}

/**
 * A contact that arrives with its children already linked by a service that knows them (early help's step-up):
 * the known-to-services check is recorded at once, as if the front door had linked each child, so nobody runs
 * "check if known" again for children the system already holds. The contact goes on to await a decision.
 */
export async function recordLinkedOnArrival(
  ctx: ServiceContext,
  input: { contactId: string; via: 'early-help-step-up' },
): Promise<void> {
  const { db: trx } = ctx;
  const contact = await trx
    .selectFrom('contacts')
    .select(['id', 'reference'])
    .where('id', '=', input.contactId)
    .executeTakeFirstOrThrow();
  for (const child of await contactChildren(trx, input.contactId)) {
    if (child.personId && child.knownCheck === 'not-checked')
      await storeKnownCheck(ctx, {
        contact,
        contactChildId: child.id,
        personId: child.personId,
        how: 'linked',
        via: input.via,
      });
  }
  await afterCheck(ctx, input.contactId);
}

/** The record chosen for a child or adult on a contact: one the user may read, of that kind, not merged away. */
async function requireLinkablePerson(
  ctx: ServiceContext,
  personId: string,
  kind: 'child' | 'adult',
): Promise<void> {
  await requireAccess(ctx.db, ctx.user, 'read', [personId], ctx.now);
  const person = await ctx.db
    .selectFrom('people')
    .select(['kind', 'mergedIntoId'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  if (person.kind !== kind)
    throw new BusinessRuleError(
      'personId',
      kind === 'child' ? 'Choose a child’s record' : 'Choose an adult’s record',
    );
  if (person.mergedIntoId)
    throw new BusinessRuleError(
      'personId',
      'That record was merged into another: choose the record it was merged into',
    );
}
/**
 * The contact, for a screener, while its people can still be linked: a contact with a decision is refused (a
 * BusinessRuleError against `field`, naming whose records can no longer change).
 */
async function requireCheckableContact(
  ctx: ServiceContext,
  contactId: string,
  field: 'personId' | 'create',
  whose: 'children' | 'adults',
) {
  requirePermission(ctx.user, 'contact:screen');
  const contact = await requireContact(ctx, contactId);
  if (!CHECKABLE.includes(contact.status))
    throw new BusinessRuleError(
      field,
      `This contact has a decision already: its ${whose} can no longer be changed`,
    );
  return contact;
}

/**
 * No lost links (security issue 15, M3): the check page carries the record the child or adult was linked to when it
 * was shown (none: ''). Under a row lock, the link must still be that one, so a second worker checking the same
 * person at the same moment gets the 409 page instead of silently replacing the first worker's link (or creating a
 * second record). `seen` undefined: an internal caller (seeds, step-up) that does not come from a page.
 */
async function requireLinkAsSeen(
  ctx: ServiceContext,
  table: 'contactChildren' | 'contactAdults',
  id: string,
  seen: string | null | undefined,
): Promise<void> {
  if (seen === undefined) return;
  const row =
    table === 'contactChildren'
      ? await ctx.db
          .selectFrom('contactChildren')
          .select('personId')
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
      : await ctx.db
          .selectFrom('contactAdults')
          .select('personId')
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
  if ((row?.personId ?? null) !== (seen || null))
    throw new ConflictError(
      'Someone else linked this person to a record while you were checking. Open the contact again to see the link they made.',
    );
}

/** Links a child on the contact to their existing record (read access to it needed), recording what was known. */
export async function linkContactChild(
  ctx: ServiceContext,
  input: { contactId: string; childId: string; personId: string; seenPersonId?: string | null | undefined },
): Promise<KnownSummary> {
  const { db: trx } = ctx;
  await requireCheckableContact(ctx, input.contactId, 'personId', 'children');
  const child = await requireContactChild(trx, input.contactId, input.childId);
  await requireLinkAsSeen(ctx, 'contactChildren', child.id, input.seenPersonId);
  await requireLinkablePerson(ctx, input.personId, 'child');
  const siblings = await contactChildren(trx, input.contactId);
  if (siblings.some((s) => s.id !== child.id && s.personId === input.personId)) {
    throw new BusinessRuleError('personId', 'Another child on this contact is already linked to that record');
  }
  return recordLink(ctx, {
    contactId: input.contactId,
    contactChildId: child.id,
    personId: input.personId,
    how: 'linked',
  });
}

/** No record found: creates one from the details on the contact (person:create needed) and links it. */
export async function createRecordForContactChild(
  ctx: ServiceContext,
  input: { contactId: string; childId: string; seenPersonId?: string | null | undefined },
): Promise<{ personId: string; summary: KnownSummary }> {
  const { db: trx } = ctx;
  const contact = await requireCheckableContact(ctx, input.contactId, 'create', 'children');
  const child = await requireContactChild(trx, input.contactId, input.childId);
  await requireLinkAsSeen(ctx, 'contactChildren', child.id, input.seenPersonId);
  if (child.personId) throw new BusinessRuleError('create', 'This child is already linked to a record');
  const unborn = !child.dateOfBirth && !!child.expectedDateOfBirth;
  const created = await createPerson(
    ctx,
    personInput({
      kind: unborn ? 'unborn' : 'child',
      localAuthorityId: contact.localAuthorityId,
      givenName: child.givenName ?? 'Unknown',
      familyName: child.familyName ?? 'Unknown',
      dateOfBirth: child.dateOfBirth ?? undefined,
      expectedDateOfBirth: child.expectedDateOfBirth ?? undefined,
      sex: (child.sex as 'M' | 'F' | 'U' | null) ?? 'U',
      nhsNumber: child.nhsNumber ?? undefined,
      addressLine1: child.addressLine1 ?? undefined,
      addressLine2: child.addressLine2 ?? undefined,
      town: child.town ?? undefined,
      postcode: child.postcode ?? undefined,
      school: child.school ?? undefined,
    }),
  );
  const summary = await recordLink(ctx, {
    contactId: input.contactId,
    contactChildId: child.id,
    personId: created.id,
    how: 'created',
  });
  return { personId: created.id, summary };
}

export function parseKnownSummary(value: JsonValue | null): KnownSummary | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  return value as unknown as KnownSummary;
}

// Adults named on the contact: linked to the person index the same way, to an existing adult's record or to a new
// one made from what the referrer said (after the duplicate check). No chronology entry: the chronology is the
// child's; the audit trail records the link.

async function requireContactAdult(trx: Trx, contactId: string, adultId: string) {
  const adult = await trx
    .selectFrom('contactAdults')
    .selectAll()
    .where('id', '=', adultId)
    .where('contactId', '=', contactId)
    .executeTakeFirst();
  if (!adult) throw new NotFoundError();
  return adult;
}

function adultCriteria(adult: {
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
}) {
  const name = [adult.givenName, adult.familyName].filter(Boolean).join(' ');
  return {
    name: name || undefined,
    dateOfBirth: adult.dateOfBirth ?? undefined,
    postcode: adult.postcode ?? undefined,
  };
}

/** Adults' records matching an adult named on the contact (or what the worker typed instead). */
export async function adultCandidatesFor(
  ctx: ServiceContext,
  input: {
    contactId: string;
    adultId: string;
    criteria?: { name?: string | undefined; dateOfBirth?: string | undefined } | undefined;
  },
) {
  const { db: trx, user } = ctx;
  const { contactId, adultId, criteria } = input;
  requirePermission(user, 'contact:screen');
  const contact = await requireContact(ctx, contactId);
  const adult = await requireContactAdult(trx, contactId, adultId);
  const searched = criteria ?? adultCriteria(adult);
  const results = (await searchPeople(ctx, searched, { maxResults: 20 })).filter((r) => r.kind === 'adult');
  const onOpenContacts = await namedOnOpenContacts(ctx, {
    criteria: searched,
    kind: 'adult',
    excludeContactId: contactId,
  });
  return { contact, adult, criteria: searched, results, onOpenContacts };
}

async function recordAdultLink(
  ctx: ServiceContext,
  contact: { id: string; reference: string },
  adult: { id: string },
  personId: string,
  how: 'linked' | 'created',
) {
  const { db: trx, user, now } = ctx;
  await trx
    .updateTable('contactAdults')
    .set({ personId, linkMethod: how, linkedAt: now, linkedBy: user.id })
    .where('id', '=', adult.id)
    .execute();
  await recordChange(ctx, {
    audit: {
      action: how === 'linked' ? 'contact.adult-linked' : 'contact.adult-record-created',
      subjectType: 'contact',
      subjectId: contact.id,
      details: { reference: contact.reference, contactAdultId: adult.id, personId },
    },
  });
}

/** Links an adult on the contact to an existing adult's record (read access to it needed). */
export async function linkContactAdult(
  ctx: ServiceContext,
  input: { contactId: string; adultId: string; personId: string; seenPersonId?: string | null | undefined },
): Promise<void> {
  const { db: trx } = ctx;
  const contact = await requireCheckableContact(ctx, input.contactId, 'personId', 'adults');
  const adult = await requireContactAdult(trx, input.contactId, input.adultId);
  await requireLinkAsSeen(ctx, 'contactAdults', adult.id, input.seenPersonId);
  await requireLinkablePerson(ctx, input.personId, 'adult');
  const others = await contactAdults(trx, input.contactId);
  if (others.some((o) => o.id !== adult.id && o.personId === input.personId))
    throw new BusinessRuleError('personId', 'Another adult on this contact is already linked to that record');
  await recordAdultLink(ctx, contact, adult, input.personId, 'linked');
}

/**
 * No record found: creates an adult's record from the contact's details (person:create needed) and links it. When
 * the person index holds likely matches, the worker must first confirm this is someone else (`notADuplicate`).
 */
export async function createRecordForContactAdult(
  ctx: ServiceContext,
  input: {
    contactId: string;
    adultId: string;
    notADuplicate: boolean;
    seenPersonId?: string | null | undefined;
  },
): Promise<{ personId: string }> {
  const { db: trx } = ctx;
  const contact = await requireCheckableContact(ctx, input.contactId, 'create', 'adults');
  const adult = await requireContactAdult(trx, input.contactId, input.adultId);
  await requireLinkAsSeen(ctx, 'contactAdults', adult.id, input.seenPersonId);
  if (adult.personId) throw new BusinessRuleError('create', 'This adult is already linked to a record');
  const duplicates = (await findLikelyDuplicates(ctx, adultCriteria(adult))).filter(
    (d) => d.kind === 'adult',
  );
  if (duplicates.length && !input.notADuplicate)
    throw new BusinessRuleError(
      'notADuplicate',
      `${duplicates.length === 1 ? 'A record looks' : `${duplicates.length} records look`} like the same person: link ${duplicates.length === 1 ? 'it' : 'one of them'}, or confirm this is someone else`,
    );
  const created = await createPerson(
    ctx,
    personInput({
      kind: 'adult',
      localAuthorityId: contact.localAuthorityId,
      givenName: adult.givenName ?? 'Unknown',
      familyName: adult.familyName ?? 'Unknown',
      dateOfBirth: adult.dateOfBirth ?? undefined,
      sex: 'U',
      addressLine1: adult.addressLine1 ?? undefined,
      postcode: adult.postcode ?? undefined,
      phone: adult.phone ?? undefined,
    }),
  );
  await recordAdultLink(ctx, contact, adult, created.id, 'created');
  return { personId: created.id };
}

/** The adults on a contact that are linked to a live adult's record, with the role given on the contact. */
export async function linkedAdultsOn(
  trx: Trx,
  contactId: string,
): Promise<{ personId: string; role: string }[]> {
  const rows = await trx
    .selectFrom('contactAdults as ca')
    .innerJoin('people as p', 'p.id', 'ca.personId')
    .select(['p.id as personId', 'ca.role'])
    .where('ca.contactId', '=', contactId)
    .where('p.kind', '=', 'adult')
    .where('p.mergedIntoId', 'is', null)
    .orderBy('ca.position')
    .execute();
  return rows;
}
