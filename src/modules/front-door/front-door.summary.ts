import { sql } from 'kysely';
import {
  shared,
  type InvolvementContext,
  type RecordHistorySource,
  type RecordSummaryProvider,
} from '../people/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { STATUS_LABELS, type ContactStatus } from './contact.ts';
import { openContactsAbout } from './contact.service.ts';
import { contactPath } from './paths.ts';

/** The child's open contacts, read once for both panels. */
const openContacts = (ctx: InvolvementContext) =>
  shared(ctx, 'front-door:open-contacts', () => openContactsAbout(ctx, ctx.personId));

/** Open contacts appear among a child's open involvements, with the decision deadline. */
export const frontDoorSummary: RecordSummaryProvider = {
  id: 'front-door',
  order: 10,
  openInvolvements: async (ctx) => {
    const rows = await openContacts(ctx);
    return rows.map((r) => ({
      title: `Contact ${r.reference}`,
      href: contactPath(r.id),
      status: STATUS_LABELS[r.status as ContactStatus],
      startedOn: isoDateOf(r.receivedAt),
    }));
  },
  nextDeadlines: async (ctx) => {
    const rows = await openContacts(ctx);
    return rows.map((r) => ({
      title: `Decision on contact ${r.reference}`,
      dueOn: r.decisionDueOn,
      href: contactPath(r.id),
    }));
  },
};

/** Every contact about the child, completed ones too, on the record's list of contacts, referrals and episodes. */
export const frontDoorHistory: RecordHistorySource = {
  kind: 'contact',
  label: 'Contact',
  query: (db, childId) =>
    db
      .selectFrom('contactChildren as cc')
      .innerJoin('contacts as c', 'c.id', 'cc.contactId')
      .select([
        sql<string>`'contact'::text`.as('kind'),
        'c.id',
        'c.reference',
        sql<string>`(${sql.ref('c.receivedAt')} at time zone 'Europe/London')::date`.as('startedOn'),
        sql<string | null>`(${sql.ref('c.completedAt')} at time zone 'Europe/London')::date`.as('endedOn'),
        'c.status',
      ])
      .where('cc.personId', '=', childId),
  statusLabel: (status) => STATUS_LABELS[status as ContactStatus] ?? status,
  openWith: 'contact:read',
  link: contactPath,
};
