import type { CurrentUser, Permission, Role } from '../../kernel/access/index.ts';

/**
 * What each role starts its day with. The home page shows a role's primary actions as buttons above the
 * worktray (so a role whose worktray is empty still has somewhere to begin: a contact officer records a
 * contact, a partner refers a child, a manager opens their team's work) and lists the rest of what the user
 * can do beside it. Every action needs its permission: a role never sees a way in it could not use.
 */
export interface StartAction {
  href: string;
  text: string;
  /** One line saying what is there. */
  hint: string;
}

const ACTIONS = {
  recordContact: {
    needs: 'contact:create',
    href: '/front-door/contacts/new',
    text: 'Record a contact',
    hint: 'A call, email or visit about a child, to the single point of access',
  },
  openContacts: {
    needs: 'contact:read',
    href: '/front-door',
    text: 'Open contacts',
    hint: 'Contacts waiting for screening, a decision or authorisation, soonest due first',
  },
  authorise: {
    needs: 'contact:authorise',
    href: '/front-door?status=awaiting-authorisation',
    text: 'Decisions to authorise',
    hint: 'Threshold decisions waiting for a manager',
  },
  refer: {
    needs: 'referral:submit',
    href: '/referrals/new',
    text: 'Refer a child',
    hint: "Tell the council's front door about a child you are worried about",
  },
  referrals: {
    needs: 'referral:submit',
    href: '/referrals',
    text: 'Your referrals',
    hint: 'What happened to the referrals you made',
  },
  informationRequests: {
    needs: 'information-request:respond',
    href: '/information-requests',
    text: 'Answer information requests',
    hint: 'What the multi-agency safeguarding hub has asked your agency',
  },
  myFamilies: {
    needs: 'early-help:write',
    href: '/early-help',
    text: 'Your early help families',
    hint: 'Families you lead or support',
  },
  teamFamilies: {
    needs: 'early-help:read',
    href: '/early-help?view=team',
    text: "Your team's early help families",
    hint: 'Every family your teams work with, with the lead practitioner named',
  },
  myChildren: {
    needs: 'social-care:write',
    href: '/social-care',
    text: 'Your children',
    hint: 'Children in need and child protection work allocated to you',
  },
  teamChildren: {
    needs: 'social-care:read',
    href: '/social-care?show=team',
    text: "Your team's children",
    hint: "Children in need and child protection work in your teams, with each child's worker",
  },
  supervision: {
    needs: 'supervision:record',
    href: '/supervision',
    text: 'Case supervision',
    hint: 'Who you supervise, when each is due, and the records of past sessions',
  },
  caseAudits: {
    needs: 'case-audit:conduct',
    href: '/case-audits',
    text: 'Case audits',
    hint: 'Your audits due, and the practice and thematic audit programmes',
  },
  findPerson: {
    needs: 'person:search',
    href: '/people',
    text: 'Find a child or adult',
    hint: 'Search by name, date of birth or number',
  },
  performance: {
    needs: 'reports:view',
    href: '/performance',
    text: 'Performance',
    hint: 'Referrals, assessments, child protection, reviews and closures: the measures leaders and Ofsted use',
  },
  frontDoorPerformance: {
    needs: 'reports:view',
    href: '/front-door/performance',
    text: 'Front-door performance',
    hint: 'Timeliness, outcomes, repeat contacts and consistency of decisions',
  },
  workforce: {
    needs: 'workforce:view',
    href: '/workforce',
    text: 'Workforce',
    hint: 'Stability, caseloads, supervision, ASYE, registrations and training in your teams',
  },
  earlyHelpImpact: {
    needs: 'early-help:oversee',
    href: '/early-help/impact',
    text: 'Early help impact',
    hint: "Whether families' scores improved, with the children behind each figure",
  },
  returns: {
    needs: 'returns:produce',
    href: '/reports/returns',
    text: 'Statutory returns',
    hint: "The children in need census and Ofsted's Annex A, checked as work is recorded",
  },
  breakGlass: {
    needs: 'break-glass:use',
    href: '/people/break-glass',
    text: 'Open a restricted record',
    hint: 'With a reason, reviewed afterwards',
  },
  breakGlassReviews: {
    needs: 'record:restrict',
    href: '/record-access/break-glass-reviews',
    text: 'Review break-glass access',
    hint: 'Who opened a restricted record, and why',
  },
  admin: {
    needs: 'users:manage',
    href: '/admin',
    text: 'Administration',
    hint: 'Users, teams, agencies and settings',
  },
  auditTrail: {
    needs: 'audit-trail:search',
    href: '/admin/audit-trail',
    text: 'Search the audit trail',
    hint: 'Who saw and changed what',
  },
} as const satisfies Record<string, StartAction & { needs: Permission }>;

type ActionId = keyof typeof ACTIONS;

/** Each role's first actions, most used first (the worktray below holds what is due). */
export const ROLE_PRIMARY_ACTIONS: Record<Role, readonly ActionId[]> = {
  'contact-officer': ['recordContact', 'openContacts'],
  'mash-practitioner': ['openContacts', 'recordContact'],
  'mash-manager': ['authorise', 'openContacts'],
  'partner-agency-user': ['refer', 'informationRequests'],
  'early-help-practitioner': ['myFamilies', 'findPerson'],
  'partner-lead-practitioner': ['myFamilies', 'refer'],
  'social-worker': ['myChildren', 'findPerson'],
  'team-manager': ['teamChildren', 'teamFamilies'],
  'service-manager': ['performance', 'workforce'],
  'principal-social-worker': ['caseAudits', 'workforce'],
  'qa-officer': ['caseAudits', 'findPerson'],
  'performance-analyst': ['performance', 'returns'],
  'system-administrator': ['admin', 'auditTrail'],
};

/** The order of everything else a user can do. */
const ALL_ACTIONS = Object.keys(ACTIONS) as ActionId[];

const MAX_PRIMARY = 2;

/**
 * The home page's actions for this user: the primary actions of their roles (in role order, at most two, only
 * those their permissions allow), then every other action they can take, each link once.
 */
export function startActions(user: Pick<CurrentUser, 'roles' | 'permissions'>): {
  primary: StartAction[];
  more: StartAction[];
} {
  const allowed = (id: ActionId) => user.permissions.has(ACTIONS[id].needs);
  const primaryIds: ActionId[] = [];
  for (const role of user.roles)
    for (const id of ROLE_PRIMARY_ACTIONS[role])
      if (primaryIds.length < MAX_PRIMARY && allowed(id) && !primaryIds.includes(id)) primaryIds.push(id);
  const shown = (id: ActionId): StartAction => {
    const { href, text, hint } = ACTIONS[id];
    return { href, text, hint };
  };
  return {
    primary: primaryIds.map(shown),
    more: ALL_ACTIONS.filter((id) => allowed(id) && !primaryIds.includes(id)).map(shown),
  };
}
