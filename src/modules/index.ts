import type { PageDefinition } from '../web/page.ts';
import { adminPages } from './admin/index.ts';
import { earlyHelpPages } from './early-help/index.ts';
import { formTemplatePages } from './form-templates/index.ts';
import { frontDoorPages } from './front-door/index.ts';
import { homePages } from './home/index.ts';
import { identityPages } from './identity/index.ts';
import { peoplePages } from './people/index.ts';
import { recordAccessPages } from './record-access/index.ts';
import { returnsPages } from './returns/index.ts';
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
  ...returnsPages,
];
