import { z } from 'zod';
import { integer, recordVersion } from '../../kernel/forms/fields.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage } from '../../web/page.ts';
import { TARGET_RANGE, TARGETABLE_MEASURES, TOLERANCE_RANGE, type MeasureTarget } from './targets.ts';
import { saveTargets, targetAuthorities, targetsOf } from './targets.service.ts';

/**
 * /performance/targets: the authority's target for each rate measure, with its amber tolerance (targets:set:
 * service managers and administrators). The dashboard and the home pages show red, amber or green against them.
 */

export const TARGETS_PATH = '/performance/targets';

const targetField = (title: string) => integer({ label: `Target for ${title}`, ...TARGET_RANGE });
const toleranceField = (title: string) =>
  integer({ label: `Amber tolerance for ${title}`, ...TOLERANCE_RANGE });

const targetsForm = z.object({
  localAuthorityId: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v) || undefined,
    z.uuid({ message: 'Select the local authority' }),
  ),
  version: recordVersion(0),
  ...Object.fromEntries(
    TARGETABLE_MEASURES.flatMap((m) => [
      [`target-${m.id}`, targetField(m.title)],
      [`tolerance-${m.id}`, toleranceField(m.title)],
    ]),
  ),
});

export const targetsPage = definePage({
  path: TARGETS_PATH,
  view: 'performance/views/targets.njk',
  access: 'targets:set',
  title: 'Performance targets',
  labels: Object.fromEntries(
    TARGETABLE_MEASURES.flatMap((m) => [
      [`target-${m.id}`, `Target for ${m.title}`],
      [`tolerance-${m.id}`, `Amber tolerance for ${m.title}`],
    ]),
  ),
  audit: {
    action: 'performance-targets.viewed',
    subjectType: 'local-authority',
    subject: (_ctx, d: { la: { id: string } }) => ({ subjectId: d.la.id }),
  },
  form: targetsForm,
  load: async (ctx) => {
    const las = await targetAuthorities(ctx);
    const la = las.find((l) => l.id === ctx.user.localAuthorityId) ?? las[0];
    if (!la) return { la: { id: '', name: 'No authority' }, measures: [], saved: {}, updatedAt: null };
    const record = await targetsOf(ctx, la.id);
    return {
      la,
      measures: TARGETABLE_MEASURES.map((m) => ({
        id: m.id,
        title: m.title,
        direction: m.higherIsBetter ? 'Higher is better' : 'Lower is better',
      })),
      saved: {
        version: String(record.version),
        ...Object.fromEntries(
          TARGETABLE_MEASURES.flatMap((m) => {
            const t = record.targets[m.id];
            return [
              [`target-${m.id}`, t ? String(t.target) : ''],
              [`tolerance-${m.id}`, t ? String(t.tolerance) : ''],
            ];
          }),
        ),
      },
      updatedAt: record.updatedAt,
      updatedByName: record.updatedByName,
      range: { target: TARGET_RANGE, tolerance: TOLERANCE_RANGE },
    };
  },
  submit: async (ctx, form) => {
    const values = form as unknown as Record<string, number | undefined>;
    const targets: Record<string, MeasureTarget> = {};
    const errors = [];
    for (const m of TARGETABLE_MEASURES) {
      const target = values[`target-${m.id}`];
      const tolerance = values[`tolerance-${m.id}`];
      if (target === undefined && tolerance !== undefined)
        errors.push(
          fieldError(`target-${m.id}`, `Enter a target for ${m.title}, or clear its amber tolerance`),
        );
      if (target !== undefined) targets[m.id] = { target, tolerance: tolerance ?? 0 };
    }
    if (errors.length) return { errors };
    const { changed } = await saveTargets(ctx, {
      localAuthorityId: form.localAuthorityId,
      version: form.version,
      targets,
    });
    ctx.flash(changed.length ? 'The targets have been saved' : 'Nothing was changed');
    return TARGETS_PATH;
  },
});
