import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import { emailDelivery, queueEmail, type EmailDelivery } from '../../kernel/mail/index.ts';
import { formatDateTimeGovUk, isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { letterPath, mayProduceLetters, producedLetter } from '../documents/index.ts';
import { childName } from './contact.ts';
import { contactChildren } from './contact.repository.ts';
import { requireContact } from './contact.service.ts';
import { liveDecision } from './decision.service.ts';
import {
  FEEDBACK_METHOD_LABELS,
  referrerFeedbackLetter,
  type FeedbackLetter,
  type FeedbackMethod,
} from './referrer-feedback.ts';

/**
 * Sending the decision's feedback to the referrer (issue 18, item 9). Once a manager has authorised the decision, a
 * worker at the front door (contact:screen) produces the feedback as a letter or email from the decision's words,
 * sends it outside Threshold (email, post or a call), and records that it was sent. Recording it happens once: the
 * UPDATE only succeeds while nothing is recorded, so two workers cannot both record it. A partner who referred
 * online or through the API reads the feedback on their referral, so theirs is not on the worktray.
 */

/** The channels whose referrers read their feedback in Threshold itself. */
export const SELF_SERVICE_CHANNELS = ['online-form', 'api'] as const;

export interface ReferrerFeedback {
  contact: { id: string; reference: string; channel: string; version: number };
  referrer: { name: string | null; email: string | null; phone: string | null };
  /** Null until a manager has authorised the decision. */
  letter: FeedbackLetter | null;
  sent: {
    at: Date;
    byName: string;
    method: FeedbackMethod;
    methodLabel: string;
    to: string | null;
    text: string | null;
    /** When Threshold emailed it: where the email has got to. */
    email: EmailDelivery | null;
  } | null;
  readsInThreshold: boolean;
  /**
   * The letter as a PDF (documents module), once the decision is authorised and a child on the contact has a record,
   * for a user who may add documents: where to produce it, and whether it has been (an email from Threshold attaches
   * it).
   */
  pdf: { href: string; produced: boolean } | null;
}

export async function loadReferrerFeedback(ctx: ReadContext, contactId: string): Promise<ReferrerFeedback> {
  const contact = await requireContact(ctx, contactId);
  const decision = await liveDecision(ctx.db, contact.id);
  const authorised = decision?.status === 'authorised' ? decision : null;
  const la = await ctx.db
    .selectFrom('localAuthorities')
    .select('name')
    .where('id', '=', contact.localAuthorityId)
    .executeTakeFirstOrThrow();
  const sentBy = authorised?.feedbackSentBy
    ? await ctx.db
        .selectFrom('users')
        .select('displayName')
        .where('id', '=', authorised.feedbackSentBy)
        .executeTakeFirst()
    : undefined;
  const children = await contactChildren(ctx.db, contact.id);
  return {
    contact: {
      id: contact.id,
      reference: contact.reference,
      channel: contact.channel,
      version: contact.version,
    },
    referrer: { name: contact.referrerName, email: contact.referrerEmail, phone: contact.referrerPhone },
    letter: authorised
      ? referrerFeedbackLetter({
          localAuthorityName: la.name,
          reference: contact.reference,
          receivedOn: isoDateOf(contact.receivedAt),
          referrerName: contact.referrerName,
          childNames: children.map((c) => childName(c)),
          feedback: authorised.referrerFeedback,
          signedBy: ctx.user.displayName,
        })
      : null,
    sent:
      authorised?.feedbackSentAt && authorised.feedbackSentMethod
        ? {
            at: authorised.feedbackSentAt,
            byName: sentBy?.displayName ?? 'someone else',
            method: authorised.feedbackSentMethod as FeedbackMethod,
            methodLabel: FEEDBACK_METHOD_LABELS[authorised.feedbackSentMethod as FeedbackMethod],
            to: authorised.feedbackSentTo,
            text: authorised.feedbackSentText,
            email: await emailDelivery(ctx.db, feedbackEmailKey(authorised.id)),
          }
        : null,
    readsInThreshold: (SELF_SERVICE_CHANNELS as readonly string[]).includes(contact.channel),
    // Only for those who may add it to the child's documents (the letter page needs document:upload).
    pdf:
      authorised && children.some((c) => c.personId) && mayProduceLetters(ctx.user)
        ? {
            href: letterPath('referrer-feedback', 'contact', contact.id),
            produced: (await producedLetter(ctx, referrerLetterKey(contact.id))) !== null,
          }
        : null,
  };
}

/** Records that the feedback was sent, once; a second worker recording it at the same time gets a ConflictError. */
export async function recordFeedbackSent(
  ctx: ServiceContext,
  input: {
    contactId: string;
    method: FeedbackMethod;
    sentTo: string | null;
    text: string;
    /**
     * Threshold emails it (through the authority's mail server) to `sentTo`, which the worker has confirmed is the
     * referrer's work address; otherwise the worker sent it themselves and this only records it.
     */
    emailFromThreshold?: boolean;
  },
): Promise<void> {
  requirePermission(ctx.user, 'contact:screen');
  const contact = await requireContact(ctx, input.contactId);
  const decision = await liveDecision(ctx.db, contact.id);
  if (decision?.status !== 'authorised')
    throw new BusinessRuleError(
      'method',
      'The decision has not been authorised yet: the feedback can be sent once a manager has authorised it',
    );
  if (input.emailFromThreshold && input.method !== 'email')
    throw new BusinessRuleError('method', 'Only an email can be sent from Threshold');
  if ((input.method === 'email' || input.method === 'phone') && !input.sentTo)
    throw new BusinessRuleError(
      'sentTo',
      input.method === 'email' ? 'Enter the email address you sent it to' : 'Enter the number you called',
    );
  const updated = await ctx.db
    .updateTable('contactDecisions')
    .set({
      feedbackSentAt: ctx.now,
      feedbackSentBy: ctx.user.id,
      feedbackSentMethod: input.method,
      feedbackSentTo: input.sentTo,
      feedbackSentText: input.text,
    })
    .where('id', '=', decision.id)
    .where('feedbackSentAt', 'is', null)
    .where('status', '=', 'authorised')
    .returning('id')
    .executeTakeFirst();
  if (!updated) {
    const current = await liveDecision(ctx.db, contact.id);
    throw new ConflictError(
      `The feedback was already recorded as sent${current?.feedbackSentAt ? ` on ${formatDateTimeGovUk(current.feedbackSentAt)}` : ''}. Nothing was changed.`,
    );
  }
  const childId = (await contactChildren(ctx.db, contact.id)).find((c) => c.personId)?.personId ?? null;
  await recordChange(ctx, {
    audit: {
      action: 'contact.referrer-feedback-sent',
      subjectType: 'contact',
      subjectId: contact.id,
      childId,
      details: {
        reference: contact.reference,
        decisionId: decision.id,
        method: input.method,
        sentTo: input.sentTo,
        characters: input.text.length,
        emailFromThreshold: input.emailFromThreshold === true,
      },
    },
  });
  if (input.emailFromThreshold && input.sentTo) {
    const letter = (await loadReferrerFeedback(ctx, contact.id)).letter;
    const subject = letter?.subject ?? `Your contact to children’s services (reference ${contact.reference})`;
    const text = input.text.startsWith(subject) ? input.text.slice(subject.length).trimStart() : input.text;
    const pdf = childId ? await producedLetter(ctx, referrerLetterKey(contact.id)) : null;
    await queueEmail(ctx.db, {
      eventKey: feedbackEmailKey(decision.id),
      attachmentDocumentId: pdf?.documentId ?? null,
      kind: 'referrer-feedback',
      to: input.sentTo,
      subject,
      text,
      childId,
      createdBy: ctx.user.id,
      now: ctx.now,
    });
  }
}

/** The referrer's letter about a contact, in the documents module. */
const referrerLetterKey = (contactId: string) =>
  ({ kind: 'referrer-feedback', sourceType: 'contact', sourceId: contactId }) as const;

/** The outbox key of a decision's feedback email: one email per decision. */
export const feedbackEmailKey = (decisionId: string) => `referrer-feedback:${decisionId}`;

/**
 * Authorised decisions at the authorities' front doors whose feedback has not been sent, oldest first: every referrer
 * who did not refer through Threshold itself, with or without an email or phone (a letter reaches them too).
 */
export async function feedbackToSend(
  ctx: ReadContext,
  input: { since: Date; limit: number },
): Promise<{ contactId: string; reference: string; authorisedAt: Date }[]> {
  if (!ctx.user.localAuthorityIds.length) return [];
  const rows = await ctx.db
    .selectFrom('contactDecisions as d')
    .innerJoin('contacts as c', 'c.id', 'd.contactId')
    .select(['c.id as contactId', 'c.reference', 'd.reviewedAt'])
    .where('d.status', '=', 'authorised')
    .where('d.feedbackSentAt', 'is', null)
    .where('d.reviewedAt', '>=', input.since)
    .where('c.localAuthorityId', 'in', [...ctx.user.localAuthorityIds])
    .where('c.channel', 'not in', [...SELF_SERVICE_CHANNELS])
    .orderBy('d.reviewedAt')
    .limit(input.limit)
    .execute();
  return rows.map((r) => ({ contactId: r.contactId, reference: r.reference, authorisedAt: r.reviewedAt! }));
}
