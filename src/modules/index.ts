import type { PageDefinition } from '../web/page.ts';
import { adminPages } from './admin/index.ts';
import { earlyHelpPages } from './early-help/index.ts';
import { formTemplatePages } from './form-templates/form-templates.pages.ts';
import { frontDoorPages } from './front-door/index.ts';
import { homePages } from './home/home.pages.ts';
import { identityPages } from './identity/identity.pages.ts';
import { peoplePages } from './people/index.ts';
import { recordAccessPages } from './record-access/record-access.pages.ts';
import { socialCarePages } from './social-care/index.ts';

/** Every page of every module, registered by buildApp and checked by the authorisation-matrix test. */
export const allPages: PageDefinition[] = [
  ...homePages,
  ...identityPages,
  ...recordAccessPages,
  ...adminPages,
  ...formTemplatePages,
  ...peoplePages,
  ...frontDoorPages,
  ...earlyHelpPages,
  ...socialCarePages,
];
