/**
 * Identity: signing in (password and second factor, or the council's OpenID Connect), sessions, and the current
 * user. The module's only import surface.
 *
 * - `identityPages`: sign-in, two-factor, account and sign-out pages.
 * - Sessions (session.service.ts): the cookie, resolving and touching a session, revoking them; the web layer's
 *   session plugin and routes use these.
 * - `loadCurrentUser`: a user's roles, permissions, teams and authorities, as every request resolves them.
 * - Email preferences (email-preferences.service.ts): whether a user gets the daily digest of overdue work, and who
 *   does (the home module's digest job reads `overdueDigestRecipients`).
 * - Passwords (hashPassword, passwordProblem) for the administration of users.
 */
export { identityPages, identityPaths, safeReturnTo } from './identity.pages.ts';
export { loadCurrentUser } from './current-user.repository.ts';
export {
  overdueDigestRecipients,
  ownOverdueDigestChoice,
  saveOverdueDigestChoice,
  type OverdueDigestChoice,
} from './email-preferences.service.ts';
export { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
export {
  SESSION_COOKIE,
  createSession,
  purgeOldSessions,
  resolveSession,
  revokeAllSessions,
  touchSession,
  updateSessionData,
  type ResolvedSession,
  type SessionStage,
} from './session.service.ts';
export { registerSessionRoutes } from './session.routes.ts';
