import type { ReadContext } from '../../kernel/service/index.ts';

/** The areas an authority's services are grouped in (services.area). */
export type ServiceArea =
  'front-door' | 'early-help' | 'social-care' | 'quality-assurance' | 'performance' | 'administration';

/**
 * The organisation records the front door's pages offer in their forms and name in their headings: agencies,
 * local authorities and teams, each in name order. Reference data every signed-in user may see, so these take
 * only the database from the context (the public API documentation page has no user).
 */

type DbContext = Pick<ReadContext, 'db'>;

/** Every agency, by name. */
export async function allAgencies(ctx: DbContext) {
  return ctx.db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute();
}

/** Every local authority, by name. */
export async function allLocalAuthorities(ctx: DbContext) {
  return ctx.db.selectFrom('localAuthorities').select(['id', 'name', 'laCode']).orderBy('name').execute();
}

/** The local authorities the user works for, by name (none for a user with none). */
export async function usersLocalAuthorities(ctx: Pick<ReadContext, 'db' | 'user'>) {
  if (!ctx.user.localAuthorityIds.length) return [];
  return ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .where('id', 'in', ctx.user.localAuthorityIds)
    .orderBy('name')
    .execute();
}

/** The agencies that serve a local authority, by name. */
export async function agenciesServing(ctx: DbContext, localAuthorityId: string) {
  return ctx.db
    .selectFrom('agencies as a')
    .innerJoin('agencyLocalAuthorities as ala', 'ala.agencyId', 'a.id')
    .select(['a.id', 'a.name', 'a.kind'])
    .where('ala.localAuthorityId', '=', localAuthorityId)
    .orderBy('a.name')
    .execute();
}

/**
 * The teams of a local authority, by name; with `area`, only the teams of its services in that area (the early help
 * team an early help episode is allocated to is an early help team, not Systems Support).
 */
export async function teamsOf(ctx: DbContext, localAuthorityId: string, area?: ServiceArea) {
  let q = ctx.db
    .selectFrom('teams as t')
    .select(['t.id', 't.name'])
    .where('t.localAuthorityId', '=', localAuthorityId)
    .orderBy('t.name');
  if (area)
    q = q.where('t.serviceId', 'in', (eb) => eb.selectFrom('services').select('id').where('area', '=', area));
  return q.execute();
}

/** An agency's name, or undefined when there is no such agency. */
export async function agencyName(ctx: DbContext, agencyId: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('agencies')
    .select('name')
    .where('id', '=', agencyId)
    .executeTakeFirst();
  return row?.name;
}

/** A team's name, or undefined when there is no such team. */
export async function teamName(ctx: DbContext, teamId: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst();
  return row?.name;
}

/** A user's display name, or undefined when there is no such user. */
export async function userDisplayName(ctx: DbContext, userId: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('users')
    .select('displayName')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.displayName;
}
