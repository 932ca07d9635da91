/**
 * Role → permission map. Permissions are '<resource>:<verb>'. A user may hold several roles; their
 * permissions are the union. Record-level rules (allocation, management line, restriction, grants) are a
 * second layer: see record-access.ts.
 */

export const PERMISSIONS = [
  // The child's record and people
  'person:search',
  'person:create',
  'person:merge',
  'child:read',
  'child:write',
  'case-note:write',
  'document:upload',
  'document:read',
  'record:restrict',
  'record-access:view',
  'grant:manage',
  'break-glass:use',
  // Front door
  'contact:create',
  'contact:read',
  'contact:screen',
  'contact:decide',
  'contact:authorise',
  'referral:submit',
  'information-request:create',
  'information-request:respond',
  'mash-meeting:manage',
  // Early help, social care, workforce
  'early-help:read',
  'early-help:write',
  'early-help:oversee',
  'social-care:read',
  'social-care:write',
  'social-care:authorise',
  'allocation:manage',
  'supervision:record',
  'caseload:view',
  'workforce:view',
  // Quality assurance and performance
  'case-audit:conduct',
  'case-audit:moderate',
  'feedback:record',
  'reports:view',
  'returns:produce',
  'data:export',
  /** The authority's targets for the performance measures (service managers and administrators). */
  'targets:set',
  // Administration
  'users:manage',
  'organisation:manage',
  'reference-data:manage',
  'audit-trail:search',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'partner-agency-user',
  'early-help-practitioner',
  'partner-lead-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
  'performance-analyst',
  'system-administrator',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  'contact-officer': 'Contact officer (single point of access)',
  'mash-practitioner': 'MASH practitioner',
  'mash-manager': 'MASH manager',
  'partner-agency-user': 'Partner agency user',
  'early-help-practitioner': 'Early help practitioner',
  'partner-lead-practitioner': 'Lead practitioner in a partner agency',
  'social-worker': 'Social worker',
  'team-manager': 'Team manager',
  'service-manager': 'Service manager or head of service',
  'principal-social-worker': 'Principal social worker',
  'qa-officer': 'Quality assurance officer',
  'performance-analyst': 'Performance analyst',
  'system-administrator': 'System administrator',
};

/** Staff of the local authority's children's services, as opposed to partner agencies and administrators. */
export const CHILDRENS_SERVICES_ROLES: readonly Role[] = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
  'performance-analyst',
];

const practitionerRecord: Permission[] = [
  'person:search',
  'person:create',
  'child:read',
  'child:write',
  'case-note:write',
  'document:upload',
  'document:read',
  'break-glass:use',
];

const managerExtras: Permission[] = [
  'person:merge',
  'record:restrict',
  'record-access:view',
  'grant:manage',
  'allocation:manage',
  'supervision:record',
  'caseload:view',
  'reports:view',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  'contact-officer': [
    'person:search',
    'person:create',
    'child:read',
    'contact:create',
    'contact:read',
    'contact:screen',
  ],
  'mash-practitioner': [
    ...practitionerRecord,
    'contact:create',
    'contact:read',
    'contact:screen',
    'contact:decide',
    'information-request:create',
    'mash-meeting:manage',
    'early-help:read',
    'social-care:read',
  ],
  'mash-manager': [
    ...practitionerRecord,
    ...managerExtras,
    'contact:create',
    'contact:read',
    'contact:screen',
    'contact:decide',
    'contact:authorise',
    'information-request:create',
    'mash-meeting:manage',
    'early-help:read',
    'social-care:read',
  ],
  'partner-agency-user': ['referral:submit', 'information-request:respond'],
  'early-help-practitioner': [...practitionerRecord, 'early-help:read', 'early-help:write', 'contact:read'],
  'partner-lead-practitioner': [
    'referral:submit',
    'information-request:respond',
    'early-help:read',
    'early-help:write',
  ],
  'social-worker': [
    ...practitionerRecord,
    'contact:read',
    'early-help:read',
    'social-care:read',
    'social-care:write',
    'feedback:record',
  ],
  'team-manager': [
    ...practitionerRecord,
    ...managerExtras,
    'contact:read',
    'contact:decide',
    'contact:authorise',
    'early-help:read',
    'early-help:write',
    'early-help:oversee',
    'social-care:read',
    'social-care:write',
    'social-care:authorise',
    'feedback:record',
  ],
  'service-manager': [
    ...practitionerRecord,
    ...managerExtras,
    'contact:read',
    'contact:authorise',
    'early-help:read',
    'early-help:oversee',
    'social-care:read',
    'social-care:authorise',
    'case-audit:conduct',
    'case-audit:moderate',
    'feedback:record',
    'returns:produce',
    'workforce:view',
    'targets:set',
  ],
  'principal-social-worker': [
    'person:search',
    'child:read',
    'document:read',
    'record-access:view',
    'contact:read',
    'early-help:read',
    'social-care:read',
    'caseload:view',
    'workforce:view',
    'case-audit:conduct',
    'case-audit:moderate',
    'feedback:record',
    'reports:view',
  ],
  'qa-officer': [
    'person:search',
    'child:read',
    'document:read',
    'contact:read',
    'early-help:read',
    'social-care:read',
    'case-audit:conduct',
    'case-audit:moderate',
    'feedback:record',
    'reports:view',
  ],
  'performance-analyst': ['reports:view', 'returns:produce', 'data:export', 'caseload:view'],
  'system-administrator': [
    'users:manage',
    'organisation:manage',
    'reference-data:manage',
    'audit-trail:search',
    'targets:set',
  ],
};

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  const set = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) set.add(p);
  return set;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
