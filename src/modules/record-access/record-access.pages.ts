import { z } from 'zod';
import { definePage } from '../../web/page.ts';
import { choice, govukDate, optionalText, requiredText, yesNo } from '../../kernel/forms/fields.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import {
  accessLog,
  acknowledgeBreakGlass,
  BREAK_GLASS_HOURS,
  breakGlassForReview,
  breakTheGlass,
  findBreakGlass,
  findGrant,
  grantAccess,
  listGrants,
  recordAccessSubject,
  revokeGrant,
  setRestriction,
} from './record-access.service.ts';

const personParams = z.object({ personId: z.uuid() });
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1) });
const PAGE_SIZE = 50;
const restrictionPath = '/people/:personId/restriction';
const breakGlassReviewsPath = '/record-access/break-glass-reviews';

export const accessLogPage = definePage({
  path: '/people/:personId/access-log',
  view: 'record-access/views/access-log.njk',
  access: 'record-access:view',
  title: 'Who has accessed this record',
  params: personParams,
  query: pageQuery,
  audit: {
    action: 'child-record.access-log-viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const person = await recordAccessSubject(ctx, ctx.params.personId);
    const log = await accessLog(ctx, {
      personId: ctx.params.personId,
      page: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
    });
    return {
      person,
      entries: log.rows.map((r) => ({ ...r, detailsText: describeDetails(r.details) })),
      breakGlass: log.breakGlass,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, log.total),
      total: log.total,
    };
  },
});

function describeDetails(details: unknown): string {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return '';
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== '' && v !== undefined)
    .map(
      ([k, v]) =>
        `${k.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
    )
    .join('; ');
}

export const restrictionPage = definePage({
  path: restrictionPath,
  view: 'record-access/views/restriction.njk',
  access: 'record:restrict',
  title: 'Restriction and access',
  params: personParams,
  drafts: false,
  form: z.object({
    restricted: yesNo('Select yes if only named people should be able to open this record'),
    reason: requiredText('Enter the reason', 1000, 'Reason must be 1,000 characters or fewer'),
  }),
  audit: {
    action: 'child-record.restriction-viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    // Managing who may open a record belongs to its management line (write access), not to every reader.
    const person = await recordAccessSubject(ctx, ctx.params.personId, 'write');
    const grants = await listGrants(ctx, ctx.params.personId);
    return {
      person,
      grants: grants.map((g) => ({ ...g, active: !g.revokedAt && (!g.expiresAt || g.expiresAt > ctx.now) })),
      canGrant: ctx.user.permissions.has('grant:manage'),
    };
  },
  submit: async (ctx, form) => {
    await setRestriction(ctx, {
      personId: ctx.params.personId,
      restricted: form.restricted,
      reason: form.reason,
    });
    ctx.flash(form.restricted ? 'The record is now restricted' : 'The restriction has been removed');
    return pathTo(restrictionPath, ctx.params);
  },
});

export const newGrantPage = definePage({
  path: '/people/:personId/grants/new',
  view: 'record-access/views/grant-new.njk',
  access: 'grant:manage',
  title: 'Give someone access to this record',
  params: personParams,
  drafts: false,
  form: ({ today }) =>
    z.object({
      granteeEmail: requiredText('Enter the email address of the person who needs access', 320),
      access: choice(
        ['read', 'write'] as const,
        'Select whether they can only read the record, or also record on it',
      ),
      reason: requiredText('Enter why they need access', 1000, 'Reason must be 1,000 characters or fewer'),
      expiresOn: govukDate({ label: 'End date', when: 'future', today: () => today }),
    }),
  load: async (ctx) => ({
    person: await recordAccessSubject(ctx, ctx.params.personId, 'write'),
  }),
  submit: async (ctx, form) => {
    await grantAccess(ctx, { personId: ctx.params.personId, ...form });
    ctx.flash(`${form.granteeEmail} now has access to this record`);
    return pathTo(restrictionPath, ctx.params);
  },
});

export const revokeGrantPage = definePage({
  path: '/people/:personId/grants/:grantId/revoke',
  view: 'record-access/views/grant-revoke.njk',
  access: 'grant:manage',
  title: 'Revoke access',
  params: z.object({ personId: z.uuid(), grantId: z.uuid() }),
  drafts: false,
  form: z.object({ reason: requiredText('Enter why you are revoking access', 1000) }),
  load: async (ctx) => {
    const person = await recordAccessSubject(ctx, ctx.params.personId, 'write');
    const grant = await findGrant(ctx, ctx.params.personId, ctx.params.grantId);
    return { person, grant };
  },
  submit: async (ctx, form) => {
    await revokeGrant(ctx, {
      grantId: ctx.params.grantId,
      reason: form.reason,
      personId: ctx.params.personId,
    });
    ctx.flash('Access revoked');
    return pathTo(restrictionPath, ctx.params);
  },
});

export const breakGlassPage = definePage({
  path: '/people/break-glass',
  view: 'record-access/views/break-glass.njk',
  access: 'break-glass:use',
  title: 'Open a restricted record',
  drafts: false,
  form: z.object({
    identifierKind: choice(['la-child-id', 'nhs-number'] as const, 'Select which identifier you have'),
    identifier: requiredText('Enter the identifier of the record', 40),
    reason: requiredText(
      'Enter why you need to open this record now',
      1000,
      'Reason must be 1,000 characters or fewer',
    ),
  }),
  load: async () => ({ hours: BREAK_GLASS_HOURS }),
  submit: async (ctx, form) => {
    const identifier =
      form.identifierKind === 'nhs-number'
        ? form.identifier.replace(/[\s-]/g, '')
        : form.identifier.toUpperCase();
    const { personId } = await breakTheGlass(ctx, { ...form, identifier });
    ctx.flash(
      `You have opened a restricted record. Your reason has been recorded and the record's managers will review it. Access ends in ${BREAK_GLASS_HOURS} hours.`,
    );
    return pathTo('/people/:personId', { personId });
  },
});

export const breakGlassReviewsPage = definePage({
  path: breakGlassReviewsPath,
  view: 'record-access/views/break-glass-reviews.njk',
  access: 'record:restrict',
  title: 'Restricted records opened by breaking the glass',
  query: pageQuery.extend({ show: z.enum(['unreviewed', 'all']).catch('unreviewed').default('unreviewed') }),
  load: async (ctx) => {
    const { rows, total } = await breakGlassForReview(ctx, {
      includeAcknowledged: ctx.query.show === 'all',
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      entries: rows,
      total,
      show: ctx.query.show,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

export const breakGlassReviewPage = definePage({
  path: '/record-access/break-glass-reviews/:breakGlassId',
  view: 'record-access/views/break-glass-review.njk',
  access: 'record:restrict',
  title: 'Review a break-glass access',
  params: z.object({ breakGlassId: z.uuid() }),
  drafts: false,
  form: z.object({ note: optionalText(1000, 'Note must be 1,000 characters or fewer') }),
  load: async (ctx) => {
    const entry = await findBreakGlass(ctx, ctx.params.breakGlassId);
    return { entry, today: todayIn(ctx.services.clock) };
  },
  submit: async (ctx, form) => {
    await acknowledgeBreakGlass(ctx, { breakGlassId: ctx.params.breakGlassId, note: form.note ?? '' });
    ctx.flash('Marked as reviewed');
    return breakGlassReviewsPath;
  },
});

export const recordAccessPages = [
  accessLogPage,
  restrictionPage,
  newGrantPage,
  revokeGrantPage,
  breakGlassPage,
  breakGlassReviewsPage,
  breakGlassReviewPage,
];
