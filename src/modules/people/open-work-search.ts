import type { ReadContext } from '../../kernel/service/index.ts';
import type { Confidence, SearchCriteria } from './person-search.ts';

/**
 * People named on open work that is not yet linked to a record: a child or adult on an open contact or partner
 * referral, before the front door has checked them against the person index. A search for "is this child known?"
 * must find them too, or the second call about a child received this morning finds nothing. The people module
 * knows nothing of contacts; a module that holds such work exports a provider from its index.ts and
 * src/modules/index.ts lists it (`openWorkSearchProviders`), as it lists the record summary providers.
 *
 * A provider shows only what the user may see of that work (its own permission and access rules) and records
 * nothing: the page that shows the results records the search.
 */
export interface NamedOnOpenWork {
  /** The provider's own id for the person on that work (e.g. the contact's child row). */
  id: string;
  kind: 'child' | 'adult';
  name: string;
  dateOfBirth: string | null;
  /** 'Open contact C-2026-00001, received 4 December' */
  description: string;
  /** The work itself. */
  href: string;
  /** Where to record this call on that work instead of starting a parallel one (when the user may). */
  addCallHref: string | null;
  score: number;
  confidence: Confidence;
  confidenceLabel: string;
  reasons: string[];
}

export interface OpenWorkSearchProvider {
  /** Unique among the listed providers. */
  id: string;
  find: (ctx: ReadContext, criteria: SearchCriteria) => Promise<NamedOnOpenWork[]>;
}

/** The providers listed in src/modules/index.ts, read when a search runs (a static import would be a cycle). */
async function listedProviders(): Promise<readonly OpenWorkSearchProvider[]> {
  const { openWorkSearchProviders } = await import('../index.ts');
  return openWorkSearchProviders;
}

/** Everyone named on open work matching the search, best first (by default from the providers listed). */
export async function searchOpenWork(
  ctx: ReadContext,
  criteria: SearchCriteria,
  providers?: readonly OpenWorkSearchProvider[],
): Promise<NamedOnOpenWork[]> {
  const found: NamedOnOpenWork[] = [];
  for (const p of providers ?? (await listedProviders())) found.push(...(await p.find(ctx, criteria)));
  return found.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}
