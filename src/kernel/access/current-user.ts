import type { Permission, Role } from './permissions.ts';

/** Who is making the request, resolved once per request from the session. */
export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  /** Home local authority (null for a partner-agency user). */
  localAuthorityId: string | null;
  /** Every local authority the user works for. */
  localAuthorityIds: string[];
  /** Of those, the ones whose setting lets children's services staff read unrestricted records. */
  staffReadLocalAuthorityIds: string[];
  teamId: string | null;
  /** Teams the user manages, with every team below them in the hierarchy. */
  managedTeamIds: string[];
  agencyId: string | null;
  /** A partner-agency user: sees only what their agency sent or was asked. */
  isPartner: boolean;
  sessionId: string | null;
}

export function can(user: CurrentUser | null | undefined, permission: Permission): boolean {
  return !!user && user.permissions.has(permission);
}

export function auditActor(user: CurrentUser | null | undefined): { userId: string | null; label: string } {
  return user ? { userId: user.id, label: user.email } : { userId: null, label: 'anonymous' };
}
