/**
 * Form templates: assessment, plan and review forms as versioned data (forms as data). Administrators publish new
 * versions without a release; answers keep the version they were written against. The module's only import
 * surface.
 */
export { formTemplatePages } from './form-templates.pages.ts';
export {
  currentTemplate,
  listTemplates,
  publishTemplateVersion,
  templateById,
  templateVersion,
  type StoredTemplate,
} from './form-templates.service.ts';
