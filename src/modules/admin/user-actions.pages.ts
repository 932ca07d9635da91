import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { definePage, uuidParam, type PageContext, type PageDefinition } from '../../web/page.ts';
import { getUserDetail, type UserDetail } from './users.repository.ts';
import { confirmForm, disableUserForm, resetPasswordForm } from './users.schemas.ts';
import { adminPaths } from './users.pages.ts';
import {
  disableUser,
  enableUser,
  resetPassword,
  resetTwoFactor,
  signOutUserEverywhere,
  unlockUser,
} from './users.service.ts';

/**
 * One confirmation page per action on an account (GOV.UK: a question page with one button), each a POST
 * that is audited by the service. The page says when an action does not apply (e.g. unlocking an account
 * that is not locked) and offers no button then.
 */

type Ctx = PageContext<{ userId: string }, unknown>;

interface ActionSpec<F> {
  slug: string;
  title: (user: UserDetail) => string;
  /** Paragraphs explaining what will happen. */
  explain: (user: UserDetail) => string[];
  button: string;
  warning?: boolean;
  /** The one field the page asks for, if any. */
  field?: 'reason' | 'password';
  /** Why the action does not apply now, or null. */
  unavailable?: (user: UserDetail, ctx: Ctx) => string | null;
  form: z.ZodType<F>;
  run: (ctx: Ctx, form: F) => Promise<string>;
}

function actionPage<F>(spec: ActionSpec<F>): PageDefinition {
  return definePage({
    path: `/admin/users/:userId/${spec.slug}`,
    view: 'admin/views/user-action.njk',
    access: 'users:manage',
    params: z.object({ userId: uuidParam }),
    form: spec.form,
    drafts: false,
    load: async (ctx) => {
      const user = await getUserDetail(ctx.db, ctx.params.userId, ctx.now);
      if (!user) throw new NotFoundError();
      return {
        user,
        heading: spec.title(user),
        paragraphs: spec.explain(user),
        button: spec.button,
        warning: spec.warning ?? false,
        field: spec.field ?? null,
        unavailable: spec.unavailable?.(user, ctx) ?? null,
      };
    },
    submit: async (ctx, form) => {
      const message = await spec.run(ctx, form);
      ctx.flash(message);
      return adminPaths.user(ctx.params.userId);
    },
    title: (data: { heading: string }) => data.heading,
  });
}

export const disableUserPage = actionPage({
  slug: 'disable',
  title: (u) => `Disable ${u.displayName}’s account`,
  explain: () => [
    'They will be signed out everywhere at once and will not be able to sign in until the account is re-enabled.',
    'Their records, case notes and the audit trail of what they did are kept.',
  ],
  button: 'Disable account',
  warning: true,
  field: 'reason',
  unavailable: (u, ctx) =>
    u.id === ctx.user.id
      ? 'You cannot disable your own account. Ask another administrator to do it.'
      : u.status === 'disabled'
        ? 'This account is already disabled.'
        : null,
  form: disableUserForm,
  run: async (ctx, form) => {
    await disableUser(ctx, { userId: ctx.params.userId, reason: form.reason ?? null });
    return 'The account has been disabled and its sessions ended';
  },
});

export const enableUserPage = actionPage({
  slug: 'enable',
  title: (u) => `Re-enable ${u.displayName}’s account`,
  explain: () => ['They will be able to sign in again with their roles as they are now.'],
  button: 'Re-enable account',
  unavailable: (u) => (u.status === 'active' ? 'This account is already active.' : null),
  form: confirmForm,
  run: async (ctx) => {
    await enableUser(ctx, { userId: ctx.params.userId });
    return 'The account has been re-enabled';
  },
});

export const unlockUserPage = actionPage({
  slug: 'unlock',
  title: (u) => `Unlock ${u.displayName}’s account`,
  explain: () => [
    'The account was locked after too many wrong passwords or security codes. Unlocking lets them try again now.',
  ],
  button: 'Unlock account',
  unavailable: (u) => (u.locked || u.failedSignInCount > 0 ? null : 'This account is not locked.'),
  form: confirmForm,
  run: async (ctx) => {
    await unlockUser(ctx, { userId: ctx.params.userId });
    return 'The account has been unlocked';
  },
});

export const resetPasswordPage = actionPage({
  slug: 'reset-password',
  title: (u) => `Set a new password for ${u.displayName}`,
  explain: () => [
    'Tell them the new password in person or by phone, never by email. They will be signed out everywhere.',
    'Use at least 12 characters. A few random words together make a strong password.',
  ],
  button: 'Set new password',
  field: 'password',
  form: resetPasswordForm,
  run: async (ctx, form) => {
    await resetPassword(ctx, { userId: ctx.params.userId, password: form.password });
    return 'The password has been changed and their sessions ended';
  },
});

export const resetTwoFactorPage = actionPage({
  slug: 'reset-two-factor',
  title: (u) => `Reset ${u.displayName}’s two-factor authentication`,
  explain: () => [
    'Do this when they have lost or replaced the phone with their authenticator app. They will be signed out everywhere and asked to set up an authenticator app the next time they sign in.',
  ],
  button: 'Reset two-factor authentication',
  warning: true,
  unavailable: (u) =>
    u.totpEnabledAt ? null : 'They have not set up an authenticator app, so there is nothing to reset.',
  form: confirmForm,
  run: async (ctx) => {
    await resetTwoFactor(ctx, { userId: ctx.params.userId });
    return 'Their two-factor authentication has been reset';
  },
});

export const signOutUserEverywherePage = actionPage({
  slug: 'sign-out-everywhere',
  title: (u) => `Sign ${u.displayName} out of every device`,
  explain: (u) => [
    `They are signed in on ${u.activeSessions} ${u.activeSessions === 1 ? 'device' : 'devices'}. Use this if their account may be in someone else’s hands.`,
  ],
  button: 'Sign out everywhere',
  warning: true,
  form: confirmForm,
  run: async (ctx) => {
    const n = await signOutUserEverywhere(ctx, { userId: ctx.params.userId });
    return `They have been signed out of ${n} ${n === 1 ? 'session' : 'sessions'}`;
  },
});

export const userActionPages = [
  disableUserPage,
  enableUserPage,
  unlockUserPage,
  resetPasswordPage,
  resetTwoFactorPage,
  signOutUserEverywherePage,
];
