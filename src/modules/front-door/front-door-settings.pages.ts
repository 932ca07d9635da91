import { z } from 'zod';
import { allLocalAuthorities } from './organisation-lookups.service.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { fieldError, type FieldError } from '../../web/forms/errors.ts';
import { checkboxes, integer, optionalText, recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { OUTCOME_LABELS, OUTCOMES, RAG_HINTS } from './contact.ts';
import {
  continuaFor,
  frontDoorSettingsVersion,
  createContinuum,
  getContinuum,
  saveFrontDoorSettings,
  updateContinuum,
} from './front-door-settings.service.ts';
import { continuumFor, frontDoorSettings } from './settings.ts';

/**
 * /admin/front-door-settings (permission reference-data:manage): each authority's RAG timescales and the
 * continuum of need its decisions use; the continua's levels and descriptors, with the threshold document version.
 */

export const SETTINGS_PATHS = {
  settings: '/admin/front-door-settings',
  newContinuum: '/admin/front-door-settings/continua/new',
  continuum: '/admin/front-door-settings/continua/:continuumId',
} as const;

const MAX_LEVELS = 10;
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const hours = (label: string) =>
  integer({ label, required: `Enter the ${label.toLowerCase()}`, min: 1, max: 1000 });

export const frontDoorSettingsPage = definePage({
  path: SETTINGS_PATHS.settings,
  view: 'front-door/views/front-door-settings.njk',
  access: 'reference-data:manage',
  title: (d: { la: { name: string } }) => `Front-door settings: ${d.la.name}`,
  query: z.object({ la: z.uuid().optional().catch(undefined) }),
  audit: { action: 'front-door-settings.viewed', subjectType: 'local-authority' },
  form: z.object({
    localAuthorityId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the local authority' }),
    ),
    ragRedHours: hours('Red timescale'),
    ragAmberHours: hours('Amber timescale'),
    ragGreenHours: hours('Green timescale'),
    continuumId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select a continuum of need' }),
    ),
    // The version the page was shown with (0 while on the defaults): a stale page is a 409.
    version: recordVersion(0),
  }),
  load: async (ctx) => {
    const las = await allLocalAuthorities(ctx);
    const la = las.find((l) => l.id === ctx.query.la) ?? las[0];
    if (!la) throw new NotFoundError();
    const [settings, continua, inUse, row] = [
      await frontDoorSettings(ctx.db, la.id),
      await continuaFor(ctx.db, la.id),
      await continuumFor(ctx.db, la.id),
      await frontDoorSettingsVersion(ctx, la.id),
    ];
    return {
      la,
      authorities: las.map((l) => ({
        ...l,
        href: `${SETTINGS_PATHS.settings}?la=${l.id}`,
        current: l.id === la.id,
      })),
      ragHints: RAG_HINTS,
      continua: continua.map((c) => ({
        ...c,
        href: pathTo(SETTINGS_PATHS.continuum, { continuumId: c.id }),
        inUse: c.id === inUse.id,
      })),
      continuumOptions: continua.map((c) => ({
        value: c.id,
        text: `${c.name} (version ${c.documentVersion})`,
      })),
      inUse,
      saved: {
        localAuthorityId: la.id,
        ragRedHours: String(settings.ragHours.red),
        ragAmberHours: String(settings.ragHours.amber),
        ragGreenHours: String(settings.ragHours.green),
        continuumId: inUse.id,
        version: row ? String(row.version) : '0',
      },
      updatedAt: row?.updatedAt ?? null,
      newContinuumHref: `${SETTINGS_PATHS.newContinuum}?la=${la.id}`,
    };
  },
  submit: async (ctx, form) => {
    const errors: FieldError[] = [];
    if (form.ragAmberHours! < form.ragRedHours!)
      errors.push(fieldError('ragAmberHours', 'The amber timescale must be at least as long as the red one'));
    if (form.ragGreenHours! < form.ragAmberHours!)
      errors.push(
        fieldError('ragGreenHours', 'The green timescale must be at least as long as the amber one'),
      );
    if (errors.length) return { errors };
    const { changed } = await saveFrontDoorSettings(ctx, {
      localAuthorityId: form.localAuthorityId,
      ragHours: { red: form.ragRedHours!, amber: form.ragAmberHours!, green: form.ragGreenHours! },
      continuumId: form.continuumId,
      version: form.version,
    });
    ctx.flash(changed.length ? 'The front-door settings have been saved' : 'Nothing was changed');
    return `${SETTINGS_PATHS.settings}?la=${form.localAuthorityId}`;
  },
});

const levelFields = Object.fromEntries(
  Array.from({ length: MAX_LEVELS }, (_, i) => [
    [`level${i + 1}Label`, optionalText(200, `The label of level ${i + 1} must be 200 characters or fewer`)],
    [
      `level${i + 1}Descriptor`,
      optionalText(4000, `The descriptor of level ${i + 1} must be 4,000 characters or fewer`),
    ],
  ]).flat(),
) as Record<string, ReturnType<typeof optionalText>>;
/** Each level's usual outcomes: a decision with any other outcome asks the worker why. */
const levelOutcomeFields = Object.fromEntries(
  Array.from({ length: MAX_LEVELS }, (_, i) => [`level${i + 1}Outcomes`, checkboxes(OUTCOMES)]),
) as Record<string, ReturnType<typeof checkboxes<typeof OUTCOMES>>>;

