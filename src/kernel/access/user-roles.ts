import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Role } from './permissions.ts';

/**
 * A condition on a query over `users as u`: the user holds at least one of `roles`. For lists of the people who can
 * take on a piece of work (case holders, lead practitioners, supervisees).
 *
 *   db.selectFrom('users as u').select(['u.id', 'u.displayName']).where(holdsRoleIn(CASE_HOLDING_ROLES))
 */
export function holdsRoleIn(roles: readonly Role[]) {
  return (eb: ExpressionBuilder<DB & { u: DB['users'] }, 'u'>) =>
    eb.exists(
      eb
        .selectFrom('userRoles as r')
        .select('r.userId')
        .whereRef('r.userId', '=', 'u.id')
        .where('r.role', 'in', roles),
    );
}
