import { formatDateGovUk } from '../../kernel/time/index.ts';

/**
 * Feedback to the referrer (issue 18, item 9): the words a decision keeps for the referrer ("safe to share"), put into
 * a letter or email a worker can send as it stands, or change before sending. The subject names no child: an email
 * subject travels further than its body.
 */

export const FEEDBACK_METHODS = ['email', 'letter', 'phone'] as const;
export type FeedbackMethod = (typeof FEEDBACK_METHODS)[number];
export const FEEDBACK_METHOD_LABELS: Record<FeedbackMethod, string> = {
  email: 'Email',
  letter: 'Letter',
  phone: 'Phone call (read to them)',
};

export interface FeedbackLetterInput {
  localAuthorityName: string;
  reference: string;
  receivedOn: string;
  referrerName: string | null;
  childNames: string[];
  feedback: string;
  signedBy: string;
}

export interface FeedbackLetter {
  subject: string;
  body: string;
}

export function referrerFeedbackLetter(input: FeedbackLetterInput): FeedbackLetter {
  const names = input.childNames.filter((n) => n.trim());
  const about = names.length
    ? ` about ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]}`
    : '';
  const who = names.length > 1 ? 'the children' : 'the child';
  const service = `${input.localAuthorityName} children’s services`;
  return {
    subject: `Your contact to ${service} on ${formatDateGovUk(input.receivedOn)} (reference ${input.reference})`,
    body: [
      `Dear ${input.referrerName?.trim() || 'Sir or Madam'},`,
      `Thank you for contacting ${service} on ${formatDateGovUk(input.receivedOn)}${about}. Our reference is ${input.reference}.`,
      input.feedback.trim(),
      `If you have new worries about ${who}, contact us again straight away. If a child is in immediate danger, call 999.`,
      `Yours sincerely,\n\n${input.signedBy}\n${input.localAuthorityName} Single Point of Access`,
    ].join('\n\n'),
  };
}

/** Where to send it, from what the referrer gave: their email for an email, their phone for a call. */
export function feedbackAddress(
  method: FeedbackMethod,
  referrer: { email: string | null; phone: string | null },
): string {
  if (method === 'email') return referrer.email ?? '';
  if (method === 'phone') return referrer.phone ?? '';
  return '';
}
