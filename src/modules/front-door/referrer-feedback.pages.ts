import { z } from 'zod';
import { choice, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import { definePage } from '../../web/page.ts';
import { contactViewAudit } from './page-audit.ts';
import { contactPath, FRONT_DOOR_PATHS } from './paths.ts';
import { FEEDBACK_METHOD_LABELS, FEEDBACK_METHODS, feedbackAddress } from './referrer-feedback.ts';
import { loadReferrerFeedback, recordFeedbackSent } from './referrer-feedback.service.ts';

/**
 * The referrer's feedback (issue 18, item 9): the letter or email produced from the authorised decision, which the
 * worker may change for this family, then records as sent (how and to whom). Once recorded, the page shows what was
 * sent.
 */
export const referrerFeedbackPage = definePage({
  path: FRONT_DOOR_PATHS.referrerFeedback,
  view: 'front-door/views/referrer-feedback.njk',
  access: 'contact:screen',
  title: 'Feedback to the referrer',
  audit: contactViewAudit('referrer-feedback'),
  params: z.object({ contactId: z.uuid() }),
  form: z.object({
    text: requiredText('Enter the letter or email', 20_000, 'The letter must be 20,000 characters or fewer'),
    method: choice(FEEDBACK_METHODS, 'Select how you sent it'),
    sentTo: optionalText(320, 'The address or number must be 320 characters or fewer'),
  }),
  load: async (ctx) => {
    const feedback = await loadReferrerFeedback(ctx, ctx.params.contactId);
    const { referrer } = feedback;
    const method = referrer.email ? 'email' : referrer.phone ? 'phone' : 'letter';
    return {
      feedback,
      sentText: feedback.sent ? formatDateTimeGovUk(feedback.sent.at) : null,
      contactHref: contactPath(feedback.contact.id),
      methods: FEEDBACK_METHODS.map((m) => ({ value: m, text: FEEDBACK_METHOD_LABELS[m] })),
      saved: {
        text: feedback.letter ? `${feedback.letter.subject}\n\n${feedback.letter.body}` : '',
        method,
        sentTo: feedbackAddress(method, referrer),
      },
    };
  },
  submit: async (ctx, form) => {
    await recordFeedbackSent(ctx, {
      contactId: ctx.params.contactId,
      method: form.method,
      sentTo: form.sentTo ?? null,
      text: form.text,
    });
    ctx.flash('The feedback to the referrer is recorded as sent.');
    return contactPath(ctx.params.contactId);
  },
});
