import type { CurrentUser } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { correctCensusDetails, loadCensusDetails, type CensusDetailsInput } from '../people/index.ts';
import { childName } from './contact.ts';
import { contactChildren } from './contact.repository.ts';
import { requireContact } from './contact.service.ts';
import { requirePermission, type ReadContext, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * The front door completes the census details a decision needs (sex, ethnicity, disabilities, UPN or why it is not
 * known) on a child on a contact it is working: whoever screens, decides or authorises contacts (the contact
 * officer, the MASH practitioner and manager, a team manager who authorises), on a contact not yet completed, for a child linked to their record. This is the narrow way in
 * for a child whose record is held by another service (early help, another team), which the front door may read
 * but not otherwise change; the people module makes the change, audited and in the chronology.
 */

const WORKING = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry', 'awaiting-authorisation'];

/** Screening, deciding or authorising the contact's decision: the work that may need the census details. */
export function mayCompleteCensus(user: CurrentUser): boolean {
  return (['contact:screen', 'contact:decide', 'contact:authorise'] as const).some((p) =>
    user.permissions.has(p),
  );
}

async function workingChild(ctx: ReadContext, contactId: string, contactChildId: string) {
  if (!mayCompleteCensus(ctx.user)) requirePermission(ctx.user, 'contact:screen');
  const contact = await requireContact(ctx, contactId);
  const child = (await contactChildren(ctx.db, contactId)).find((c) => c.id === contactChildId);
  if (!child) throw new NotFoundError();
  return { contact, child };
}

export async function contactChildCensus(
  ctx: ServiceContext,
  input: { contactId: string; contactChildId: string },
) {
  const { contact, child } = await workingChild(ctx, input.contactId, input.contactChildId);
  const details = child.personId ? await loadCensusDetails(ctx, child.personId) : null;
  return {
    contact,
    child: { id: child.id, personId: child.personId, name: details?.name ?? childName(child) },
    details,
    working: WORKING.includes(contact.status),
  };
}

export async function completeContactChildCensus(
  ctx: ServiceContext,
  input: CensusDetailsInput & { contactId: string; contactChildId: string },
): Promise<{ changed: string[]; childName: string }> {
  const { contact, child } = await workingChild(ctx, input.contactId, input.contactChildId);
  if (!WORKING.includes(contact.status))
    throw new BusinessRuleError(
      'sex',
      'This contact is completed: change the child’s details on their record instead',
    );
  if (!child.personId)
    throw new BusinessRuleError('sex', 'Check whether the child is known and link their record first');
  const { contactId: _c, contactChildId: _cc, ...details } = input;
  const { changed, name } = await correctCensusDetails(ctx, {
    ...details,
    personId: child.personId,
    context: { via: 'front-door', contactId: contact.id, contactReference: contact.reference },
  });
  return { changed, childName: name };
}

/** Each linked child's census details, for the decision and authorisation pages (what a referral will need). */
export async function censusOfContactChildren(ctx: ServiceContext, contactId: string) {
  const children = await contactChildren(ctx.db, contactId);
  const out = [];
  for (const c of children) {
    if (!c.personId) continue;
    const d = await loadCensusDetails(ctx, c.personId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null; // merged away since, or no longer a child's record
      throw error;
    });
    if (!d) continue;
    out.push({ contactChildId: c.id, personId: c.personId, name: d.name, details: d });
  }
  return out;
}
