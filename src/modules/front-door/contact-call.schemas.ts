import { z } from 'zod';
import { choice, govukDate, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { STAFF_CHANNELS } from './contact.ts';
import { parseClockTime } from './contact.schemas.ts';

/** "Add this call to that contact": who called, how and when, and what they said. */
export function contactCallForm(today: string) {
  return z
    .object({
      channel: choice(STAFF_CHANNELS, 'Select how the call was made'),
      receivedOn: govukDate({ label: 'Date received', required: true, when: 'past', today: () => today }),
      receivedTime: optionalText(20),
      callerName: requiredText('Enter the name of who called', 200, 'Name must be 200 characters or fewer'),
      callerRole: optionalText(200, 'Role must be 200 characters or fewer'),
      callerOrganisation: optionalText(200, 'Organisation must be 200 characters or fewer'),
      callerPhone: optionalText(30, 'Phone number must be 30 characters or fewer'),
      summary: requiredText(
        'Enter what they told you',
        20_000,
        'What they told you must be 20,000 characters or fewer',
      ),
    })
    .superRefine((v, ctx) => {
      if (v.receivedTime && !parseClockTime(v.receivedTime))
        ctx.addIssue({
          code: 'custom',
          path: ['receivedTime'],
          message: 'Enter the time received like 9:30am or 14:30',
        });
    });
}
export type ContactCallForm = z.infer<ReturnType<typeof contactCallForm>>;
