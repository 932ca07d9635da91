import { z } from 'zod';
import { ROLES, ROLE_LABELS, type Role } from '../../kernel/access/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { definePage, uuidParam, type PageContext } from '../../web/page.ts';
import { listQuery, queryChoice, queryId, queryText } from './form-fields.ts';
import { pageNumber, queryString } from './pagination.ts';
import { numberedPagination } from '../../web/pagination.ts';
import { getUserDetail, listUsers, organisationOptions, USER_STATUSES } from './users.repository.ts';
import {
  editUserForm,
  newUserForm,
  userRolesForm,
  type EditUserForm,
  type NewUserForm,
} from './users.schemas.ts';
import { administrationCounts, createUser, setRoles, updateUser } from './users.service.ts';

export const adminPaths = {
  index: '/admin',
  users: '/admin/users',
  newUser: '/admin/users/new',
  user: (id: string) => `/admin/users/${id}`,
} as const;

const userParams = z.object({ userId: uuidParam });

export const ROLE_OPTIONS = ROLES.map((r) => ({
  value: r,
  text: ROLE_LABELS[r],
  ...(r === 'system-administrator'
    ? {
        hint: "Manages users, teams and agencies and searches the audit trail. No access to children's records.",
      }
    : {}),
  ...(r === 'partner-agency-user' || r === 'partner-lead-practitioner'
    ? { hint: 'For people who work for a partner agency' }
    : {}),
}));

const STATUS_OPTIONS = [
  { value: 'active', text: 'Active' },
  { value: 'disabled', text: 'Disabled' },
  { value: 'locked', text: 'Locked out' },
];

export const adminIndexPage = definePage({
  path: adminPaths.index,
  view: 'admin/views/index.njk',
  access: 'users:manage',
  title: 'Administration',
  load: async (ctx) => {
    const counts = await administrationCounts(ctx);
    const can = (
      p: 'users:manage' | 'organisation:manage' | 'reference-data:manage' | 'audit-trail:search',
    ) => ctx.user.permissions.has(p);
    return {
      counts,
      can: {
        users: can('users:manage'),
        organisation: can('organisation:manage'),
        referenceData: can('reference-data:manage'),
        auditTrail: can('audit-trail:search'),
      },
    };
  },
});

export const usersListPage = definePage({
  path: adminPaths.users,
  view: 'admin/views/users.njk',
  access: 'users:manage',
  title: 'Users',
  query: listQuery,
  load: async (ctx) => {
    const filters = {
      q: queryText(ctx.query.q),
      role: queryChoice(ctx.query.role, ROLES),
      teamId: queryId(ctx.query.teamId),
      agencyId: queryId(ctx.query.agencyId),
      status: queryChoice(ctx.query.status, USER_STATUSES),
    };
    const page = pageNumber(ctx.query.page);
    const [result, options] = await Promise.all([
      listUsers(ctx.db, filters, page, ctx.now),
      organisationOptions(ctx.db),
    ]);
    const filtered = Object.values(filters).some((v) => v !== undefined);
    return {
      filters,
      filtered,
      result,
      pagination: numberedPagination(
        result.page,
        result.pages,
        (p) => `${adminPaths.users}${queryString({ ...filters, page: p })}`,
      ),
      options: {
        ...options,
        roles: ROLE_OPTIONS.map(({ value, text }) => ({ value, text })),
        statuses: STATUS_OPTIONS,
      },
    };
  },
});

async function userFormOptions(ctx: PageContext<unknown, unknown>) {
  const options = await organisationOptions(ctx.db);
  return { options: { ...options, roles: ROLE_OPTIONS }, oidcAvailable: !!ctx.services.config.oidc };
}

function detailsInput(form: NewUserForm | EditUserForm) {
  const agency = form.worksFor === 'agency';
  return {
    email: form.email,
    displayName: form.displayName,
    jobTitle: form.jobTitle ?? null,
    worksFor: form.worksFor,
    localAuthorityId: agency ? null : (form.localAuthorityId ?? null),
    otherLocalAuthorityIds: agency ? [] : form.otherLocalAuthorityIds,
    agencyId: agency ? (form.agencyId ?? null) : null,
    teamId: agency ? null : (form.teamId ?? null),
    mfaRequired: form.mfaRequired,
  };
}

