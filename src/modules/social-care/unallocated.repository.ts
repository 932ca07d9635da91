import { sql } from 'kysely';
import { visibleTo } from '../../kernel/access/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { type ReadContext, rowsAndTotal } from '../../kernel/service/index.ts';
import { episodesWithAllocation } from './episode.repository.ts';

/**
 * CIN episodes for the workforce module's allocation board: the open episodes of a team (or not yet with any team:
 * those the front door opened) that no worker holds, and one episode's allocation as the board's form shows it.
 * The allocation itself is `allocateEpisode` (episode.service.ts), which keeps the history and writes the audit.
 */

const heldByAWorker = sql<boolean>`exists (
  select 1 from allocations a
  where a.involvement_type = 'cin-episode' and a.involvement_id = e.id and a.ended_on is null and a.worker_id is not null
)`;

export async function unallocatedCinEpisodes(
  ctx: ReadContext,
  input: { teamId: string; localAuthorityId: string; limit: number; offset: number },
) {
  const base = ctx.db
    .selectFrom('cinEpisodes as e')
    .innerJoin('people as p', 'p.id', 'e.childId')
    .where('e.closureDate', 'is', null)
    .where('e.referralNfa', '=', false)
    .where('e.localAuthorityId', '=', input.localAuthorityId)
    .where((eb) => eb.or([eb('e.teamId', '=', input.teamId), eb('e.teamId', 'is', null)]))
    .where(sql<boolean>`not ${heldByAWorker}`)
    .where(visibleTo(ctx.user, ctx.now, 'p.id'));
  const { rows, total } = await rowsAndTotal(
    base,
    (q) =>
      q
        .select([
          'e.id',
          'e.reference',
          'e.referralDate',
          'e.sourceContactId',
          'e.teamId',
          'e.childId',
          'p.givenName',
          'p.familyName',
        ])
        .orderBy('e.referralDate')
        .orderBy('e.reference'),
    { limit: input.limit, offset: input.offset },
  );
  return { rows, total };
}

/** An open CIN episode with its current worker, for the board's allocation form (404 if the user may not read it). */
export async function cinEpisodeForAllocation(ctx: ReadContext, episodeId: string) {
  const row = await episodesWithAllocation(ctx.db)
    .leftJoin('users as u', 'u.id', 'a.workerId')
    .select([
      'e.id',
      'e.reference',
      'e.childId',
      'e.localAuthorityId',
      'e.referralDate',
      'e.closureDate',
      'e.version',
      'p.givenName',
      'p.familyName',
      'a.workerId',
      'u.displayName as workerName',
    ])
    .where('e.id', '=', episodeId)
    .where(visibleTo(ctx.user, ctx.now, 'p.id'))
    .executeTakeFirst();
  if (!row || row.closureDate) throw new NotFoundError();
  return row;
}
