import { z } from 'zod';
import { definePage } from '../../web/page.ts';
import { optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { pathTo } from '../../web/paths.ts';
import { answersToValues } from '../../kernel/forms-as-data/answers.ts';
import {
  currentTemplate,
  listTemplates,
  publishTemplateVersion,
  templateVersion,
} from './form-templates.service.ts';

const listPath = '/admin/form-templates';
const versionPath = '/admin/form-templates/:key/versions/:version';
const newVersionPath = '/admin/form-templates/:key/new-version';
const keyParam = z.string().regex(/^[a-z][a-z0-9-]{1,60}$/);

export const formTemplatesPage = definePage({
  path: listPath,
  view: 'form-templates/views/list.njk',
  access: 'reference-data:manage',
  title: 'Form templates',
  load: async (ctx) => {
    const rows = await listTemplates(ctx.db);
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    return {
      templates: [...byKey.entries()].map(([key, versions]) => ({
        key,
        title: versions[0]!.title,
        versions,
      })),
    };
  },
});

export const formTemplateVersionPage = definePage({
  path: versionPath,
  view: 'form-templates/views/version.njk',
  access: 'reference-data:manage',
  title: (data: { stored: { template: { title: string }; version: number } }) =>
    `${data.stored.template.title} (version ${data.stored.version})`,
  params: z.object({ key: keyParam, version: z.coerce.number().int().min(1) }),
  load: async (ctx) => {
    const stored = await templateVersion(ctx.db, ctx.params.key, ctx.params.version);
    return {
      stored,
      template: stored.template,
      previewValues: answersToValues(stored.template, {}),
      definitionJson: JSON.stringify(stored.template, null, 2),
    };
  },
});

export const newTemplateVersionPage = definePage({
  path: newVersionPath,
  view: 'form-templates/views/new-version.njk',
  access: 'reference-data:manage',
  title: 'Publish a new version',
  params: z.object({ key: keyParam }),
  drafts: true,
  form: z.object({
    definitionJson: requiredText(
      'Enter the template definition',
      500_000,
      'The definition must be 500,000 characters or fewer',
    ),
    notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
  }),
  load: async (ctx) => {
    const current = await currentTemplate(ctx.db, ctx.params.key);
    return { current, currentJson: JSON.stringify(current.template, null, 2) };
  },
  submit: async (ctx, form) => {
    const stored = await publishTemplateVersion(ctx, { key: ctx.params.key, ...form });
    ctx.flash(
      `Version ${stored.version} of ${stored.template.title} is published. New records use it from now on.`,
    );
    return pathTo(versionPath, { key: stored.key, version: String(stored.version) });
  },
});

export const formTemplatePages = [formTemplatesPage, formTemplateVersionPage, newTemplateVersionPage];
