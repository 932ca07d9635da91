import { z } from 'zod';
import { choice, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage } from '../../web/page.ts';
import { contactViewAudit } from './page-audit.ts';
import { contactPath, FRONT_DOOR_PATHS } from './paths.ts';
import { FEEDBACK_METHOD_LABELS, FEEDBACK_METHODS, feedbackAddress } from './referrer-feedback.ts';
import { DELIVERY_STATUS_LABELS } from '../../kernel/mail/index.ts';

/** The form's choice "email it from Threshold now": recorded as an email, and queued in the outbox. */
const SEND_EMAIL = 'send-email';
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
    method: choice([...FEEDBACK_METHODS, SEND_EMAIL], 'Select how you sent it'),
    sentTo: optionalText(320, 'The address or number must be 320 characters or fewer'),
    confirmWorkAddress: z.literal('yes').optional(),
  }),
  load: async (ctx) => {
    const feedback = await loadReferrerFeedback(ctx, ctx.params.contactId);
    const { referrer } = feedback;
    const method = referrer.email ? 'email' : referrer.phone ? 'phone' : 'letter';
    return {
      feedback,
      sentText: feedback.sent ? formatDateTimeGovUk(feedback.sent.at) : null,
      contactHref: contactPath(feedback.contact.id),
      methods: [
        ...(ctx.services.config.mail
          ? [
              {
                value: SEND_EMAIL,
                text: 'Email it from Threshold now',
                hint: {
                  text: 'To the referrer’s work email address only. The email is kept with the contact.',
                },
              },
            ]
          : []),
        ...FEEDBACK_METHODS.map((m) => ({
          value: m,
          text: m === 'email' ? 'Email (I sent it myself)' : FEEDBACK_METHOD_LABELS[m],
        })),
      ],
      deliveryLabel: feedback.sent?.email ? DELIVERY_STATUS_LABELS[feedback.sent.email.status] : null,
      deliveredText: feedback.sent?.email?.sentAt ? formatDateTimeGovUk(feedback.sent.email.sentAt) : null,
      saved: {
        text: feedback.letter ? `${feedback.letter.subject}\n\n${feedback.letter.body}` : '',
        method: method === 'email' && ctx.services.config.mail ? SEND_EMAIL : method,
        sentTo: feedbackAddress(method, referrer),
      },
    };
  },
  submit: async (ctx, form) => {
    const fromThreshold = form.method === SEND_EMAIL;
    if (fromThreshold && !ctx.services.config.mail)
      return {
        errors: [fieldError('method', 'Email is not switched on here: send it yourself and record how')],
      };
    if (fromThreshold && !form.confirmWorkAddress)
      return {
        errors: [
          fieldError(
            'confirmWorkAddress',
            'Confirm that this is the referrer’s work email address before Threshold sends it',
          ),
        ],
      };
    await recordFeedbackSent(ctx, {
      contactId: ctx.params.contactId,
      method: form.method === SEND_EMAIL ? 'email' : form.method,
      sentTo: form.sentTo ?? null,
      text: form.text,
      emailFromThreshold: fromThreshold,
    });
    ctx.flash(
      fromThreshold
        ? `The feedback will be emailed to ${form.sentTo ?? 'the referrer'} in the next minute. This page shows when it has gone.`
        : 'The feedback to the referrer is recorded as sent.',
    );
    return contactPath(ctx.params.contactId);
  },
});
