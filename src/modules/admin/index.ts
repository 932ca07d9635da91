import type { PageDefinition } from '../../web/page.ts';
import { agencyPages } from './agencies.pages.ts';
import { auditTrailPages } from './audit-trail.pages.ts';
import { emailPages } from './emails.pages.ts';
import { grantPages } from './grants.pages.ts';
import { teamPages } from './teams.pages.ts';
import { userActionPages } from './user-actions.pages.ts';
import { userPages } from './users.pages.ts';

/**
 * Administration: users and roles, teams and clusters, partner agencies and local authorities, named
 * grants to restricted records, and the audit trail search. Administrators have no access to children's
 * records: nothing here shows more of a child than their LA child ID.
 */
export const adminPages: PageDefinition[] = [
  ...userPages,
  ...userActionPages,
  ...teamPages,
  ...agencyPages,
  ...grantPages,
  ...auditTrailPages,
  ...emailPages,
];

export { createUser, createUserFromCommandLine, type NewUserInput } from './users.service.ts';
export { seedDemoOrganisation, type SeededOrganisation } from './organisation.seed.ts';
export {
  generateWorkforce,
  loadWorkforce,
  GENERATED_EMAIL_DOMAIN,
  type Workforce,
  type GeneratedTeam,
  type TeamKind,
} from './workforce.generator.ts';
