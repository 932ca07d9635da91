import type { CurrentUser } from '../kernel/access/index.ts';

export interface SessionInfo {
  id: string;
  userId: string | null;
  stage: 'pending' | 'mfa' | 'mfa-enrol' | 'active';
  data: Record<string, unknown>;
  lastSeenAt: Date;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    session: SessionInfo | null;
    /** Set when the request carried a session that has timed out (its user), so a POST can keep a draft. */
    expiredSessionUserId: string | null;
    /** A message to show once on the next page. */
    flashOut: string | null;
  }
  interface FastifyReply {
    /** Merged by @fastify/view into every template's context. */
    locals?: Record<string, unknown>;
  }
}
