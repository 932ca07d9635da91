import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { childName, RAG_LABELS, type Rag } from './contact.ts';
import { openContacts } from './contact.repository.ts';
import { overdueRequests, requestsForMyAgency } from './information-request.service.ts';
import { contactPath, partnerRequestPath, referrerFeedbackPath } from './paths.ts';
import { feedbackToSend } from './referrer-feedback.service.ts';

/**
 * The front door's contribution to the home worktray:
 * - SPA and MASH staff (contact:screen): contacts awaiting screening or a decision (decision clock, working
 *   days), MASH enquiries (information due, working hours), and information requests that are overdue;
 * - SPA and MASH staff also: feedback to send to referrers who phoned, emailed or wrote (decision authorised);
 * - managers who authorise (contact:authorise with contact:screen): decisions awaiting authorisation;
 * - partner-agency users (information-request:respond): the requests addressed to their agency.
 */
export const frontDoorWorktray: WorktrayProvider = async (ctx) => {
  const { user } = ctx;
  const items: WorktrayItem[] = [];
  if (user.permissions.has('contact:screen') && !user.isPartner) {
    const statuses = user.permissions.has('contact:authorise')
      ? (['awaiting-screening', 'awaiting-decision', 'mash-enquiry', 'awaiting-authorisation'] as const)
      : (['awaiting-screening', 'awaiting-decision', 'mash-enquiry'] as const);
    const { rows } = await openContacts(ctx.db, {
      localAuthorityIds: user.localAuthorityIds,
      statuses,
      limit: ctx.limit ?? 50,
      offset: 0,
    });
    for (const c of rows) {
      const names = c.children.map((ch) => childName(ch)).join(', ');
      const base = { href: contactPath(c.id), child: null };
      if (c.status === 'awaiting-authorisation') {
        items.push({
          ...base,
          kind: 'contact-authorisation',
          kindLabel: 'Decision to authorise',
          title: `${c.reference}: ${names}`,
          dueOn: c.decisionDueOn,
          dueOnBy: c.decisionDueAt,
          clockLabel: 'Decision within 1 working day of receipt',
        });
      } else if (c.status === 'mash-enquiry' && c.informationDueAt && !c.mashEnquiryClosedAt) {
        items.push({
          ...base,
          kind: 'mash-enquiry',
          kindLabel: `MASH enquiry (${RAG_LABELS[c.rag as Rag]})`,
          title: `${c.reference}: ${names}`,
          dueAt: c.informationDueAt,
          clockLabel: `Partners’ information due; decision due ${formatDateGovUk(c.decisionDueOn)}`,
        });
      } else {
        items.push({
          ...base,
          kind: 'contact-decision',
          kindLabel: c.status === 'awaiting-screening' ? 'Contact to screen' : 'Contact decision',
          title: `${c.reference}: ${names}`,
          dueOn: c.decisionDueOn,
          dueOnBy: c.decisionDueAt,
          clockLabel: 'Decision within 1 working day of receipt',
        });
      }
    }
    // Feedback for referrers who phoned, emailed or wrote, from decisions authorised in the last 14 days.
    const since = new Date(ctx.now.getTime() - 14 * 24 * 3600_000);
    for (const f of await feedbackToSend(ctx, { since, limit: ctx.limit ?? 50 })) {
      items.push({
        kind: 'referrer-feedback',
        kindLabel: 'Feedback to send to the referrer',
        title: f.reference,
        href: referrerFeedbackPath(f.contactId),
        dueOn: ctx.calendar.nextWorkingDay(isoDateOf(f.authorisedAt)),
        clockLabel: 'By the end of the working day after the decision was authorised',
      });
    }
    for (const r of await overdueRequests(ctx, ctx.limit ?? 50)) {
      items.push({
        kind: 'information-request-overdue',
        kindLabel: 'Information request overdue',
        title: `${r.agencyName}: ${r.reference}${r.remindersSent ? ` (${r.remindersSent} reminder${r.remindersSent === 1 ? '' : 's'} sent)` : ''}`,
        href: contactPath(r.contactId),
        dueAt: r.dueAt,
        clockLabel: 'Send a reminder from the contact',
      });
    }
  }
  if (user.permissions.has('information-request:respond') && user.agencyId) {
    const { rows } = await requestsForMyAgency(
      { db: ctx.db, user },
      { status: 'open', limit: 50, offset: 0 },
    );
    for (const r of rows) {
      items.push({
        kind: 'information-request',
        kindLabel: r.requestTypeLabel ?? 'Information request',
        title: `${r.reference}: ${r.children.map((c) => c.name).join(', ')}${r.remindersSent ? ` (reminder sent ${r.remindersSent === 1 ? 'once' : `${r.remindersSent} times`})` : ''}`,
        href: partnerRequestPath(r.id),
        dueAt: r.dueAt,
        clockLabel: `From ${r.localAuthorityName} MASH`,
      });
    }
  }
  return items;
};
