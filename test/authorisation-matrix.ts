import type { Role } from '../src/kernel/access/index.ts';

/**
 * The written-down access decision for every page: who may open it (GET), who gets 404 because the record is
 * not theirs, and (implicitly) 403 for every other role. The fixtures (authorisation-matrix.fixtures.ts) give
 * each :param a value: a Richmond child allocated to the demo social worker in the Assessment Team, etc.
 *
 * Adding a page? Add its line here. The matrix test fails until every registered page has one.
 */
export interface PageDecision {
  /** Anyone, signed in or not (checked as a visitor who is not signed in; `status` is what they get). */
  public?: boolean;
  /** Roles that get the page (status 200 unless `status` says otherwise). */
  allowed: Role[] | 'all';
  /** Roles whose permissions allow such pages but not this record: 404, the same as a missing record. */
  notFound?: Role[];
  /** Expected status for allowed roles when not 200 (e.g. a redirect). */
  status?: number;
}

const STAFF_READERS: Role[] = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
];

const BREAK_GLASS: Role[] = ['mash-practitioner', 'mash-manager', 'early-help-practitioner', 'social-worker', 'team-manager', 'service-manager'];

export const MATRIX: Record<string, PageDecision> = {
  // Home and static pages
  '/': { allowed: 'all' },
  '/accessibility': { public: true, allowed: 'all' },
  '/privacy': { public: true, allowed: 'all' },

  // Sign-in (public; signed-in users are sent on)
  '/sign-in': { public: true, allowed: 'all' },
  // Without a sign-in in progress (or OIDC configured) these send the visitor back to /sign-in.
  '/sign-in/two-factor': { public: true, allowed: 'all', status: 303 },
  '/sign-in/set-up-two-factor': { public: true, allowed: 'all', status: 303 },
  '/sign-in/oidc': { public: true, allowed: 'all', status: 303 },
  '/sign-in/oidc/callback': { public: true, allowed: 'all', status: 303 },
  '/sign-out': { public: true, allowed: 'all', status: 303 },
  '/account': { allowed: 'all' },
  '/account/sign-out-everywhere': { allowed: 'all' },

  // Record access (the fixture child is allocated to the social worker in the Assessment Team)
  '/people/:personId/access-log': {
    allowed: ['mash-manager', 'team-manager', 'service-manager', 'principal-social-worker'],
  },
  '/people/:personId/restriction': { allowed: ['team-manager', 'service-manager'], notFound: ['mash-manager'] },
  '/people/:personId/grants/new': { allowed: ['team-manager', 'service-manager'], notFound: ['mash-manager'] },
  '/people/:personId/grants/:grantId/revoke': { allowed: ['team-manager', 'service-manager'], notFound: ['mash-manager'] },
  '/people/break-glass': { allowed: BREAK_GLASS },
  '/record-access/break-glass-reviews': { allowed: ['mash-manager', 'team-manager', 'service-manager'] },
  '/record-access/break-glass-reviews/:breakGlassId': { allowed: ['team-manager', 'service-manager'], notFound: ['mash-manager'] },
};

export { STAFF_READERS };
