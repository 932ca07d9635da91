import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { personalSupervisionChangeForm, personalSupervisionForm } from './supervision.schemas.ts';
import { canUseSupervision } from './supervision.service.ts';
import {
  changePersonalSupervision,
  loadPersonalSupervision,
  PERSONAL_PAGE_SIZE,
  personalSuperviseeChoices,
  personalSupervisionRecords,
  recordPersonalSupervision,
} from './supervision-personal.service.ts';

/**
 * Personal supervision: the list of the user's own records (as worker or supervisor), a new record, and a record
 * (read by the worker; the supervisor changes it, versioned). Nothing here touches a child's record.
 */

const record = (id: string) => `/supervision/personal/${id}`;

const dateFields = (iso: string) => {
  const [year, month, day] = iso.split('-');
  return { 'heldOn-day': String(Number(day)), 'heldOn-month': String(Number(month)), 'heldOn-year': year };
};

export const personalSupervisionListPage = definePage({
  path: '/supervision/personal',
  view: 'workforce/views/personal-list.njk',
  access: 'signed-in',
  title: 'Personal supervision',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) }),
  audit: { action: 'personal-supervision-list.viewed', subjectType: 'personal-supervision' },
  load: async (ctx) => {
    if (!canUseSupervision(ctx.user)) throw new AccessDeniedError('supervision:record');
    const data = await personalSupervisionRecords(ctx, { page: ctx.query.page });
    const pages = Math.max(1, Math.ceil(data.total / PERSONAL_PAGE_SIZE));
    return {
      canRecord: ctx.user.permissions.has('supervision:record'),
      records: data.rows.map((r) => ({ ...r, href: record(r.id) })),
      total: data.total,
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
    };
  },
});

export const newPersonalSupervisionPage = definePage({
  path: '/supervision/personal/new',
  view: 'workforce/views/personal-form.njk',
  access: 'supervision:record',
  title: 'Record personal supervision',
  form: ({ today }) => personalSupervisionForm(today),
  load: async (ctx) => ({
    isNew: true,
    supervisees: (await personalSuperviseeChoices(ctx)).map((s) => ({
      value: s.id,
      text: `${s.displayName} (${s.teamName})`,
    })),
  }),
  submit: async (ctx, form) => {
    const id = await recordPersonalSupervision(ctx, { ...form, heldOn: form.heldOn! });
    ctx.flash('Personal supervision recorded: only you and the worker can see it');
    return record(id);
  },
});

export const personalSupervisionPage = definePage({
  path: '/supervision/personal/:personalId',
  view: 'workforce/views/personal-form.njk',
  access: 'signed-in',
  title: (d: { record: { superviseeName: string; heldOn: string } }) =>
    `Personal supervision with ${d.record.superviseeName}, ${formatDateGovUk(d.record.heldOn)}`,
  params: z.object({ personalId: uuidParam }),
  form: ({ today }) => personalSupervisionChangeForm(today),
  audit: {
    action: 'personal-supervision.viewed',
    subjectType: 'personal-supervision',
    subject: (ctx) => ({ subjectId: ctx.params.personalId }),
  },
  load: async (ctx) => {
    const r = await loadPersonalSupervision(ctx, ctx.params.personalId);
    return {
      isNew: false,
      record: r,
      saved: {
        ...dateFields(r.heldOn),
        wellbeing: r.wellbeing ?? '',
        workload: r.workload ?? '',
        development: r.development ?? '',
        agreed: r.agreed ?? '',
        version: String(r.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await changePersonalSupervision(ctx, { ...form, heldOn: form.heldOn!, id: ctx.params.personalId });
    ctx.flash('Personal supervision saved');
    return record(ctx.params.personalId);
  },
});

export const personalSupervisionPages = [
  personalSupervisionListPage,
  newPersonalSupervisionPage,
  personalSupervisionPage,
];
