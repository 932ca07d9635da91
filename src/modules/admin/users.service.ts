import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Role } from '../../kernel/access/index.ts';
import { recordAuditEvent, type AuditActor } from '../../kernel/audit-trail/index.ts';
import { hashPassword, passwordProblem } from '../identity/passwords.ts';
import type { FieldError } from '../../web/forms/errors.ts';

export interface NewUserInput {
  email: string;
  displayName: string;
  jobTitle?: string | null;
  roles: Role[];
  laCode?: string | null;
  localAuthorityId?: string | null;
  teamId?: string | null;
  agencyId?: string | null;
  password?: string | null;
  mfaRequired?: boolean;
}

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const err = (field: string, message: string): FieldError => ({ field, message, href: `#${field}` });

/** Creates a user with their roles and local authorities; audited. Partner users need an agency. */
export async function createUser(
  trx: Transaction<DB>,
  input: NewUserInput,
  actor: AuditActor,
  now: Date,
): Promise<ServiceResult<{ id: string }>> {
  const errors: FieldError[] = [];
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push(err('email', 'Enter an email address in the correct format, like name@example.org'));
  if (input.roles.length === 0) errors.push(err('roles', 'Select at least one role'));
  if (input.password) {
    const problem = passwordProblem(input.password);
    if (problem) errors.push(err('password', problem));
  }
  let localAuthorityId = input.localAuthorityId ?? null;
  if (!localAuthorityId && input.laCode) {
    const la = await trx.selectFrom('localAuthorities').select('id').where('laCode', '=', input.laCode).executeTakeFirst();
    if (!la) errors.push(err('laCode', `There is no local authority with code ${input.laCode}`));
    localAuthorityId = la?.id ?? null;
  }
  const partnerOnly = input.roles.every((r) => r === 'partner-agency-user' || r === 'partner-lead-practitioner');
  if (partnerOnly && !input.agencyId) errors.push(err('agencyId', 'Select the agency a partner user works for'));
  if (!partnerOnly && !localAuthorityId) {
    const only = await trx.selectFrom('localAuthorities').select('id').limit(2).execute();
    if (only.length === 1) localAuthorityId = only[0]!.id;
    else errors.push(err('localAuthorityId', 'Select the local authority the user works for'));
  }
  const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) errors.push(err('email', 'A user with this email address already exists'));
  if (errors.length) return { ok: false, errors };

  const row = await trx
    .insertInto('users')
    .values({
      email,
      displayName: input.displayName.trim(),
      jobTitle: input.jobTitle ?? null,
      localAuthorityId: partnerOnly ? null : localAuthorityId,
      teamId: input.teamId ?? null,
      agencyId: input.agencyId ?? null,
      passwordHash: input.password ? await hashPassword(input.password) : null,
      mfaRequired: input.mfaRequired ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('userRoles').values(input.roles.map((role) => ({ userId: row.id, role, grantedAt: now }))).execute();
  if (!partnerOnly && localAuthorityId) {
    await trx.insertInto('userLocalAuthorities').values({ userId: row.id, localAuthorityId }).execute();
  }
  await recordAuditEvent(trx, {
    actor,
    action: 'user.created',
    subjectType: 'user',
    subjectId: row.id,
    occurredAt: now,
    details: { email, roles: input.roles, teamId: input.teamId ?? null, agencyId: input.agencyId ?? null },
  });
  return { ok: true, value: { id: row.id } };
}
