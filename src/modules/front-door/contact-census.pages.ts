import { z } from 'zod';
import { isoDateOf } from '../../kernel/time/index.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { censusDetailsForm, personFormLists } from '../people/index.ts';
import { completeContactChildCensus, contactChildCensus } from './contact-census.service.ts';
import { contactPath, FRONT_DOOR_PATHS } from './paths.ts';

/**
 * "Census details" for a child on a contact: the front door completes what a decision needs for the children in
 * need census (rule 4220 ethnicity, 4180 sex, 8540 disability, 8770Q/8772 UPN) without leaving the contact, even
 * for a child whose record another service holds. Reached from the authorisation and decision pages, and the
 * contact page; returns to the page it came from.
 */

const params = z.object({ contactId: z.uuid(), childId: z.uuid() });
const query = z.object({ from: z.enum(['authorisation', 'decision']).optional().catch(undefined) });

const backTo = (contactId: string, from: 'authorisation' | 'decision' | undefined) =>
  from === 'authorisation'
    ? `${contactPath(contactId)}/authorisation`
    : from === 'decision'
      ? `${contactPath(contactId)}/decision`
      : contactPath(contactId);

async function loadCensusPage(ctx: PageContext<z.infer<typeof params>, z.infer<typeof query>>) {
  const found = await contactChildCensus(ctx, {
    contactId: ctx.params.contactId,
    contactChildId: ctx.params.childId,
  });
  const lists = await personFormLists(ctx.db, isoDateOf(ctx.now));
  const d = found.details;
  return {
    ...found,
    lists: {
      sex: lists.sex,
      ethnicity: lists.ethnicity,
      disability: lists.disability,
      upnUnknown: lists.upnUnknown,
    },
    saved: d
      ? {
          sex: d.sex ?? '',
          ethnicityCode: d.ethnicityCode ?? '',
          disabilities: d.disabilities,
          upn: d.upn ?? '',
          upnUnknownReason: d.upnUnknownReason ?? '',
          version: String(d.version),
        }
      : {},
    backHref: backTo(ctx.params.contactId, ctx.query.from),
    contactHref: contactPath(ctx.params.contactId),
  };
}

export const childCensusPage = definePage({
  path: FRONT_DOOR_PATHS.childCensus,
  view: 'front-door/views/child-census.njk',
  // Contact readers reach the page; the service lets in those who screen, decide or authorise contacts.
  access: 'contact:read',
  title: 'Census details',
  params,
  query,
  form: censusDetailsForm,
  audit: {
    action: 'contact.viewed',
    subjectType: 'contact',
    subject: (ctx, data: Awaited<ReturnType<typeof loadCensusPage>>) => ({
      subjectId: ctx.params.contactId,
      childId: data.child.personId,
      details: { page: 'census-details', contactChildId: ctx.params.childId },
    }),
  },
  load: loadCensusPage,
  submit: async (ctx, form) => {
    const result = await completeContactChildCensus(ctx, {
      contactId: ctx.params.contactId,
      contactChildId: ctx.params.childId,
      sex: form.sex,
      ethnicityCode: form.ethnicityCode,
      disabilities: form.disabilities ?? [],
      upn: form.upn,
      upnUnknownReason: form.upnUnknownReason,
      version: form.version,
    });
    ctx.flash(
      result.changed.length ? `${result.childName}’s census details have been saved` : 'Nothing was changed',
    );
    return backTo(ctx.params.contactId, ctx.query.from);
  },
});

export const contactCensusPages = [childCensusPage];
