import type { PageContext } from '../../web/page.ts';
import type { AdminActor } from './admin-actor.ts';

/** The administrator making a change from a page, with the request it came from (for the audit trail). */
export function adminActor(ctx: Pick<PageContext<unknown, unknown>, 'user' | 'request'>): AdminActor {
  return {
    userId: ctx.user.id,
    label: ctx.user.email,
    requestId: ctx.request.id,
    ip: ctx.request.ip,
    permissions: ctx.user.permissions,
  };
}
