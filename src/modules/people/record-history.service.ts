import { requireAccess } from '../../kernel/access/index.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import type { RecordHistoryRow, RecordHistorySource } from './record-history.ts';
import { pageOfUnion } from './union-page.ts';

export interface RecordHistoryEntry extends RecordHistoryRow {
  label: string;
  statusLabel: string;
  href: string | null;
}

async function listedSources(): Promise<readonly RecordHistorySource[]> {
  const { recordHistorySources } = await import('../index.ts');
  return recordHistorySources;
}

/**
 * Every contact, referral and episode about the child, open or finished, newest first, paged in SQL across the
 * modules. Listed to whoever may read the record; linked where the user may open the row's page.
 */
export async function recordHistoryFor(
  ctx: ReadContext,
  input: { childId: string; page: { limit: number; offset: number } },
  sources?: readonly RecordHistorySource[],
): Promise<{ rows: RecordHistoryEntry[]; total: number }> {
  requirePermission(ctx.user, 'child:read');
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  const listed = sources ?? (await listedSources());
  const { rows, total } = await pageOfUnion(
    ctx.db,
    listed.map((s) => s.query(ctx.db, input.childId)),
    ['startedOn', 'reference'],
    input.page,
  );
  return {
    total,
    rows: rows.map((r) => {
      const source = listed.find((s) => s.kind === r.kind);
      return {
        ...r,
        label: source?.label ?? r.kind,
        statusLabel: source ? source.statusLabel(r.status) : r.status,
        href: source && ctx.user.permissions.has(source.openWith) ? source.link(r.id) : null,
      };
    }),
  };
}
