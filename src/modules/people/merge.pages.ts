import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { checkbox, choice, requiredText } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { findLikelyDuplicates } from './person-search.service.ts';
import {
  mergeComparison,
  mergePeople,
  mergeRefusal,
  personIdByLaChildId,
  type MergeComparison,
} from './person-merge.service.ts';
import { loadPersonHeader } from './person.service.ts';
import { personParams, personPaths } from './pages-common.ts';

/**
 * Merging two records of the same person, in two steps on one page: choose the other record (from the
 * likely duplicates, or by its LA child ID), then compare them side by side, choose which to keep, give
 * the reason and confirm.
 */

export const mergePage = definePage({
  path: '/people/:personId/merge',
  view: 'people/views/merge.njk',
  access: 'person:merge',
  title: 'Merge with a duplicate record',
  params: personParams,
  drafts: false,
  query: z.object({
    other: z.string().max(60).optional().catch(undefined),
    ref: z.string().max(60).optional().catch(undefined),
  }),
  form: z.object({
    otherPersonId: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z.uuid({ message: 'Choose the other record' }),
    ),
    keep: choice(['this', 'other'] as const, 'Select which record to keep'),
    reason: requiredText(
      'Enter why these records are the same person',
      2_000,
      'Reason must be 2,000 characters or fewer',
    ),
    confirm: checkbox('Confirm that you have checked these records are the same person'),
  }),
  audit: {
    action: 'person-merge.viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const body = (ctx.request.method === 'POST' ? ctx.request.body : null) as Record<string, unknown> | null;
    const otherRef = (
      typeof body?.otherPersonId === 'string' ? body.otherPersonId : ctx.query.ref?.trim() || ctx.query.other
    )?.trim();
    let otherId: string | null = null;
    let lookupError: string | null = null;
    if (otherRef) {
      if (z.uuid().safeParse(otherRef).success) otherId = otherRef;
      else {
        otherId = await personIdByLaChildId(ctx, otherRef);
        if (!otherId) lookupError = 'No record found with that LA child ID';
      }
    }
    let refusal: string | null = null;
    let compare: {
      thisRecord: MergeComparison;
      otherRecord: MergeComparison;
    } | null = null;
    if (otherId) {
      const r = await mergeRefusal(ctx, { thisId: person.id, otherId });
      if (r && r.message.startsWith('No record found')) lookupError = r.message;
      else {
        refusal = r?.message ?? null;
        compare = {
          thisRecord: await mergeComparison(ctx, person.id),
          otherRecord: await mergeComparison(ctx, otherId),
        };
      }
    }
    const candidates = person.mergedIntoId
      ? []
      : await findLikelyDuplicates(
          ctx,
          {
            name: `${person.givenName} ${person.familyName}`,
            dateOfBirth: person.dateOfBirth ?? person.expectedDateOfBirth ?? undefined,
            nhsNumber: person.row.nhsNumber ?? undefined,
          },
          { excludeIds: [person.id] },
        );
    return {
      person,
      section: 'summary',
      otherRef: otherRef ?? '',
      otherId,
      lookupError,
      refusal,
      compare,
      candidates: candidates.map((c) => ({
        value: c.id,
        text: `${c.givenName} ${c.familyName}${c.laChildId ? ` (${c.laChildId})` : ''}`,
        hint: `${c.kindLabel}${c.dateOfBirth ? `, born ${formatDateGovUk(c.dateOfBirth)}` : ''} · ${c.reasons.join('; ')}`,
      })),
    };
  },
  submit: async (ctx, form) => {
    await mergePeople(ctx, {
      thisId: ctx.params.personId,
      otherId: form.otherPersonId,
      keep: form.keep,
      reason: form.reason,
    });
    const keptId = form.keep === 'this' ? ctx.params.personId : form.otherPersonId;
    ctx.flash('The records have been merged');
    return personPaths.record(keptId);
  },
});

export const mergePages = [mergePage];
