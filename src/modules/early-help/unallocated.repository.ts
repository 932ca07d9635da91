import { sql } from 'kysely';
import { visibleTo } from '../../kernel/access/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { type ReadContext, rowsAndTotal } from '../../kernel/service/index.ts';

/**
 * Early help episodes for the workforce module's allocation board: the open episodes of a team (or with no team
 * yet) that have no lead practitioner, and one episode as the board's allocation form shows it. The allocation
 * itself is `assignLeadPractitioner` (episode.service.ts), which keeps the history and writes the audit.
 */

const childrenOf = sql<string>`(
  select string_agg(p.given_name || ' ' || p.family_name, ', ' order by p.date_of_birth, p.given_name)
  from early_help_episode_children c join people p on p.id = c.child_id
  where c.episode_id = e.id
)`;

export async function unallocatedEarlyHelpEpisodes(
  ctx: ReadContext,
  input: { teamId: string; localAuthorityId: string; limit: number; offset: number },
) {
  const base = ctx.db
    .selectFrom('earlyHelpEpisodes as e')
    .where('e.status', '=', 'open')
    .where('e.leadPractitionerId', 'is', null)
    .where('e.localAuthorityId', '=', input.localAuthorityId)
    .where((eb) => eb.or([eb('e.teamId', '=', input.teamId), eb('e.teamId', 'is', null)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('earlyHelpEpisodeChildren as c')
          .innerJoin('people as p', 'p.id', 'c.childId')
          .select('c.childId')
          .whereRef('c.episodeId', '=', 'e.id')
          .where(visibleTo(ctx.user, ctx.now, 'p.id')),
      ),
    );
  const { rows, total } = await rowsAndTotal(
    base,
    (q) =>
      q
        .select(['e.id', 'e.reference', 'e.openedOn', 'e.source', 'e.teamId', childrenOf.as('children')])
        .orderBy('e.openedOn')
        .orderBy('e.reference'),
    { limit: input.limit, offset: input.offset },
  );
  return { rows, total };
}

/** An open early help episode with its lead practitioner, for the board's form (404 if the user may not read it). */
export async function earlyHelpEpisodeForAllocation(ctx: ReadContext, episodeId: string) {
  const row = await ctx.db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .select([
      'e.id',
      'e.reference',
      'e.localAuthorityId',
      'e.status',
      'e.version',
      'e.leadPractitionerId',
      'u.displayName as leadName',
      childrenOf.as('children'),
    ])
    .where('e.id', '=', episodeId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('earlyHelpEpisodeChildren as c')
          .innerJoin('people as p', 'p.id', 'c.childId')
          .select('c.childId')
          .whereRef('c.episodeId', '=', 'e.id')
          .where(visibleTo(ctx.user, ctx.now, 'p.id')),
      ),
    )
    .executeTakeFirst();
  if (!row || row.status !== 'open') throw new NotFoundError();
  return row;
}
