/** The documents module's URLs. */
export const DOCUMENTS_PATHS = {
  templates: '/admin/letter-templates',
  template: '/admin/letter-templates/:kind',
  settings: '/admin/letter-settings',
  letter: '/letters/:kind/:sourceType/:sourceId',
} as const;

export const letterTemplatePath = (kind: string) => `/admin/letter-templates/${kind}`;

/** The letter of a kind about an event (a contact, a conference, a plan …): preview, edit, produce. */
export const letterPath = (kind: string, sourceType: string, sourceId: string) =>
  `/letters/${kind}/${sourceType}/${sourceId}`;