const continuumShape = {
  name: requiredText('Enter the name of the continuum', 200, 'The name must be 200 characters or fewer'),
  documentTitle: requiredText(
    'Enter the title of the threshold document',
    300,
    'The title must be 300 characters or fewer',
  ),
  documentVersion: requiredText(
    'Enter the version of the threshold document',
    50,
    'The version must be 50 characters or fewer',
  ),
};

export const continuumPage = definePage({
  path: SETTINGS_PATHS.continuum,
  view: 'front-door/views/threshold-continuum.njk',
  access: 'reference-data:manage',
  title: (d: { continuum: { name: string } }) => `Change ${d.continuum.name}`,
  params: z.object({ continuumId: z.uuid() }),
  audit: {
    action: 'threshold-continuum.viewed',
    subjectType: 'threshold-continuum',
    subject: (ctx) => ({ subjectId: ctx.params.continuumId }),
  },
  form: z.object({
    ...continuumShape,
    ...levelFields,
    ...levelOutcomeFields,
    version: recordVersion(),
  }),
  load: async (ctx) => {
    const continuum = await getContinuum(ctx.db, ctx.params.continuumId);
    return {
      continuum,
      outcomeItems: OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o] })),
      backHref: continuum.localAuthorityId
        ? `${SETTINGS_PATHS.settings}?la=${continuum.localAuthorityId}`
        : SETTINGS_PATHS.settings,
      saved: {
        name: continuum.name,
        documentTitle: continuum.documentTitle,
        documentVersion: continuum.documentVersion,
        version: String(continuum.version),
        ...Object.fromEntries(
          continuum.levels.flatMap((l, i) => [
            [`level${i + 1}Label`, l.label],
            [`level${i + 1}Descriptor`, l.descriptor],
            [`level${i + 1}Outcomes`, l.expectedOutcomes],
          ]),
        ),
      },
    };
  },
  submit: async (ctx, form) => {
    const continuum = await getContinuum(ctx.db, ctx.params.continuumId);
    const raw = form as Record<string, unknown>;
    const errors: FieldError[] = [];
    const levels = continuum.levels.map((l, i) => {
      const label = raw[`level${i + 1}Label`] as string | undefined;
      const descriptor = raw[`level${i + 1}Descriptor`] as string | undefined;
      if (!label) errors.push(fieldError(`level${i + 1}Label`, `Enter the label of level ${i + 1}`));
      if (!descriptor)
        errors.push(
          fieldError(`level${i + 1}Descriptor`, `Enter what level ${i + 1} means (its descriptor)`),
        );
      const expectedOutcomes = (raw[`level${i + 1}Outcomes`] as string[] | undefined) ?? [];
      return { code: l.code, label: label ?? '', descriptor: descriptor ?? '', expectedOutcomes };
    });
    if (errors.length) return { errors };
    const { changed } = await updateContinuum(ctx, {
      continuumId: continuum.id,
      name: form.name,
      documentTitle: form.documentTitle,
      documentVersion: form.documentVersion,
      levels,
      version: form.version,
    });
    ctx.flash(
      changed.length
        ? `${form.name} has been saved (version ${form.documentVersion})`
        : 'Nothing was changed',
    );
    return continuum.localAuthorityId
      ? `${SETTINGS_PATHS.settings}?la=${continuum.localAuthorityId}`
      : SETTINGS_PATHS.settings;
  },
});

export const newContinuumPage = definePage({
  path: SETTINGS_PATHS.newContinuum,
  view: 'front-door/views/threshold-continuum-new.njk',
  access: 'reference-data:manage',
  title: 'Add a continuum of need',
  query: z.object({ la: z.uuid().optional().catch(undefined) }),
  form: z.object({
    localAuthorityId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the local authority' }),
    ),
    basedOnId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the continuum to start from' }),
    ),
    ...continuumShape,
  }),
  load: async (ctx) => {
    const las = await allLocalAuthorities(ctx);
    const la = las.find((l) => l.id === ctx.query.la) ?? las[0];
    if (!la) throw new NotFoundError();
    const continua = await continuaFor(ctx.db, la.id);
    return {
      la,
      backHref: `${SETTINGS_PATHS.settings}?la=${la.id}`,
      authorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
      bases: continua.map((c) => ({ value: c.id, text: `${c.name} (version ${c.documentVersion})` })),
      saved: { localAuthorityId: la.id, basedOnId: continua.find((c) => c.isDefault)?.id ?? '' },
    };
  },
  submit: async (ctx, form) => {
    const { id } = await createContinuum(ctx, form);
    ctx.flash(
      `${form.name} has been added. Change its levels’ descriptors below, then choose it in the settings.`,
    );
    return pathTo(SETTINGS_PATHS.continuum, { continuumId: id });
  },
});

export const frontDoorSettingsPages = [frontDoorSettingsPage, newContinuumPage, continuumPage];
