import { z } from 'zod';
import {
  checkboxes,
  choice,
  govukDate,
  optionalChoice,
  optionalText,
  recordVersion,
  requiredText,
} from '../../kernel/forms/fields.ts';
import {
  CONTACT_METHODS,
  MEETING_ACTION_SLOTS,
  NETWORK_ROLES,
  parsePounds,
  SUPPORT_FREQUENCIES,
  SUPPORT_KINDS,
  SUPPORT_OFFERS,
} from './family-network.ts';

/** The family network's forms, with GOV.UK messages. */

const email = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
  z
    .email({ message: 'Enter an email address in the correct format, like name@example.com' })
    .max(200)
    .optional(),
);

const memberDetails = {
  roleCode: choice(NETWORK_ROLES, 'Select their role in the family network'),
  roleDescription: optionalText(200, 'Their role in their own words must be 200 characters or fewer'),
  phone: optionalText(40, 'Phone number must be 40 characters or fewer'),
  email,
  addressNote: optionalText(500, 'Address must be 500 characters or fewer'),
  preferredContact: optionalChoice(CONTACT_METHODS, 'Select how they prefer to be contacted'),
  supportOffers: checkboxes(SUPPORT_OFFERS),
};

export function addNetworkMemberForm(today: string) {
  return z
    .object({
      personId: z.preprocess(
        (v) => (typeof v === 'string' ? v : undefined),
        z.string({ message: 'Select who to add to the network, or add someone new' }).min(1, {
          message: 'Select who to add to the network, or add someone new',
        }),
      ),
      givenName: optionalText(100, 'First name must be 100 characters or fewer'),
      familyName: optionalText(100, 'Last name must be 100 characters or fewer'),
      fromDate: govukDate({
        label: 'Date they joined the network',
        required: true,
        when: 'past',
        today: () => today,
      }),
      ...memberDetails,
    })
    .superRefine((v, ctx) => {
      if (v.personId === 'new') {
        if (!v.givenName)
          ctx.addIssue({
            code: 'custom',
            path: ['givenName'],
            message: 'Enter the first name of the person you are adding',
          });
        if (!v.familyName)
          ctx.addIssue({
            code: 'custom',
            path: ['familyName'],
            message: 'Enter the last name of the person you are adding',
          });
      } else if (!z.uuid().safeParse(v.personId).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['personId'],
          message: 'Select who to add to the network, or add someone new',
        });
      }
    });
}

export function changeNetworkMemberForm() {
  return z.object({ ...memberDetails, version: recordVersion() });
}

export function endNetworkMemberForm(today: string) {
  return z.object({
    endDate: govukDate({
      label: 'Date they left the network',
      required: true,
      when: 'past',
      today: () => today,
    }),
    reason: requiredText('Enter why they left the network', 500, 'Reason must be 500 characters or fewer'),
    version: recordVersion(),
  });
}

/** Lines of a text area, one name each, without blanks and repeats. */
const lines = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? [
          ...new Set(
            v
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean),
          ),
        ]
      : [],
  z
    .array(z.string().max(200, 'Each name must be 200 characters or fewer'))
    .max(30, 'List 30 people or fewer'),
);

const uuidList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.uuid({ message: 'Select people from the child’s family network' })),
);

