import { z } from 'zod';
import { optionalText, recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage } from '../../web/page.ts';
import {
  fieldsSchema,
  isLetterKind,
  LETTER_KINDS,
  sampleFieldsFor,
  type LetterKind,
} from './letter-kinds.ts';
import { paragraphs } from './letter-pdf.ts';
import { renderLetter } from './letter-template.ts';
import {
  currentLetterTemplate,
  editProblems,
  letterSettings,
  listLetterTemplates,
  LOGO_LIMIT_BYTES,
  logoProblem,
  removeLetterLogo,
  saveLetterLogo,
  saveLetterSettings,
  saveLetterTemplate,
} from './letter-templates.service.ts';
import { DocumentStore, formatBytes, isUploadedFile } from '../people/index.ts';
import { DOCUMENTS_PATHS, letterTemplatePath } from './paths.ts';

const kindParam = z.object({ kind: z.string().refine(isLetterKind) });

/** A kind's fields as the administrator may write them: `child.firstName`, `plan.goals` (a list) … */
export function fieldNames(kind: LetterKind): string[] {
  const names: string[] = [];
  const walk = (prefix: string, type: z.ZodType) => {
    let t = type;
    while (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
    if (t instanceof z.ZodObject)
      for (const [k, v] of Object.entries(t.shape as Record<string, z.ZodType>))
        walk(prefix ? `${prefix}.${k}` : k, v);
    else names.push(t instanceof z.ZodArray ? `${prefix} (a list)` : prefix);
  };
  walk('', fieldsSchema(kind));
  return names;
}

function preview(kind: LetterKind, template: { subject: string; body: string }) {
  const letter = renderLetter(kind, template, sampleFieldsFor(kind));
  return { subject: letter.subject, paragraphs: paragraphs(letter.body) };
}

export const letterTemplatesPage = definePage({
  path: DOCUMENTS_PATHS.templates,
  view: 'documents/views/templates.njk',
  access: 'reference-data:manage',
  title: 'Letter templates',
  load: async (ctx) => ({ templates: await listLetterTemplates(ctx.db) }),
});

export const letterTemplatePage = definePage({
  path: DOCUMENTS_PATHS.template,
  view: 'documents/views/template.njk',
  access: 'reference-data:manage',
  title: (d: { label: string }) => `Edit the template: ${d.label}`,
  params: kindParam,
  form: z.object({
    basedOnVersion: recordVersion(),
    title: requiredText('Enter the template’s name', 200, 'The name must be 200 characters or fewer'),
    subject: requiredText('Enter the subject line', 500, 'The subject must be 500 characters or fewer'),
    body: requiredText('Enter the letter', 20_000, 'The letter must be 20,000 characters or fewer'),
    notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
    action: z.enum(['preview', 'save']).default('save'),
  }),
  load: async (ctx) => {
    const kind = ctx.params.kind as LetterKind;
    const current = await currentLetterTemplate(ctx.db, kind);
    return {
      kind,
      label: LETTER_KINDS[kind].label,
      current,
      fields: fieldNames(kind),
      saved: {
        basedOnVersion: current.version,
        title: current.title,
        subject: current.subject,
        body: current.body,
      },
      preview: preview(kind, current),
    };
  },
  submit: async (ctx, form) => {
    const kind = ctx.params.kind as LetterKind;
    if (form.action === 'preview') {
      const problems = editProblems({ kind, subject: form.subject, body: form.body });
      if (problems.length)
        return { errors: problems.map((p: BusinessRuleError) => fieldError(p.field, p.message)) };
      return { render: { preview: preview(kind, form), previewOfTyped: true } };
    }
    const saved = await saveLetterTemplate(ctx, { kind, ...form });
    ctx.flash(`Version ${saved.version} of the template is saved. New letters use it from now on.`);
    return letterTemplatePath(kind);
  },
});

/** The letterhead form (text) and the logo form (a file, or taking the logo off) post to the same page. */
const settingsForm = z
  .object({
    action: z.enum(['letterhead', 'logo', 'remove-logo']).catch('letterhead').default('letterhead'),
    version: recordVersion(0),
    name: z.string().trim().max(200, 'The name must be 200 characters or fewer').optional(),
    addressLines: optionalText(1000, 'The address must be 1,000 characters or fewer'),
    signOff: z.string().trim().max(500, 'The sign-off must be 500 characters or fewer').optional(),
    logo: z.unknown().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'letterhead') {
      if (!v.name)
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter the name at the top of letters' });
      if (!v.signOff) ctx.addIssue({ code: 'custom', path: ['signOff'], message: 'Enter the sign-off' });
    }
    if (v.action === 'logo') {
      const problem = logoProblem(isUploadedFile(v.logo) ? v.logo : undefined);
      if (problem) ctx.addIssue({ code: 'custom', path: ['logo'], message: problem });
    }
  })
  .transform((v) => ({ ...v, logo: isUploadedFile(v.logo) ? v.logo : undefined }));

export const letterSettingsPage = definePage({
  path: DOCUMENTS_PATHS.settings,
  view: 'documents/views/settings.njk',
  access: 'reference-data:manage',
  title: 'Letterhead and sign-off',
  form: settingsForm,
  load: async (ctx) => {
    const laId = ctx.user.localAuthorityIds[0];
    const settings = laId ? await letterSettings(ctx.db, laId) : null;
    return {
      settings,
      logo: settings?.logo ? { ...settings.logo, size: formatBytes(settings.logo.sizeBytes) } : null,
      logoLimit: formatBytes(LOGO_LIMIT_BYTES),
      saved: settings
        ? {
            version: settings.version,
            name: settings.name,
            addressLines: settings.addressLines.join('\n'),
            signOff: settings.signOff,
          }
        : {},
    };
  },
  submit: async (ctx, form) => {
    const laId = ctx.user.localAuthorityIds[0];
    const field = form.action === 'letterhead' ? 'name' : 'logo';
    if (!laId) return { errors: [fieldError(field, 'Your account is not linked to an authority')] };
    if (form.action === 'logo') {
      await saveLetterLogo(
        ctx,
        { localAuthorityId: laId, version: form.version, file: form.logo },
        new DocumentStore(ctx.services.config.uploadDir),
      );
      ctx.flash('The logo is saved. Letters produced from now on have it at the top.');
    } else if (form.action === 'remove-logo') {
      await removeLetterLogo(ctx, { localAuthorityId: laId, version: form.version });
      ctx.flash('The logo is taken off. Letters produced from now on have no logo.');
    } else {
      await saveLetterSettings(ctx, {
        localAuthorityId: laId,
        version: form.version,
        name: form.name ?? '',
        addressLines: form.addressLines ?? '',
        signOff: form.signOff ?? '',
      });
      ctx.flash('The letterhead and sign-off are saved. Letters produced from now on use them.');
    }
    return DOCUMENTS_PATHS.settings;
  },
});
