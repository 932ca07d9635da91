import { decideRecordAccess } from '../../kernel/access/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { CONFIDENCE_LABELS, scoreDescribedPerson, type SearchCriteria } from '../people/index.ts';
import { childName, type ContactChannel, type ContactStatus } from './contact.ts';

/**
 * "Is this child known?" also asks the front door's open work: children and adults named on contacts and partner
 * referrals that are still open and not yet linked to a record. A child named on a contact received this morning
 * has no record until the known-to-services check, so without this the second call about them finds nothing.
 *
 * Only for staff who may see the front door ('contact:read', not partners), only contacts of the authorities they
 * work for, and never a contact about a child whose record they may not read (as requireContact).
 */

/** Contacts not yet completed: the ones a second call can still be added to. */
export const OPEN_CONTACT_STATUSES: readonly ContactStatus[] = [
  'awaiting-screening',
  'awaiting-decision',
  'mash-enquiry',
  'awaiting-authorisation',
];

/** Open contacts are few; this bounds the scoring work should a front door fall far behind. */
const MAX_OPEN_PEOPLE = 2_000;

export interface OpenContactMatch {
  contactId: string;
  reference: string;
  receivedAt: Date;
  channel: ContactChannel;
  /** The row on the contact (contact_children or contact_adults). */
  rowId: string;
  kind: 'child' | 'adult';
  name: string;
  dateOfBirth: string | null;
  /** 'Open contact C-2026-00001, received 4 December' or 'Partner referral C-2026-00002, received …' */
  description: string;
  score: number;
  confidence: 'likely' | 'possible' | 'weak';
  confidenceLabel: string;
  reasons: string[];
}

/** A partner's online form or system sends a partner referral; staff record a contact. */
export function describeOpenContact(
  contact: { reference: string; receivedAt: Date; channel: string },
  today: string,
): string {
  const received = isoDateOf(contact.receivedAt);
  const date = formatDateGovUk(received);
  const when = received.slice(0, 4) === today.slice(0, 4) ? date.replace(/ \d{4}$/, '') : date;
  const what = ['online-form', 'api'].includes(contact.channel) ? 'Partner referral' : 'Open contact';
  return `${what} ${contact.reference}, received ${when}`;
}

/** Children and adults on open contacts, not linked to a record, who match the search: best first. */
export async function namedOnOpenContacts(
  ctx: ReadContext,
  input: { criteria: SearchCriteria; kind?: 'child' | 'adult'; excludeContactId?: string },
): Promise<OpenContactMatch[]> {
  const { db, user, now } = ctx;
  if (user.isPartner || !user.permissions.has('contact:read') || !user.localAuthorityIds.length) return [];
  const exclude = input.excludeContactId ?? null;
  const [children, adults] = await Promise.all([
    input.kind === 'adult'
      ? []
      : db
          .selectFrom('contactChildren as p')
          .innerJoin('contacts as c', 'c.id', 'p.contactId')
          .select([
            'c.id as contactId',
            'c.reference',
            'c.receivedAt',
            'c.channel',
            'p.id',
            'p.givenName',
            'p.familyName',
            'p.dateOfBirth',
            'p.expectedDateOfBirth',
            'p.nhsNumber',
            'p.postcode',
          ])
          .where('p.personId', 'is', null)
          .where('c.status', 'in', OPEN_CONTACT_STATUSES)
          .where('c.localAuthorityId', 'in', user.localAuthorityIds)
          .$if(!!exclude, (q) => q.where('c.id', '<>', exclude!))
          .orderBy('c.receivedAt', 'desc')
          .limit(MAX_OPEN_PEOPLE)
          .execute(),
    input.kind === 'child'
      ? []
      : db
          .selectFrom('contactAdults as p')
          .innerJoin('contacts as c', 'c.id', 'p.contactId')
          .select([
            'c.id as contactId',
            'c.reference',
            'c.receivedAt',
            'c.channel',
            'p.id',
            'p.givenName',
            'p.familyName',
            'p.dateOfBirth',
            'p.postcode',
          ])
          .where('p.personId', 'is', null)
          .where('c.status', 'in', OPEN_CONTACT_STATUSES)
          .where('c.localAuthorityId', 'in', user.localAuthorityIds)
          .$if(!!exclude, (q) => q.where('c.id', '<>', exclude!))
          .orderBy('c.receivedAt', 'desc')
          .limit(MAX_OPEN_PEOPLE)
          .execute(),
  ]);
  const today = isoDateOf(now);
  const scored = [
    ...children.map((r) => ({ r, kind: 'child' as const })),
    ...adults.map((r) => ({ r, kind: 'adult' as const })),
  ].flatMap(({ r, kind }) => {
    const s = scoreDescribedPerson(input.criteria, r);
    if (!s) return [];
    return [
      {
        contactId: r.contactId,
        reference: r.reference,
        receivedAt: r.receivedAt,
        channel: r.channel as ContactChannel,
        rowId: r.id,
        kind,
        name: childName(r),
        dateOfBirth: r.dateOfBirth,
        description: describeOpenContact(r, today),
        score: s.score,
        confidence: s.confidence,
        confidenceLabel: CONFIDENCE_LABELS[s.confidence],
        reasons: s.reasons,
      },
    ];
  });
  return (await withoutHiddenContacts(ctx, scored)).sort(
    (a, b) => b.score - a.score || b.receivedAt.getTime() - a.receivedAt.getTime(),
  );
}

/** Leaves out contacts that also name a child whose record the user may not read (they could not open them). */
async function withoutHiddenContacts<T extends { contactId: string }>(
  ctx: ReadContext,
  rows: T[],
): Promise<T[]> {
  const contactIds = [...new Set(rows.map((r) => r.contactId))];
  if (!contactIds.length) return rows;
  const linked = await ctx.db
    .selectFrom('contactChildren')
    .select(['contactId', 'personId'])
    .where('contactId', 'in', contactIds)
    .where('personId', 'is not', null)
    .execute();
  if (!linked.length) return rows;
  const decisions = await decideRecordAccess(
    ctx.db,
    ctx.user,
    [...new Set(linked.map((l) => l.personId!))],
    ctx.now,
  );
  const hidden = new Set(
    linked
      .filter((l) => {
        const d = decisions.get(l.personId!);
        return !!d && d.exists && !d.read;
      })
      .map((l) => l.contactId),
  );
  return rows.filter((r) => !hidden.has(r.contactId));
}
