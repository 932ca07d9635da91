import type { ReadContext } from '../../kernel/service/index.ts';
import type { LetterFields, LetterKind } from './letter-kinds.ts';

/**
 * Where a letter's facts come from: the module holding the event (a contact's decision, a conference, a plan …)
 * exports a `LetterSource` from its index.ts, listed in src/modules/index.ts (`letterSources`). The documents module
 * reads the list when a letter is started, so it never imports the modules that link to it.
 */
export interface LetterSource {
  /** What the letter is about, stored with it: 'contact', 'conference', 'cin-plan' … */
  sourceType: string;
  kinds: readonly LetterKind[];
  /**
   * The child the letter is kept on and the kind's own fields, after the source's own permission and record checks.
   * The common fields (child, parents, worker, authority, today) are filled in by the documents module.
   */
  load(
    ctx: ReadContext,
    sourceId: string,
    kind: LetterKind,
  ): Promise<{ childId: string; fields: LetterFields; backPath: string; backText: string }>;
}

export async function findLetterSource(
  kind: LetterKind,
  sourceType: string,
  sources?: readonly LetterSource[],
): Promise<LetterSource | null> {
  const listed = sources ?? (await import('../index.ts')).letterSources;
  return listed.find((s) => s.sourceType === sourceType && s.kinds.includes(kind)) ?? null;
}
