import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { instantAt, isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { loadCurrentUser } from '../identity/index.ts';
import { createContact, setRag } from './contact.service.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { decideContact } from './decision.service.ts';
import { answerRequest, createInformationRequest } from './information-request.service.ts';
import { createRecordForContactChild, linkContactChild } from './known-check.service.ts';

export const DEMO_HEALTH_EMAIL = 'health.safeguarding@demo.threshold.test';

/**
 * A partner-agency user for the health trust (the organisation seed has a police user only), so the demo shows a
 * second agency answering in Threshold. Same password as the other demo accounts.
 */
async function demoHealthUser(trx: Transaction<DB>, org: SeededOrganisation): Promise<CurrentUser> {
  const police = await trx
    .selectFrom('users')
    .select('passwordHash')
    .where('id', '=', org.users.get('police.officer')!)
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('users')
    .values({
      email: DEMO_HEALTH_EMAIL,
      displayName: 'Nurse Helen Achebe',
      jobTitle: 'Named nurse for safeguarding children',
      agencyId: org.agencies.get('Kingston and Richmond NHS Foundation Trust')!,
      passwordHash: police.passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('userRoles').values({ userId: row.id, role: 'partner-agency-user' }).execute();
  return (await loadCurrentUser(trx, row.id, null))!;
}

/**
 * Synthetic front-door work for the demonstration (after the people module's demo families): one contact
 * awaiting screening, one red MASH enquiry about a family already known with an overdue police request (health
 * has answered), and one decision awaiting the MASH manager's authorisation. Written through the services, so
 * every clock, chronology entry and audit row is what real use would make.
 */
export async function seedDemoFrontDoor(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<{ contacts: number }> {
  const user = async (local: string): Promise<CurrentUser> =>
    (await loadCurrentUser(trx, org.users.get(local)!, null))!;
  /** The service context of `who` working at `at`. */
  const as = (who: CurrentUser, at: Date): ServiceContext => ({ db: trx, user: who, now: at, calendar });
  const officer = await user('contact.officer');
  const mash = await user('mash.practitioner');
  const today = isoDateOf(now);
  const yesterday = calendar.previousWorkingDay(today);
  const la = org.richmondId;
  const agency = (name: string) => org.agencies.get(name)!;
  const children = async (familyName: string) =>
    trx
      .selectFrom('people')
      .select(['id', 'givenName', 'familyName', 'dateOfBirth'])
      .where('familyName', '=', familyName)
      .where('kind', '=', 'child')
      .where('dateOfBirth', 'is not', null)
      .where('localAuthorityId', '=', la)
      .orderBy('dateOfBirth')
      .execute();
  const childIdsOf = async (contactId: string) =>
    trx
      .selectFrom('contactChildren')
      .select(['id', 'givenName', 'familyName'])
      .where('contactId', '=', contactId)
      .orderBy('position')
      .execute();

  // 1. Awaiting screening: a school's email this morning (or late on the last working day).
  const morning = instantAt(today, '08:40');
  const receivedToday =
    calendar.isWorkingDay(today) && morning.getTime() <= now.getTime()
      ? morning
      : instantAt(yesterday, '16:40');
  await createContact(as(officer, now), {
    localAuthorityId: la,
    receivedAt: receivedToday,
    channel: 'email',
    referralSource: '2A',
    referrer: {
      name: 'Sam Lowe',
      role: 'Designated safeguarding lead',
      agencyId: agency('Orchard Primary School'),
      email: 'office@orchard.demo.threshold.test',
    },
    concernCategories: ['neglect', 'school-attendance'],
    reason:
      'Maya has missed 11 days this half term. When she comes in she is often hungry and in the same clothes; she told her teacher there is “no food at home until Friday”. Mum has not answered the school’s calls this week.',
    consent: 'given',
    urgency: 'urgent',
    children: [
      {
        givenName: 'Maya',
        familyName: 'Okafor',
        dateOfBirth: '2016-09-21',
        school: 'Orchard Primary School',
        postcode: 'TW2 6LP',
      },
    ],
    adults: [{ givenName: 'Grace', familyName: 'Okafor', role: 'mother' }],
  });

  // 2. A police notification about a family already known: a red MASH enquiry, the police request overdue.
  const receivedYesterday = instantAt(yesterday, '09:20');
  const ashworths = await children('Ashworth');
  const notification = await createContact(as(officer, receivedYesterday), {
    localAuthorityId: la,
    receivedAt: receivedYesterday,
    channel: 'phone',
    referralSource: '6',
    referrer: {
      name: 'PC Dan Price',
      role: 'MASH police officer',
      agencyId: agency('Metropolitan Police – South West BCU'),
    },
    concernCategories: ['domestic-abuse', 'emotional-wellbeing'],
    reason:
      'Police called to the family home at 01:30 after neighbours heard shouting. Mother had a cut to her lip; father had left before officers arrived. Both children were in the house; the older child was awake and crying.',
    consent: 'dispensed',
    consentRationale:
      'Police notification after a domestic incident: seeking the father’s consent could increase the risk to the mother and children.',
    urgency: 'urgent',
    children: ashworths.length
      ? ashworths.map((c) => ({
          givenName: c.givenName,
          familyName: c.familyName,
          dateOfBirth: c.dateOfBirth ?? undefined,
        }))
      : [{ givenName: 'Olivia', familyName: 'Ashworth' }],
    adults: [
      { givenName: 'Claire', familyName: 'Ashworth', role: 'mother' },
      { givenName: 'Daniel', familyName: 'Ashworth', role: 'alleged-harmer' },
    ],
  });
  const rows = await childIdsOf(notification.id);
  for (const [i, row] of rows.entries()) {
    const known = ashworths[i];
    if (known)
      await linkContactChild(as(mash, instantAt(yesterday, '09:50')), {
        contactId: notification.id,
        childId: row.id,
        personId: known.id,
      });
    else
      await createRecordForContactChild(as(mash, instantAt(yesterday, '09:50')), {
        contactId: notification.id,
        childId: row.id,
      });
  }
  const ragAt = instantAt(yesterday, '10:00');
  await setRag(as(mash, ragAt), {
    contactId: notification.id,
    rag: 'red',
    rationale:
      'Repeat domestic abuse with injury; children present; the family is already known to the Assessment Team.',
  });
  await createInformationRequest(as(mash, ragAt), {
    contactId: notification.id,
    agencyId: agency('Metropolitan Police – South West BCU'),
    requestType: 'information-check',
    question:
      'Previous call-outs to the address and any record for Daniel Ashworth (bail conditions, warnings).',
  });
  const health = await createInformationRequest(as(mash, ragAt), {
    contactId: notification.id,
    agencyId: agency('Kingston and Richmond NHS Foundation Trust'),
    requestType: 'information-check',
    question: 'Health visiting and GP information for both children and their mother.',
  });
  // The health trust's safeguarding nurse has answered; the police have not (their 4 working hours ran out).
  const nurse = await demoHealthUser(trx, org);
  await answerRequest(as(nurse, instantAt(yesterday, '13:10')), {
    requestId: health.id,
    knownToAgency: true,
    response:
      'Noah is up to date with immunisations. The health visitor noted mother seemed low at the 2-year review in July and gave the number for the perinatal wellbeing service.',
  });

  // 3. A decision awaiting the manager's authorisation: a health visitor's concern, early help proposed.
  const received = instantAt(yesterday, '11:30');
  const hv = await createContact(as(officer, received), {
    localAuthorityId: la,
    receivedAt: received,
    channel: 'phone',
    referralSource: '3B',
    referrer: {
      name: 'Nadia Rowe',
      role: 'Health visitor',
      agencyId: agency('Kingston and Richmond NHS Foundation Trust'),
    },
    concernCategories: ['parenting', 'housing'],
    reason:
      'Father is caring for Leo (14 months) alone since mother moved out; the flat is damp and overcrowded and he is struggling with sleep and feeding. He asked for help.',
    consent: 'given',
    urgency: 'routine',
    children: [{ givenName: 'Leo', familyName: 'Brennan', dateOfBirth: '2025-09-12', postcode: 'TW12 2AA' }],
    adults: [{ givenName: 'Sean', familyName: 'Brennan', role: 'father' }],
  });
  const [leo] = await childIdsOf(hv.id);
  await createRecordForContactChild(as(mash, instantAt(yesterday, '12:00')), {
    contactId: hv.id,
    childId: leo!.id,
  });
  await decideContact(as(mash, instantAt(yesterday, '15:00')), {
    contactId: hv.id,
    levelOfNeed: 'level-2',
    outcome: 'early-help',
    rationale:
      'Additional needs: a lone parent struggling with a baby and poor housing. No safeguarding concerns from health or the GP. Father is asking for help, so early help with his consent is proportionate.',
    referrerFeedback:
      'Thank you. Early help will contact Mr Brennan this week to offer family support and help with housing.',
  });
  return { contacts: 3 };
}
