import { queueEmail } from '../../kernel/mail/index.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { partnerRequestPath } from './paths.ts';

/**
 * The emails the front door sends a partner agency's shared mailbox about an information request. They say only
 * that something is waiting, for which agency and by when, and link to it: never a child's name, a contact's
 * reference or anything about the family (the agency signs in to read the request).
 */

export interface RequestEmailFacts {
  requestId: string;
  agencyName: string;
  dueAt: Date;
}

export function informationRequestEmail(facts: RequestEmailFacts): { subject: string; text: string } {
  return {
    subject: `Threshold: an information request is waiting for ${facts.agencyName}`,
    text: [
      'Hello,',
      '',
      `The multi-agency safeguarding hub has sent ${facts.agencyName} a request for information about a child.`,
      `Please answer it by ${formatDateTimeGovUk(facts.dueAt)}.`,
      '',
      'To keep the family’s information safe, this email does not say who the request is about. Sign in to Threshold to read and answer it:',
    ].join('\n'),
  };
}

export function informationRequestReminderEmail(facts: RequestEmailFacts & { overdue: boolean }): {
  subject: string;
  text: string;
} {
  return {
    subject: facts.overdue
      ? `Threshold: reminder – an information request for ${facts.agencyName} is overdue`
      : `Threshold: reminder – an information request is waiting for ${facts.agencyName}`,
    text: [
      'Hello,',
      '',
      facts.overdue
        ? `A request for information sent to ${facts.agencyName} by the multi-agency safeguarding hub was due by ${formatDateTimeGovUk(facts.dueAt)} and has not been answered yet.`
        : `A request for information sent to ${facts.agencyName} by the multi-agency safeguarding hub is due by ${formatDateTimeGovUk(facts.dueAt)}.`,
      'Please answer it as soon as you can: the hub’s decision about the child is waiting for it.',
      '',
      'To keep the family’s information safe, this email does not say who the request is about. Sign in to Threshold to read and answer it:',
    ].join('\n'),
  };
}

/** Queue the "request waiting" email to the agency's mailbox; nothing when the agency has no address. */
export async function queueInformationRequestEmail(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  facts: RequestEmailFacts & { agencyEmail: string | null },
): Promise<boolean> {
  if (!facts.agencyEmail) return false;
  return queueEmail(ctx.db, {
    eventKey: `information-request:${facts.requestId}`,
    kind: 'information-request',
    to: facts.agencyEmail,
    ...informationRequestEmail(facts),
    linkPath: partnerRequestPath(facts.requestId),
    createdBy: ctx.user.id,
    now: ctx.now,
  });
}

/** Queue a reminder (manual or automatic); `reminder` is the request's reminder count after this one. */
export async function queueInformationRequestReminderEmail(
  trx: Transaction<DB>,
  facts: RequestEmailFacts & {
    agencyEmail: string | null;
    reminder: number;
    now: Date;
    createdBy: string | null;
  },
): Promise<boolean> {
  if (!facts.agencyEmail) return false;
  return queueEmail(trx, {
    eventKey: `information-request-reminder:${facts.requestId}:${facts.reminder}`,
    kind: 'information-request-reminder',
    to: facts.agencyEmail,
    ...informationRequestReminderEmail({ ...facts, overdue: facts.now.getTime() > facts.dueAt.getTime() }),
    linkPath: partnerRequestPath(facts.requestId),
    createdBy: facts.createdBy,
    now: facts.now,
  });
}
