import { z } from 'zod';
import { AccessDeniedError, NotFoundError } from '../../kernel/errors.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { integer, optionalText, recordVersion } from '../../kernel/forms/fields.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { PATHS } from './pages-common.ts';
import {
  addDirectWorkTool,
  allDirectWorkTools,
  canManageSettings,
  reinstateDirectWorkTool,
  retireDirectWorkTool,
  saveSocialCareSettings,
  SETTING_RANGES,
  settingsAuthorities,
  settingsFor,
} from './settings.service.ts';
import { DEFAULT_SETTINGS } from './social-care.ts';

/**
 * /social-care/settings: an authority's CIN plan review interval and statutory visit intervals; and
 * /social-care/settings/direct-work-tools: the tools offered when recording direct work (added and retired).
 * For social care managers ('social-care:authorise', their own authorities) and reference data managers
 * ('reference-data:manage', every authority), so the pages are open to signed-in users and check either.
 */

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

function requireManagerPage(ctx: PageContext<unknown, unknown>): void {
  if (!canManageSettings(ctx.user)) throw new AccessDeniedError('social-care:authorise');
}

const number = (label: string, field: keyof typeof SETTING_RANGES, required: string) =>
  integer({ label, required, ...SETTING_RANGES[field] });

export const socialCareSettingsPage = definePage({
  path: PATHS.settings,
  view: 'social-care/views/settings.njk',
  access: 'signed-in',
  title: (d: { la: { name: string } }) => `Social care settings: ${d.la.name}`,
  query: z.object({ la: z.uuid().optional().catch(undefined) }),
  // The conflict page (409) names what someone else changed as the form does.
  labels: {
    cinReviewIntervalWeeks: 'Weeks between child in need plan reviews',
    cinVisitIntervalWorkingDays: 'Working days between statutory visits to a child in need',
    cpVisitIntervalWorkingDays: 'Working days between statutory visits to a child on a child protection plan',
  },
  audit: {
    action: 'social-care-settings.viewed',
    subjectType: 'local-authority',
    subject: (_ctx, d: { la: { id: string; name: string } }) => ({ subjectId: d.la.id }),
  },
  form: z.object({
    localAuthorityId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the local authority' }),
    ),
    cinReviewIntervalWeeks: number(
      'Weeks between child in need plan reviews',
      'cinReviewIntervalWeeks',
      'Enter the number of weeks between child in need plan reviews',
    ),
    cinVisitIntervalWorkingDays: number(
      'Working days between child in need visits',
      'cinVisitIntervalWorkingDays',
      'Enter the number of working days between child in need visits',
    ),
    cpVisitIntervalWorkingDays: number(
      'Working days between child protection visits',
      'cpVisitIntervalWorkingDays',
      'Enter the number of working days between child protection visits',
    ),
    // The version the page was shown with (0 while on the defaults): a stale page is a 409.
    version: recordVersion(0),
  }),
  load: async (ctx) => {
    requireManagerPage(ctx);
    const las = await settingsAuthorities(ctx);
    const la =
      las.find((l) => l.id === ctx.query.la) ?? las.find((l) => l.id === ctx.user.localAuthorityId) ?? las[0];
    if (!la) throw new NotFoundError();
    const { settings, updatedAt, updatedByName, version } = await settingsFor(ctx.db, la.id);
    const tools = await allDirectWorkTools(ctx.db, la.id, todayIn(ctx.services.clock));
    return {
      la,
      authorities: las.map((l) => ({ ...l, href: `${PATHS.settings}?la=${l.id}`, current: l.id === la.id })),
      ranges: SETTING_RANGES,
      defaults: DEFAULT_SETTINGS,
      saved: {
        localAuthorityId: la.id,
        cinReviewIntervalWeeks: String(settings.cinReviewIntervalWeeks),
        cinVisitIntervalWorkingDays: String(settings.cinVisitIntervalWorkingDays),
        cpVisitIntervalWorkingDays: String(settings.cpVisitIntervalWorkingDays),
        version: String(version),
      },
      updatedAt,
      updatedByName,
      toolsInUse: tools.filter((t) => !t.retired),
      retiredTools: tools.filter((t) => t.retired).length,
      toolsHref: `${PATHS.directWorkTools}?la=${la.id}`,
    };
  },
  submit: async (ctx, form) => {
    requireManagerPage(ctx);
    if (form.cpVisitIntervalWorkingDays! > form.cinVisitIntervalWorkingDays!)
      return {
        errors: [
          fieldError(
            'cpVisitIntervalWorkingDays',
            'Child protection visits must be at least as frequent as child in need visits: enter no more working days than for child in need visits',
          ),
        ],
      };
    const { changed } = await saveSocialCareSettings(ctx, {
      localAuthorityId: form.localAuthorityId,
      cinReviewIntervalWeeks: form.cinReviewIntervalWeeks!,
      cinVisitIntervalWorkingDays: form.cinVisitIntervalWorkingDays!,
      cpVisitIntervalWorkingDays: form.cpVisitIntervalWorkingDays!,
      version: form.version,
    });
    ctx.flash(
      changed.length
        ? 'The social care settings have been saved. Plans started and visits recorded from now on use them.'
        : 'Nothing was changed',
    );
    return `${PATHS.settings}?la=${form.localAuthorityId}`;
  },
});

