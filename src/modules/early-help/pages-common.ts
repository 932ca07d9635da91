import { z } from 'zod';
import type { PageContext, SubmitResult } from '../../web/page.ts';
import type { FieldError } from '../../web/forms/errors.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { requireEpisodeAccess, type EpisodeAccess } from './access.ts';
import { RuleProblemsError, SOURCE_LABELS } from './early-help.ts';
import { episodeChildNames, findEpisode } from './episode.repository.ts';
import { EH_PATHS, ehPath } from './paths.ts';
import { loadWarningsFor, type Warning } from '../people/index.ts';

/** Shared by early help's pages. */

export const episodeParams = z.object({ ehEpisodeId: z.uuid() });
export type EpisodeParams = z.infer<typeof episodeParams>;
export const pageNumber = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);
export const PAGE_SIZE = 20;

export type EpisodeHeader = Awaited<ReturnType<typeof loadEpisodeHeader>>;

/**
 * The episode for the top of its pages (reference, children, status, who leads it), after checking the user may
 * read (or write) it. Children link to their records only for users who may open them.
 */
export async function loadEpisodeHeader(
  ctx: PageContext<EpisodeParams, unknown>,
  level: 'read' | 'write' = 'read',
) {
  const access: EpisodeAccess = await requireEpisodeAccess(ctx, ctx.params.ehEpisodeId, level);
  const episode = await findEpisode(ctx.db, ctx.params.ehEpisodeId);
  if (!episode) throw new NotFoundError();
  const names = (await episodeChildNames(ctx.db, [episode.id])).get(episode.id) ?? [];
  // The children's current warnings (risk to staff, interpreter needed …), for those who may read their records and
  // for the lead practitioner, who visits the family (a partner lead practitioner included).
  const warnings =
    access.recordRead || access.isLead
      ? await loadWarningsFor(
          ctx.db,
          names.map((c) => c.id),
          ctx.now,
        )
      : new Map<string, Warning[]>();
  const canWrite = access.canWrite;
  return {
    episode: {
      ...episode,
      sourceLabel: SOURCE_LABELS[episode.source] ?? episode.source,
      isOpen: episode.status === 'open',
    },
    access,
    canWrite,
    canEdit: canWrite && episode.status === 'open',
    children: names.map((c) => ({
      ...c,
      href: access.recordRead ? `/people/${c.id}` : null,
      warnings: warnings.get(c.id) ?? [],
    })),
    childNames: names.map((c) => c.name).join(', '),
    links: {
      episode: ehPath(EH_PATHS.episode, episode.id),
      assessment: ehPath(EH_PATHS.assessment, episode.id),
      plan: ehPath(EH_PATHS.plan, episode.id),
      reviews: ehPath(EH_PATHS.reviews, episode.id),
      team: ehPath(EH_PATHS.team, episode.id),
      outcomes: ehPath(EH_PATHS.outcomes, episode.id),
    },
  };
}

/** The audit subject of an episode page: the episode, and its first child (so "who saw this child" finds it). */
export function episodeSubject(ctx: { params: EpisodeParams }, data: unknown) {
  const access = (data as { access?: EpisodeAccess } | null)?.access;
  return { subjectId: ctx.params.ehEpisodeId, childId: access?.childIds[0] ?? null };
}

/** Runs a service call that may report several problems at once, turning them into the page's field errors. */
export async function withProblems(fn: () => Promise<SubmitResult>): Promise<SubmitResult> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RuleProblemsError) return { errors: error.problems as FieldError[] };
    throw error;
  }
}

/** `values` from the request when the form was sent back, else what is saved. */
export function mergeValues(
  posted: Record<string, unknown> | undefined,
  saved: Record<string, unknown>,
): Record<string, unknown> {
  return posted && Object.keys(posted).length ? posted : saved;
}
