import { z } from 'zod';
import { ROLES } from '../../kernel/access/index.ts';
import { checkbox, checkboxes, choice, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { emailField, idList, optionalId, versionField } from './form-fields.ts';

export const WORKS_FOR = ['local-authority', 'agency'] as const;
export const SIGN_IN_METHODS = ['password', 'oidc'] as const;

const detailsShape = {
  displayName: requiredText('Enter their full name', 200, 'Full name must be 200 characters or fewer'),
  email: emailField('Enter their email address'),
  jobTitle: optionalText(200, 'Job title must be 200 characters or fewer'),
  worksFor: choice(WORKS_FOR, 'Select who they work for'),
  localAuthorityId: optionalId('Select a local authority from the list'),
  otherLocalAuthorityIds: idList('Select local authorities from the list'),
  agencyId: optionalId('Select an agency from the list'),
  teamId: optionalId('Select a team from the list'),
  mfaRequired: checkbox(),
};

type Details = { worksFor?: string; localAuthorityId?: string; agencyId?: string };

function requireOrganisation(v: Details, ctx: z.RefinementCtx) {
  if (v.worksFor === 'local-authority' && !v.localAuthorityId)
    ctx.addIssue({
      code: 'custom',
      message: 'Select the local authority they work for',
      path: ['localAuthorityId'],
    });
  if (v.worksFor === 'agency' && !v.agencyId)
    ctx.addIssue({ code: 'custom', message: 'Select the agency they work for', path: ['agencyId'] });
}

export const newUserForm = z
  .object({
    ...detailsShape,
    roles: checkboxes(ROLES, { required: 'Select at least one role' }),
    signInMethod: choice(SIGN_IN_METHODS, 'Select how they will sign in'),
    password: optionalText(500),
  })
  .superRefine((v, ctx) => {
    requireOrganisation(v, ctx);
    if (v.signInMethod === 'password' && !v.password)
      ctx.addIssue({ code: 'custom', message: 'Enter an initial password', path: ['password'] });
  });
export type NewUserForm = z.infer<typeof newUserForm>;

export const editUserForm = z
  .object({ ...detailsShape, version: versionField })
  .superRefine(requireOrganisation);
export type EditUserForm = z.infer<typeof editUserForm>;

export const userRolesForm = z.object({
  roles: checkboxes(ROLES, { required: 'Select at least one role' }),
  version: versionField,
});

export const disableUserForm = z.object({
  reason: optionalText(1000, 'Reason must be 1000 characters or fewer'),
});
export const resetPasswordForm = z.object({ password: requiredText('Enter a new password', 500) });
export const confirmForm = z.object({});
