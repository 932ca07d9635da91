import { NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { LetterSource } from '../documents/index.ts';
import { childName } from './contact.ts';
import { requireContactWithChildren } from './contact.service.ts';
import { liveDecision } from './decision.service.ts';
import { referrerFeedbackPath } from './paths.ts';

/**
 * The referrer's letter (issue 23): the documents module's 'referrer-feedback' letter about a contact, filled in from
 * the authorised decision's feedback. It is kept on the first child linked to a record.
 */
export const referrerLetterSource: LetterSource = {
  sourceType: 'contact',
  kinds: ['referrer-feedback'],
  async load(ctx, contactId) {
    const { contact, children } = await requireContactWithChildren(ctx, contactId);
    const decision = await liveDecision(ctx.db, contact.id);
    const childId = children.find((c) => c.personId)?.personId;
    if (decision?.status !== 'authorised' || !childId) throw new NotFoundError();
    return {
      childId,
      fields: {
        referrer: { name: contact.referrerName },
        reference: contact.reference,
        receivedOn: formatDateGovUk(isoDateOf(contact.receivedAt)),
        childNames: children.map((c) => childName(c)).join(', '),
        outcome: decision.referrerFeedback ?? '',
      },
      backPath: referrerFeedbackPath(contact.id),
      backText: `Back to the feedback for contact ${contact.reference}`,
    };
  },
};
