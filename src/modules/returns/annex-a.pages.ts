import { z } from 'zod';
import {
  dateToParts,
  EVEN_WITH_FIELD_ERRORS,
  govukDate,
  optionalChoice,
  choice,
} from '../../kernel/forms/fields.ts';
import { differenceInCalendarDays, formatDateGovUk, isIsoDate, isoDateOf } from '../../kernel/time/index.ts';
import { definePage, FileResponse, redirectTo, type PageDefinition } from '../../web/page.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { pathTo } from '../../web/paths.ts';
import { ANNEX_A_LISTS } from './annex-a.ts';
import {
  ANNEX_A_FORMATS,
  annexAAuthorities,
  defaultAnnexAWindow,
  fileChunks,
  MAX_WINDOW_DAYS,
  produceAnnexA,
} from './annex-a.service.ts';

/**
 * Ofsted's Annex A (permission returns:produce: performance analysts and service managers). The page asks for the
 * window (by default the six months before today), the format (the workbook, the inspection pack, or one list as
 * CSV) and, for someone who works for several authorities, which one; the download page produces the file, records
 * the download in the audit trail and sends it. Works without JavaScript: a POST validates and sends the browser to
 * the download.
 */

export const ANNEX_A_PATHS = {
  form: '/reports/returns/annex-a',
  download: '/reports/returns/annex-a/download',
} as const;

const LIST_VALUES = ANNEX_A_LISTS.map((l) => String(l.number)) as [string, ...string[]];

const annexAForm = (today: string) =>
  z
    .object({
      from: govukDate({ label: 'Start date', required: true, when: 'past', today: () => today }),
      to: govukDate({ label: 'End date', required: true, when: 'past', today: () => today }),
      format: choice(ANNEX_A_FORMATS, 'Select what to download'),
      list: optionalChoice(LIST_VALUES, 'Select the list to download as CSV'),
      la: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v) || undefined,
        z.uuid({ message: 'Select a local authority from the list' }).optional(),
      ),
    })
    .superRefine((v, ctx) => {
      // Runs even when a date was refused, so it sees whatever was sent: compare only two real dates.
      const { from, to } = v;
      const dates = isIsoDate(from) && isIsoDate(to);
      if (dates && from > to)
        ctx.addIssue({
          code: 'custom',
          path: ['to', 'day'],
          message: 'The end date must be the same as or after the start date',
        });
      if (dates && differenceInCalendarDays(from, to) > MAX_WINDOW_DAYS)
        ctx.addIssue({ code: 'custom', path: ['to', 'day'], message: 'Choose a period of 5 years or less' });
      if (v.format === 'csv' && !v.list)
        ctx.addIssue({ code: 'custom', path: ['list'], message: 'Select the list to download as CSV' });
    }, EVEN_WITH_FIELD_ERRORS);

export const annexAPage = definePage({
  path: ANNEX_A_PATHS.form,
  view: 'returns/views/annex-a/annex-a.njk',
  access: 'returns:produce',
  title: 'Ofsted Annex A',
  drafts: false,
  form: ({ today }) => annexAForm(today),
  load: async (ctx) => {
    const today = isoDateOf(ctx.now);
    const window = defaultAnnexAWindow(today);
    const authorities = await annexAAuthorities(ctx);
    return {
      defaultWindowText: `${formatDateGovUk(window.from)} to ${formatDateGovUk(window.to)}`,
      saved: { ...dateToParts('from', window.from), ...dateToParts('to', window.to), format: 'xlsx' },
      lists: ANNEX_A_LISTS.map((l) => ({
        value: String(l.number),
        text: `List ${l.number}: ${l.title}${l.held ? '' : ' (headers only: not held in Threshold)'}`,
      })),
      authorities:
        authorities.length > 1
          ? authorities.map((a) => ({ value: a.id, text: `${a.name} (${a.laCode})` }))
          : [],
    };
  },
  submit: async (ctx, form) => {
    if (form.la && !ctx.user.localAuthorityIds.includes(form.la))
      return { errors: [fieldError('la', 'Select a local authority from the list')] };
    return pathTo(
      ANNEX_A_PATHS.download,
      {},
      {
        from: form.from,
        to: form.to,
        format: form.format,
        list: form.format === 'csv' ? form.list : undefined,
        la: form.la,
      },
    );
  },
});

const isoDateQuery = z.string().refine(isIsoDate).optional().catch(undefined);

export const annexADownloadPage = definePage({
  path: ANNEX_A_PATHS.download,
  view: 'returns/views/annex-a/annex-a.njk',
  access: 'returns:produce',
  title: 'Ofsted Annex A',
  query: z.object({
    from: isoDateQuery,
    to: isoDateQuery,
    format: z.enum(ANNEX_A_FORMATS).optional().catch(undefined),
    list: z.coerce.number().int().min(1).max(11).optional().catch(undefined),
    la: z.uuid().optional().catch(undefined),
  }),
  load: async (ctx) => {
    const q = ctx.query;
    const today = isoDateOf(ctx.now);
    // A download link that was cut short or edited by hand goes back to the form, which says what is needed.
    if (
      !q.from ||
      !q.to ||
      !q.format ||
      q.from > q.to ||
      q.to > today ||
      differenceInCalendarDays(q.from, q.to) > MAX_WINDOW_DAYS ||
      (q.format === 'csv' && !q.list)
    )
      return redirectTo(ANNEX_A_PATHS.form);
    const list = q.list as (typeof ANNEX_A_LISTS)[number]['number'] | undefined;
    const file = await produceAnnexA(ctx, {
      from: q.from,
      to: q.to,
      format: q.format,
      list,
      localAuthorityId: q.la,
    });
    return new FileResponse(file.filename, file.contentType, fileChunks(file));
  },
});

export const annexAPages: PageDefinition[] = [annexAPage, annexADownloadPage];
