import { z } from 'zod';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { definePage } from '../../web/page.ts';
import { CHANNEL_LABELS, STAFF_CHANNELS, STATUS_LABELS, type ContactStatus } from './contact.ts';
import { parseClockTime } from './contact.schemas.ts';
import { requireContact } from './contact.service.ts';
import { addCallToContact } from './contact-call.service.ts';
import { contactCallForm } from './contact-call.schemas.ts';
import { OPEN_CONTACT_STATUSES } from './open-contact-search.service.ts';
import { contactViewAudit } from './page-audit.ts';
import { contactPath, FRONT_DOOR_PATHS } from './paths.ts';

/** "Add this call to that contact": a second call about a child on an open contact, recorded on that contact. */
export const addCallPage = definePage({
  path: FRONT_DOOR_PATHS.addCall,
  view: 'front-door/views/contact-call-new.njk',
  access: 'contact:create',
  title: 'Add a call to this contact',
  audit: contactViewAudit('add-call'),
  params: z.object({ contactId: z.uuid() }),
  form: ({ today }) => contactCallForm(today),
  load: async (ctx) => {
    const contact = await requireContact(ctx, ctx.params.contactId);
    return {
      contact,
      statusLabel: STATUS_LABELS[contact.status as ContactStatus],
      open: OPEN_CONTACT_STATUSES.includes(contact.status as ContactStatus),
      contactHref: contactPath(contact.id),
      channels: STAFF_CHANNELS.map((c) => ({ value: c, text: CHANNEL_LABELS[c] })),
      // The usual answers: a call that came in just now, today, by phone.
      defaults: { channel: 'phone', ...dateToParts('receivedOn', isoDateOf(ctx.now)) },
    };
  },
  submit: async (ctx, form) => {
    const today = isoDateOf(ctx.now);
    const time = form.receivedTime ? parseClockTime(form.receivedTime) : null;
    const receivedAt = time
      ? instantAt(form.receivedOn!, time)
      : form.receivedOn === today
        ? ctx.now
        : instantAt(form.receivedOn!, '09:00');
    await addCallToContact(ctx, {
      contactId: ctx.params.contactId,
      receivedAt,
      channel: form.channel,
      callerName: form.callerName,
      callerRole: form.callerRole,
      callerOrganisation: form.callerOrganisation,
      callerPhone: form.callerPhone,
      summary: form.summary,
    });
    ctx.flash('The call is added to this contact.');
    return contactPath(ctx.params.contactId);
  },
});

export const contactCallPages = [addCallPage];
