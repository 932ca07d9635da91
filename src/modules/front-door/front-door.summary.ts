import { shared, type InvolvementContext, type RecordSummaryProvider } from '../people/index.ts';
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
