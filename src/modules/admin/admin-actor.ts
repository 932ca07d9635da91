import type { Permission } from '../../kernel/access/index.ts';
import type { AuditActor } from '../../kernel/audit-trail/index.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';

/** Who is making an administrative change, with the request it came from (for the audit trail). */
export interface AdminActor extends AuditActor {
  requestId?: string | null;
  ip?: string | null;
  /**
   * The signed-in user's permissions, checked again by every service (the page checks them first).
   * Absent only for the command line, run by an operator on the server.
   */
  permissions?: ReadonlySet<Permission>;
}

export function requirePermission(actor: AdminActor, permission: Permission): void {
  if (actor.permissions && !actor.permissions.has(permission)) throw new AccessDeniedError(permission);
}

/**
 * The fields that differ between two snapshots, as `{ before, after }` for the audit trail (only what
 * changed, so the trail stays readable). Arrays are compared as sets of values in order.
 */
export function changes<T extends Record<string, unknown>>(
  before: T,
  after: T,
): { before: Partial<T>; after: Partial<T>; changed: string[] } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  const changed: string[] = [];
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = (before[key] ?? null) as T[keyof T & string];
      a[key] = (after[key] ?? null) as T[keyof T & string];
      changed.push(key);
    }
  }
  return { before: b, after: a, changed };
}
