import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { CurrentUser, Role } from '../../src/kernel/access/index.ts';
import type { ServiceContext } from '../../src/kernel/service/index.ts';
import type { WorkingDayCalendar } from '../../src/kernel/working-days/index.ts';
import { DEMO_ACCOUNTS, demoEmail } from '../../src/modules/admin/organisation.seed.ts';
import { loadCurrentUser } from '../../src/modules/identity/current-user.repository.ts';
import { createContact, type ContactInput } from '../../src/modules/front-door/index.ts';
import { linkContactChild } from '../../src/modules/front-door/known-check.service.ts';
import { setRag } from '../../src/modules/front-door/contact.service.ts';
import { createInformationRequest } from '../../src/modules/front-door/information-request.service.ts';
import { createMeeting } from '../../src/modules/front-door/meeting.service.ts';
import { decideContact } from '../../src/modules/front-door/decision.service.ts';
import { approveDecision } from '../../src/modules/front-door/authorisation.service.ts';
import { aChild, localAuthorityId } from './people.ts';
import { serviceContext } from './early-help.ts';

/**
 * Test data for the front door, written through the module's services (so clocks, statuses and audit rows are
 * what the pages would make):
 *
 *   const c = await aContactInMashEnquiry(db, calendar, now, { rag: 'red', requestTo: 'police' });
 */

/**
 * Links a contact's one child to the child's record (the known-to-services check), as `ctx.user` would; returns the
 * contact child's id.
 */
export async function linkTheContactChild(
  ctx: ServiceContext,
  contactId: string,
  personId: string,
): Promise<string> {
  const cc = await ctx.db
    .selectFrom('contactChildren')
    .select('id')
    .where('contactId', '=', contactId)
    .executeTakeFirstOrThrow();
  await linkContactChild(ctx, { contactId, childId: cc.id, personId });
  return cc.id;
}

export async function demoUser(db: Kysely<DB>, role: Role): Promise<CurrentUser> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', demoEmail(account.email))
    .executeTakeFirstOrThrow();
  return (await loadCurrentUser(db, row.id, null))!;
}

export function aContactInput(localAuthorityId: string, overrides: Partial<ContactInput> = {}): ContactInput {
  return {
    localAuthorityId,
    channel: 'phone',
    referralSource: '6',
    referrer: { name: 'PC Test', organisation: 'Metropolitan Police' },
    concernCategories: ['domestic-abuse'],
    reason: 'Police attended a domestic incident; the children were present.',
    consent: 'dispensed',
    consentRationale: 'A police notification',
    urgency: 'urgent',
    children: [{ givenName: 'Test', familyName: 'Child' }],
    ...overrides,
  };
}

/** A Richmond contact whose child is linked to a new record, in a MASH enquiry, with a request to one agency. */
export async function aContactInMashEnquiry(
  db: Kysely<DB>,
  calendar: WorkingDayCalendar,
  now: Date,
  options: { rag?: 'red' | 'amber' | 'green'; requestTo?: string; laCode?: string } = {},
) {
  const la = (
    await db
      .selectFrom('localAuthorities')
      .select('id')
      .where('laCode', '=', options.laCode ?? '318')
      .executeTakeFirstOrThrow()
  ).id;
  const [officer, mash] = [await demoUser(db, 'contact-officer'), await demoUser(db, 'mash-practitioner')];
  const child = await aChild(db, { givenName: 'Fixture', familyName: 'Frontdoor' });
  return db.transaction().execute(async (trx) => {
    const contact = await createContact(
      serviceContext(trx, officer, now, calendar),
      aContactInput(la, {
        children: [{ givenName: 'Fixture', familyName: 'Frontdoor' }],
        adults: [{ givenName: 'Fixture', familyName: 'Parent', role: 'mother' }],
      }),
    );
    const ca = await trx
      .selectFrom('contactAdults')
      .select('id')
      .where('contactId', '=', contact.id)
      .executeTakeFirstOrThrow();
    const contactChildId = await linkTheContactChild(serviceContext(trx, officer, now), contact.id, child.id);
    await setRag(serviceContext(trx, mash, now, calendar), {
      contactId: contact.id,
      rag: options.rag ?? 'red',
      rationale: 'Fixture',
    });
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('kind', '=', options.requestTo ?? 'police')
      .executeTakeFirstOrThrow();
    const request = await createInformationRequest(serviceContext(trx, mash, now), {
      contactId: contact.id,
      agencyId: agency.id,
      requestType: 'information-check',
      question: 'What do you know?',
    });
    return {
      contactId: contact.id,
      reference: contact.reference,
      contactChildId,
      contactAdultId: ca.id,
      personId: child.id,
      requestId: request.id,
    };
  });
}

/** The :params of the front door's pages for the authorisation matrix. */
export async function frontDoorMatrixParams(
  db: Kysely<DB>,
  calendar: WorkingDayCalendar,
  now: Date,
): Promise<Record<string, string>> {
  const c = await aContactInMashEnquiry(db, calendar, now, { requestTo: 'police' });
  const mash = await demoUser(db, 'mash-practitioner');
  const la = await localAuthorityId(db);
  const meeting = await db
    .transaction()
    .execute((trx) =>
      createMeeting(serviceContext(trx, mash, now), { localAuthorityId: la, meetingDate: '2026-11-24' }),
    );
  const item = await db
    .selectFrom('mashMeetingItems')
    .select('id')
    .where('meetingId', '=', meeting.id)
    .where('contactId', '=', c.contactId)
    .executeTakeFirstOrThrow();
  return {
    contactId: c.contactId,
    childId: c.contactChildId,
    contactAdultId: c.contactAdultId,
    requestId: c.requestId,
    meetingId: meeting.id,
    itemId: item.id,
  };
}

/**
 * A contact from a school about one child (linked to a record), decided by the MASH practitioner and authorised by
 * the manager, with `feedback` for the referrer: where referrer feedback starts.
 */
export async function anAuthorisedContactWithFeedback(
  db: Kysely<DB>,
  now: Date,
  options: { child: { givenName: string; familyName: string }; feedback: string; referrerEmail?: string },
): Promise<{ contactId: string; reference: string; childId: string }> {
  const la = await localAuthorityId(db, '318');
  const [officer, mash, manager] = [
    await demoUser(db, 'contact-officer'),
    await demoUser(db, 'mash-practitioner'),
    await demoUser(db, 'mash-manager'),
  ];
  const child = await aChild(db, options.child);
  return db.transaction().execute(async (trx) => {
    const contact = await createContact(
      serviceContext(trx, officer, now),
      aContactInput(la, {
        referralSource: '2A',
        referrer: {
          name: 'Ms Amara Patel',
          role: 'Designated safeguarding lead',
          organisation: 'Kew Riverside Primary School',
          email: options.referrerEmail ?? 'dsl@kew-riverside.example',
          phone: '020 7946 0123',
        },
        children: [options.child],
      }),
    );
    await linkTheContactChild(serviceContext(trx, officer, now), contact.id, child.id);
    await decideContact(serviceContext(trx, mash, now), {
      contactId: contact.id,
      levelOfNeed: 'level-1',
      outcome: 'information-advice',
      rationale: 'Universal needs; the school can support with advice.',
      referrerFeedback: options.feedback,
    });
    await approveDecision(serviceContext(trx, manager, now), { contactId: contact.id, rationale: 'Agree' });
    return { contactId: contact.id, reference: contact.reference, childId: child.id };
  });
}