export function networkMeetingForm(today: string) {
  const slots: Record<string, z.ZodType> = {};
  for (let i = 1; i <= MEETING_ACTION_SLOTS; i++) {
    slots[`action${i}Member`] = optionalText(100);
    slots[`action${i}What`] = optionalText(1_000, 'What they will do must be 1,000 characters or fewer');
    slots[`action${i}By`] = govukDate({ label: 'Date it will be done by' });
  }
  return z
    .object({
      heldOn: govukDate({ label: 'Date of the meeting', required: true, when: 'past', today: () => today }),
      facilitator: requiredText(
        'Enter who facilitated the meeting',
        200,
        'Facilitator must be 200 characters or fewer',
      ),
      episode: requiredText('Select the episode the meeting is part of, or none', 100),
      invitedMemberIds: uuidList,
      attendedMemberIds: uuidList,
      professionalsInvited: lines,
      professionalsAttended: lines,
      familyPlan: requiredText(
        'Enter the family’s plan',
        20_000,
        'The family’s plan must be 20,000 characters or fewer',
      ),
      ...slots,
    })
    .superRefine((v, ctx) => {
      const values = v as Record<string, unknown>;
      for (let i = 1; i <= MEETING_ACTION_SLOTS; i++) {
        const member = values[`action${i}Member`];
        const what = values[`action${i}What`];
        const by = values[`action${i}By`];
        if (!member && !what && !by) continue;
        if (!member)
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}Member`],
            message: `Select who will do action ${i}`,
          });
        if (!what)
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}What`],
            message: `Enter what they will do (action ${i})`,
          });
        if (!by)
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}By`],
            message: `Enter the date action ${i} will be done by`,
          });
      }
    })
    .transform((v) => {
      const values = v as Record<string, unknown>;
      const actions: { memberId: string; action: string; dueOn: string }[] = [];
      for (let i = 1; i <= MEETING_ACTION_SLOTS; i++) {
        const member = values[`action${i}Member`];
        const what = values[`action${i}What`];
        const by = values[`action${i}By`];
        if (typeof member === 'string' && typeof what === 'string' && typeof by === 'string')
          actions.push({ memberId: member, action: what, dueOn: by });
      }
      return {
        heldOn: v.heldOn!,
        facilitator: v.facilitator,
        episode: v.episode,
        invitedMemberIds: v.invitedMemberIds,
        attendedMemberIds: v.attendedMemberIds,
        professionalsInvited: v.professionalsInvited,
        professionalsAttended: v.professionalsAttended,
        familyPlan: v.familyPlan,
        actions,
      };
    });
}

const pounds = z
  .preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().optional())
  .superRefine((v, ctx) => {
    if (v !== undefined && parsePounds(v) === undefined)
      ctx.addIssue({ code: 'custom', message: 'Enter an amount in pounds, like 25 or 25.50' });
  })
  .transform((v) => (v === undefined ? undefined : parsePounds(v)));

const supportPackageFields = {
  kind: choice(SUPPORT_KINDS, 'Select what kind of support it is'),
  description: requiredText('Describe the support', 2_000, 'Description must be 2,000 characters or fewer'),
  amount: pounds,
  frequency: choice(SUPPORT_FREQUENCIES, 'Select how often it is given'),
  startDate: govukDate({ label: 'Date it starts', required: true }),
  endDate: govukDate({ label: 'Date it ends' }),
};

function supportPackageRules(
  v: {
    kind: string;
    amount?: number | undefined;
    startDate?: string | undefined;
    endDate?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  if (v.startDate && v.endDate && v.endDate < v.startDate)
    ctx.addIssue({
      code: 'custom',
      path: ['endDate'],
      message: 'The date it ends must be the same as or after the date it starts',
    });
  if (v.kind === 'financial' && v.amount === undefined)
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Enter how much money is given' });
}

export function supportPackageForm() {
  return z.object(supportPackageFields).superRefine(supportPackageRules);
}

/** Changing support while it runs: the same answers, with the version the form was read at. */
export function changeSupportPackageForm() {
  return z.object({ ...supportPackageFields, version: recordVersion() }).superRefine(supportPackageRules);
}

export function endSupportPackageForm(today: string) {
  return z.object({
    endedOn: govukDate({ label: 'Date the support ended', required: true, when: 'past', today: () => today }),
    reason: requiredText('Enter why the support ended', 500, 'Reason must be 500 characters or fewer'),
    version: recordVersion(),
  });
}

export function actionDoneForm(today: string) {
  return z.object({
    completedOn: govukDate({ label: 'Date it was done', required: true, when: 'past', today: () => today }),
  });
}

/** Correcting a network meeting after it was saved: its date, facilitator, the family's plan and who came. */
export function changeNetworkMeetingForm(today: string) {
  return z.object({
    heldOn: govukDate({ label: 'Date of the meeting', required: true, when: 'past', today: () => today }),
    facilitator: requiredText(
      'Enter who facilitated the meeting',
      200,
      'Facilitator must be 200 characters or fewer',
    ),
    familyPlan: requiredText(
      'Enter the family’s plan',
      20_000,
      'The family’s plan must be 20,000 characters or fewer',
    ),
    attendedParticipantIds: uuidList,
    version: recordVersion(),
  });
}
