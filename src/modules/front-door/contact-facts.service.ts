import { isoDateOf } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { contactAsReceived } from './contact.service.ts';
import { codeLabels } from './settings.ts';

export interface ContactFacts {
  reference: string;
  /** The day the contact was received (ISO date, local time). */
  receivedOn: string;
  reason: string;
  /** Adults then children on the contact, in the contact's order, with their role ("Mother", "Child"). */
  household: { name: string; role: string }[];
  /** The referrer ("Name, role, organisation (agency)"), when the contact says who they are. */
  referrer: string | null;
  /** Agencies the front door asked for information, by name (each once, in the order first asked). */
  agenciesAsked: string[];
  /** Schools recorded for the children. */
  schools: { child: string; school: string }[];
  /** The front door's authorised decision on the contact, when there is one. */
  decision: { decidedOn: string; level: string; rationale: string } | null;
}

const nameOf = (p: { givenName: string | null; familyName: string | null }) =>
  [p.givenName, p.familyName].filter(Boolean).join(' ').trim();

/**
 * What a contact already says about a family, for the work it led to to start from (an assessment's reason,
 * household, professionals and school). Null when the contact does not exist or the user may not see it (the same
 * rule as `contactAsReceived`).
 */
export async function contactFacts(ctx: ReadContext, contactId: string): Promise<ContactFacts | null> {
  const seen = await contactAsReceived(ctx, contactId);
  if (!seen) return null;
  const { db } = ctx;
  const [contact, adults, children, asked, roles, decision] = await Promise.all([
    db
      .selectFrom('contacts as c')
      .leftJoin('agencies as a', 'a.id', 'c.referrerAgencyId')
      .select(['c.referrerName', 'c.referrerRole', 'c.referrerOrganisation', 'a.name as agencyName'])
      .where('c.id', '=', contactId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contactAdults as x')
      .leftJoin('people as p', 'p.id', 'x.personId')
      .select((eb) => [
        eb.fn.coalesce('x.givenName', 'p.givenName').as('givenName'),
        eb.fn.coalesce('x.familyName', 'p.familyName').as('familyName'),
        'x.role',
      ])
      .where('x.contactId', '=', contactId)
      .orderBy('x.position')
      .execute(),
    db
      .selectFrom('contactChildren as x')
      .leftJoin('people as p', 'p.id', 'x.personId')
      .select((eb) => [
        eb.fn.coalesce('x.givenName', 'p.givenName').as('givenName'),
        eb.fn.coalesce('x.familyName', 'p.familyName').as('familyName'),
        'x.school',
      ])
      .where('x.contactId', '=', contactId)
      .orderBy('x.position')
      .execute(),
    db
      .selectFrom('informationRequests as r')
      .innerJoin('agencies as a', 'a.id', 'r.agencyId')
      .select(['a.name'])
      .where('r.contactId', '=', contactId)
      .orderBy('r.requestedAt')
      .orderBy('r.id')
      .execute(),
    codeLabels(db, 'contact-adult-role'),
    db
      .selectFrom('contactDecisions as d')
      .leftJoin('thresholdLevels as l', (j) =>
        j.onRef('l.continuumId', '=', 'd.continuumId').onRef('l.code', '=', 'd.levelOfNeed'),
      )
      .select(['d.decidedAt', 'd.levelOfNeed', 'l.label as levelLabel', 'd.rationale'])
      .where('d.contactId', '=', contactId)
      .where('d.status', '=', 'authorised')
      .orderBy('d.decidedAt', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const organisation = contact.referrerOrganisation ?? contact.agencyName ?? null;
  const referrer = [contact.referrerName, contact.referrerRole, organisation].filter(Boolean).join(', ');
  return {
    reference: seen.reference,
    receivedOn: isoDateOf(seen.receivedAt),
    reason: seen.reason,
    household: [
      ...adults.map((a) => ({ name: nameOf(a), role: roles.get(a.role) ?? a.role })),
      ...children.map((c) => ({ name: nameOf(c), role: 'Child' })),
    ].filter((p) => p.name),
    referrer: referrer || null,
    agenciesAsked: [...new Set(asked.map((r) => r.name))],
    schools: children.flatMap((c) =>
      c.school?.trim() ? [{ child: nameOf(c) || 'Child', school: c.school.trim() }] : [],
    ),
    decision: decision
      ? {
          decidedOn: isoDateOf(decision.decidedAt),
          level: decision.levelLabel ?? decision.levelOfNeed,
          rationale: decision.rationale,
        }
      : null,
  };
}
