import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { recordChange, requirePermission, type ServiceContext } from '../../kernel/service/index.ts';
import {
  addRelationship,
  PARENTAL_RESPONSIBILITY_KINDS,
  relationshipExists,
  type RelationshipKind,
} from '../people/index.ts';
import { childName } from './contact.ts';
import { contactAdults, contactChildren } from './contact.repository.ts';
import { requireContact } from './contact.service.ts';
import { codeLabels } from './settings.ts';

/**
 * People named on a contact become the child's family network once they are checked: for an adult linked to a
 * record, each child on the contact linked to theirs is offered the relationship the contact's words give
 * ("mother" → parent), for the worker to confirm or change. Nothing is guessed where the words say nothing of
 * the relationship ("other", "person alleged to have caused harm"): the worker chooses, or leaves it out.
 */

/** The relationship the contact's words name, seen from the child; null where the words do not say. */
export const RELATIONSHIP_FROM_ROLE: Record<string, RelationshipKind | null> = {
  mother: 'parent',
  father: 'parent',
  'step-parent': 'step-parent',
  'parents-partner': 'household-member',
  carer: 'carer',
  grandparent: 'grandparent',
  'other-relative': 'extended-family',
  'household-member': 'household-member',
  'alleged-harmer': null,
  other: null,
};

export interface RelationshipProposal {
  contactChildId: string;
  childPersonId: string;
  childName: string;
  /** The contact's words for the adult ("Mother"). */
  words: string;
  proposedKind: RelationshipKind | null;
  /** A mother holds parental responsibility from birth; anyone else only when the worker says so. */
  parentalResponsibility: boolean;
  livesWith: boolean;
  alreadyRecorded: boolean;
}

async function contactAdult(ctx: ServiceContext, contactId: string, contactAdultId: string) {
  const adult = (await contactAdults(ctx.db, contactId)).find((a) => a.id === contactAdultId);
  if (!adult) throw new NotFoundError();
  return adult;
}

/** What the contact says about the adult and each of its linked children, for the worker to confirm. */
export async function relationshipsFromContact(
  ctx: ServiceContext,
  input: { contactId: string; contactAdultId: string },
) {
  requirePermission(ctx.user, 'contact:screen');
  requirePermission(ctx.user, 'child:write');
  const contact = await requireContact(ctx, input.contactId);
  const adult = await contactAdult(ctx, contact.id, input.contactAdultId);
  const adultPersonId = adult.personId;
  const roles = await codeLabels(ctx.db, 'contact-adult-role');
  const words = roles.get(adult.role) ?? adult.role;
  const proposedKind = RELATIONSHIP_FROM_ROLE[adult.role] ?? null;
  // Until the adult is linked to a record there is no one to relate the children to.
  const children = adultPersonId
    ? (await contactChildren(ctx.db, contact.id)).filter((c) => !!c.personId)
    : [];
  const proposals: RelationshipProposal[] = [];
  for (const c of children) {
    proposals.push({
      contactChildId: c.id,
      childPersonId: c.personId!,
      childName: childName(c),
      words,
      proposedKind,
      parentalResponsibility: adult.role === 'mother',
      livesWith: adult.role === 'household-member' || adult.role === 'parents-partner',
      alreadyRecorded: proposedKind
        ? await relationshipExists(ctx.db, c.personId!, adultPersonId!, proposedKind)
        : false,
    });
  }
  return { contact, adult: { ...adult, name: childName(adult) }, proposals };
}

export interface ConfirmedRelationship {
  contactChildId: string;
  /** 'none': not related, or the worker leaves it out. */
  kind: RelationshipKind | 'none';
  parentalResponsibility: boolean;
  livesWith: boolean;
}

/** Adds the relationships the worker confirmed to each child's family network (people's addRelationship). */
export async function confirmRelationshipsFromContact(
  ctx: ServiceContext,
  input: { contactId: string; contactAdultId: string; confirmed: ConfirmedRelationship[] },
): Promise<{ added: number }> {
  const { contact, adult, proposals } = await relationshipsFromContact(ctx, input);
  const adultPersonId = adult.personId;
  if (!adultPersonId)
    throw new BusinessRuleError('form', 'Link this adult to their record before recording relationships');
  let added = 0;
  for (const choice of input.confirmed) {
    const proposal = proposals.find((p) => p.contactChildId === choice.contactChildId);
    if (!proposal) throw new NotFoundError();
    if (choice.kind === 'none') continue;
    if (await relationshipExists(ctx.db, proposal.childPersonId, adultPersonId, choice.kind)) continue;
    if (choice.parentalResponsibility && !PARENTAL_RESPONSIBILITY_KINDS.includes(choice.kind))
      throw new BusinessRuleError(
        `pr-${choice.contactChildId}`,
        `This relationship does not carry parental responsibility for ${proposal.childName}: change the relationship or the answer`,
      );
    await addRelationship(ctx, {
      personId: proposal.childPersonId,
      relatedPersonId: adultPersonId,
      kind: choice.kind,
      parentalResponsibility: choice.parentalResponsibility,
      livesWith: choice.livesWith,
      notes: `From contact ${contact.reference}: the referrer said “${proposal.words.toLowerCase()}”`,
    });
    added++;
  }
  await recordChange(ctx, {
    audit: {
      action: 'contact.relationships-confirmed',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: proposals[0]?.childPersonId ?? null,
      details: {
        reference: contact.reference,
        contactAdultId: adult.id,
        personId: adultPersonId,
        added,
        choices: input.confirmed.map((c) => ({ contactChildId: c.contactChildId, kind: c.kind })),
      },
    },
  });
  return { added };
}
