import { z } from 'zod';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { isRelationshipKind, RELATIONSHIP_CHOICES } from '../people/index.ts';
import {
  confirmRelationshipsFromContact,
  relationshipsFromContact,
  type ConfirmedRelationship,
} from './contact-relationships.service.ts';
import { contactViewAudit } from './page-audit.ts';
import { contactPath, FRONT_DOOR_PATHS } from './paths.ts';

/** Where to go once an adult on the contact is linked: confirm their relationships to the contact's children. */
export const adultRelationshipsPath = (contactId: string, contactAdultId: string) =>
  pathTo(FRONT_DOOR_PATHS.adultRelationships, { contactId, contactAdultId });

const params = z.object({ contactId: z.uuid(), contactAdultId: z.uuid() });

/** The adult's relationship to each child on the contact, from the contact's words, for the worker to confirm. */
export const adultRelationshipsPage = definePage({
  path: FRONT_DOOR_PATHS.adultRelationships,
  view: 'front-door/views/adult-relationships.njk',
  access: 'contact:screen',
  title: 'Add to the family network',
  audit: contactViewAudit('adult-relationships'),
  params,
  drafts: false,
  // One relationship, parental responsibility and "lives with" answer per child: named after the contact's row.
  form: z.looseObject({}),
  load: async (ctx) => {
    const found = await relationshipsFromContact(ctx, ctx.params);
    return {
      ...found,
      contactHref: contactPath(found.contact.id),
      kinds: [...RELATIONSHIP_CHOICES, { value: 'none', text: 'Not related, or leave out' }],
      defaults: Object.fromEntries(
        found.proposals.flatMap((p) => [
          [`kind-${p.contactChildId}`, p.proposedKind ?? ''],
          [`pr-${p.contactChildId}`, p.parentalResponsibility ? ['yes'] : []],
          [`lives-${p.contactChildId}`, p.livesWith ? ['yes'] : []],
        ]),
      ),
    };
  },
  submit: async (ctx, form) => {
    const { proposals } = await relationshipsFromContact(ctx, ctx.params);
    const ticked = (v: unknown) => v === 'yes' || (Array.isArray(v) && v.includes('yes'));
    const confirmed: ConfirmedRelationship[] = [];
    const errors = [];
    for (const p of proposals.filter((x) => !x.alreadyRecorded)) {
      const kind = form[`kind-${p.contactChildId}`];
      if (typeof kind !== 'string' || !(kind === 'none' || isRelationshipKind(kind))) {
        errors.push(fieldError(`kind-${p.contactChildId}`, `Select what they are to ${p.childName}`));
        continue;
      }
      confirmed.push({
        contactChildId: p.contactChildId,
        kind,
        parentalResponsibility: ticked(form[`pr-${p.contactChildId}`]),
        livesWith: ticked(form[`lives-${p.contactChildId}`]),
      });
    }
    if (errors.length) return { errors };
    const { added } = await confirmRelationshipsFromContact(ctx, { ...ctx.params, confirmed });
    ctx.flash(
      added
        ? `${added === 1 ? 'One relationship' : `${added} relationships`} added to the family network.`
        : 'No relationships added.',
    );
    return contactPath(ctx.params.contactId);
  },
});

export const contactRelationshipPages = [adultRelationshipsPage];
