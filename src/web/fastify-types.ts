import type { CurrentUser } from '../kernel/access/index.ts';

/** A one-off message for the next page, optionally with links to what it announces. */
export type Flash = string | { text: string; links: { href: string; text: string }[] };

/** The message as the layout shows it (null: none, or not one we wrote). */
export function shownFlash(value: unknown): { text: string; links: { href: string; text: string }[] } | null {
  if (typeof value === 'string') return { text: value, links: [] };
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    const links = (value as { links?: unknown }).links;
    return {
      text: (value as { text: string }).text,
      links: Array.isArray(links)
        ? links.filter(
            (l): l is { href: string; text: string } =>
              !!l && typeof l.href === 'string' && l.href.startsWith('/') && typeof l.text === 'string',
          )
        : [],
    };
  }
  return null;
}

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
    flashOut: Flash | null;
  }
  interface FastifyReply {
    /** Merged by @fastify/view into every template's context. */
    locals?: Record<string, unknown>;
  }
}
