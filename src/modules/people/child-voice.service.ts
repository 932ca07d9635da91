import { decideRecordAccess, requireAccess } from '../../kernel/access/index.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import type { ChildVoiceLinks, ChildVoiceRow, ChildVoiceSource } from './child-voice.ts';
import { pageOfUnion } from './union-page.ts';

/**
 * The child's voice stream (issue 18, item 5): the child's own words from every source that records them (case
 * notes, social care visits, direct work), newest first, paged in SQL across the sources. Read by the stream page,
 * the record summary ("in their own words") and the plan reviews (the latest words). Entries are shown to whoever
 * may read the child's record; an entry links to its source only for a user who may open that source's page.
 */

export interface ChildVoiceEntry extends ChildVoiceRow {
  sourceLabel: string;
  href: string | null;
}

export interface ChildVoiceListing {
  sources: readonly ChildVoiceSource[];
  links: ChildVoiceLinks;
}

/** The sources and links listed in src/modules/index.ts (a dynamic import: that list names modules that import this one). */
async function listed(): Promise<ChildVoiceListing> {
  const { childVoiceSources, childVoiceLinks } = await import('../index.ts');
  return { sources: childVoiceSources, links: childVoiceLinks };
}

async function entries(
  ctx: ReadContext,
  childId: string,
  page: { limit: number; offset: number },
  listing: ChildVoiceListing,
): Promise<{ rows: ChildVoiceEntry[]; total: number }> {
  const { rows, total } = await pageOfUnion(
    ctx.db,
    listing.sources.map((s) => s.query(ctx.db, childId)),
    ['saidOn', 'recordedAt', 'sourceId'],
    page,
  );
  return {
    total,
    rows: rows.map((r) => {
      const source = listing.sources.find((s) => s.sourceType === r.sourceType);
      const link = listing.links[r.sourceType];
      return {
        ...r,
        sourceLabel: source ? source.label(r.detail) : r.sourceType,
        href:
          source && link && ctx.user.permissions.has(source.openWith)
            ? link({ sourceId: r.sourceId, childId, episodeId: r.episodeId })
            : null,
      };
    }),
  };
}

/** One page of the child's words, newest first, and how many there are in all. */
export async function childVoiceFor(
  ctx: ReadContext,
  input: { childId: string; page: { limit: number; offset: number } },
  listing?: ChildVoiceListing,
): Promise<{ rows: ChildVoiceEntry[]; total: number }> {
  requirePermission(ctx.user, 'child:read');
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  return entries(ctx, input.childId, input.page, listing ?? (await listed()));
}

/**
 * The latest words of each child the user may read (a plan review shows them: what the child said, when, where),
 * in the order given; a child with no words recorded, or whose record the user may not read, is left out.
 */
export async function latestChildVoice(
  ctx: ReadContext,
  childIds: readonly string[],
  listing?: ChildVoiceListing,
): Promise<(ChildVoiceEntry & { childId: string; childName: string })[]> {
  if (!childIds.length || !ctx.user.permissions.has('child:read')) return [];
  const decisions = await decideRecordAccess(ctx.db, ctx.user, childIds, ctx.now);
  const readable = childIds.filter((id) => decisions.get(id)?.read);
  if (!readable.length) return [];
  const l = listing ?? (await listed());
  const names = await ctx.db
    .selectFrom('people')
    .select(['id', 'givenName', 'knownAs'])
    .where('id', 'in', readable)
    .execute();
  const found: (ChildVoiceEntry & { childId: string; childName: string })[] = [];
  for (const childId of readable) {
    const [latest] = (await entries(ctx, childId, { limit: 1, offset: 0 }, l)).rows;
    const name = names.find((n) => n.id === childId);
    if (latest)
      found.push({ ...latest, childId, childName: name?.knownAs || name?.givenName || 'The child' });
  }
  return found;
}

/** The newest few words, for the record summary (which has checked the record access itself). */
export async function recentChildVoice(
  ctx: ReadContext,
  childId: string,
  limit = 3,
  listing?: ChildVoiceListing,
): Promise<ChildVoiceEntry[]> {
  return (await entries(ctx, childId, { limit, offset: 0 }, listing ?? (await listed()))).rows;
}