export const directWorkToolsPage = definePage({
  path: PATHS.directWorkTools,
  view: 'social-care/views/direct-work-tools.njk',
  access: 'signed-in',
  title: (d: { la: { name: string } }) => `Direct-work tools: ${d.la.name}`,
  query: z.object({ la: z.uuid().optional().catch(undefined) }),
  audit: {
    action: 'direct-work-tools.viewed',
    subjectType: 'local-authority',
    subject: (_ctx, d: { la: { id: string; name: string } }) => ({ subjectId: d.la.id }),
  },
  form: z.object({
    localAuthorityId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the local authority' }),
    ),
    intent: z.preprocess(
      (v) => first(v) ?? 'add',
      z.enum(['add', 'retire', 'reinstate'], { message: 'Choose what to do' }),
    ),
    code: z.preprocess((v) => first(v) || undefined, z.string().max(60).optional()),
    label: optionalText(100, 'The name of the tool must be 100 characters or fewer'),
    description: optionalText(300, 'The description must be 300 characters or fewer'),
  }),
  load: async (ctx) => {
    requireManagerPage(ctx);
    const las = await settingsAuthorities(ctx);
    const la =
      las.find((l) => l.id === ctx.query.la) ?? las.find((l) => l.id === ctx.user.localAuthorityId) ?? las[0];
    if (!la) throw new NotFoundError();
    const tools = await allDirectWorkTools(ctx.db, la.id, todayIn(ctx.services.clock));
    return {
      la,
      tools,
      authorities: las.map((l) => ({
        ...l,
        href: `${PATHS.directWorkTools}?la=${l.id}`,
        current: l.id === la.id,
      })),
      backHref: `${PATHS.settings}?la=${la.id}`,
    };
  },
  submit: async (ctx, form) => {
    requireManagerPage(ctx);
    if (form.intent === 'add') {
      if (!form.label) return { errors: [fieldError('label', 'Enter the name of the tool')] };
      await addDirectWorkTool(ctx, {
        localAuthorityId: form.localAuthorityId,
        label: form.label,
        description: form.description,
      });
      ctx.flash(`${form.label} has been added: workers can choose it when they record direct work`);
      return `${PATHS.directWorkTools}?la=${form.localAuthorityId}`;
    }
    if (!form.code) return { errors: [fieldError('tools', 'Choose a tool from the list', '#tools')] };
    if (form.intent === 'retire') {
      const tool = await retireDirectWorkTool(ctx, form.localAuthorityId, form.code);
      ctx.flash(
        `${tool.label} has been retired: it is no longer offered, and sessions that used it still show it`,
      );
    } else {
      const tool = await reinstateDirectWorkTool(ctx, form.localAuthorityId, form.code);
      ctx.flash(`${tool.label} is offered again`);
    }
    return `${PATHS.directWorkTools}?la=${form.localAuthorityId}`;
  },
});

export const settingsPages = [socialCareSettingsPage, directWorkToolsPage];
