import type { PageDefinition } from '../web/page.ts';
import { homePages } from './home/home.pages.ts';
import { identityPages } from './identity/identity.pages.ts';
import { recordAccessPages } from './record-access/record-access.pages.ts';

/** Every page of every module, registered by buildApp and checked by the authorisation-matrix test. */
export const allPages: PageDefinition[] = [...homePages, ...identityPages, ...recordAccessPages];