export const newUserPage = definePage({
  path: adminPaths.newUser,
  view: 'admin/views/user-form.njk',
  access: 'users:manage',
  title: 'Add a user',
  // The form holds an initial password: never keep it in a draft.
  drafts: false,
  form: newUserForm,
  load: async (ctx) => ({ ...(await userFormOptions(ctx)), mode: 'new' as const }),
  submit: async (ctx, form) => {
    if (form.signInMethod === 'oidc' && !ctx.services.config.oidc) {
      return {
        errors: [
          {
            field: 'signInMethod',
            message: 'Council sign-in is not set up here: give them an initial password',
            href: '#signInMethod',
          },
        ],
      };
    }
    const result = await createUser(ctx, {
      ...detailsInput(form),
      roles: form.roles as Role[],
      password: form.signInMethod === 'password' ? (form.password ?? null) : null,
    });
    ctx.flash(`${form.displayName} has been added`);
    return adminPaths.user(result.id);
  },
});

export const userPage = definePage({
  path: '/admin/users/:userId',
  view: 'admin/views/user.njk',
  access: 'users:manage',
  params: userParams,
  load: async (ctx) => {
    const user = await getUserDetail(ctx.db, ctx.params.userId, ctx.now);
    if (!user) throw new NotFoundError();
    return { user, roleLabels: user.roles.map((r) => ROLE_LABELS[r]), isSelf: user.id === ctx.user.id };
  },
  title: (data) => data.user.displayName,
});

async function loadUser(ctx: PageContext<{ userId: string }, unknown>) {
  const user = await getUserDetail(ctx.db, ctx.params.userId, ctx.now);
  if (!user) throw new NotFoundError();
  return user;
}

export const editUserPage = definePage({
  path: '/admin/users/:userId/edit',
  view: 'admin/views/user-form.njk',
  access: 'users:manage',
  params: userParams,
  form: editUserForm,
  load: async (ctx) => {
    const user = await loadUser(ctx);
    return {
      ...(await userFormOptions(ctx)),
      mode: 'edit' as const,
      user,
      saved: {
        displayName: user.displayName,
        email: user.email,
        jobTitle: user.jobTitle ?? '',
        worksFor: user.localAuthorityId ? 'local-authority' : 'agency',
        localAuthorityId: user.localAuthorityId ?? '',
        otherLocalAuthorityIds: user.otherLocalAuthorityIds,
        agencyId: user.agencyId ?? '',
        teamId: user.teamId ?? '',
        mfaRequired: user.mfaRequired ? 'yes' : '',
        version: String(user.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const result = await updateUser(ctx, {
      ...detailsInput(form),
      userId: ctx.params.userId,
      version: form.version,
    });
    ctx.flash(result.changed.length ? 'Their details have been changed' : 'Nothing was changed');
    return adminPaths.user(ctx.params.userId);
  },
  title: (data) => `Change ${data.user.displayName}’s details`,
});

export const userRolesPage = definePage({
  path: '/admin/users/:userId/roles',
  view: 'admin/views/user-roles.njk',
  access: 'users:manage',
  params: userParams,
  form: userRolesForm,
  load: async (ctx) => {
    const user = await loadUser(ctx);
    return {
      user,
      roleLabels: user.roles.map((r) => ROLE_LABELS[r]),
      roleOptions: ROLE_OPTIONS,
      isSelf: ctx.params.userId === ctx.user.id,
    };
  },
  submit: async (ctx, form) => {
    const { added, removed } = await setRoles(ctx, {
      userId: ctx.params.userId,
      roles: form.roles as Role[],
      version: form.version,
    });
    ctx.flash(added.length || removed.length ? 'Their roles have been changed' : 'Nothing was changed');
    return adminPaths.user(ctx.params.userId);
  },
  title: (data) => `Change ${data.user.displayName}’s roles`,
});

export const userPages = [adminIndexPage, usersListPage, newUserPage, userPage, editUserPage, userRolesPage];
