/**
 * A chronology entry links to where its source is shown (issue 18, item 6: a record you can move through). Each
 * module says, by source type, where its records live; `src/modules/index.ts` lists them in `chronologySourceLinks`,
 * read when a chronology is shown (a dynamic import, since that list names modules that import this one). The page
 * a link opens checks access itself, so a link shows no more than the entry already does.
 */
export type ChronologySourceLinks = Readonly<Record<string, (sourceId: string, childId: string) => string>>;

/** Where the people module's own entries are shown: the child's case notes, family and documents. */
export const peopleChronologyLinks: ChronologySourceLinks = {
  'case-note': (_id, childId) => `/people/${childId}/case-notes`,
  relationship: (_id, childId) => `/people/${childId}/family`,
  'household-membership': (_id, childId) => `/people/${childId}/family`,
  document: (_id, childId) => `/people/${childId}/documents`,
};

export async function withSourceLinks<T extends { sourceType: string | null; sourceId: string | null }>(
  childId: string,
  rows: readonly T[],
  links?: ChronologySourceLinks,
): Promise<(T & { href: string | null })[]> {
  const listed = links ?? (await import('../index.ts')).chronologySourceLinks;
  return rows.map((r) => {
    const link = r.sourceType && r.sourceId ? listed[r.sourceType] : undefined;
    return { ...r, href: link ? link(r.sourceId!, childId) : null };
  });
}
