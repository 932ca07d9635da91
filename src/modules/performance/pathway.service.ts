import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import {
  childrenOfRows,
  workingDayTable,
  type ChildFilter,
  type MeasureScope,
} from './measures.repository.ts';
import { pathwayCounts, pathwayRows } from './pathway.repository.ts';
import {
  monthsBetween,
  PATHWAY_STAGE_IDS,
  PATHWAY_STAGES,
  stageFigures,
  stageGroupLabel,
  type PathwayStageId,
  type StageFigures,
} from './pathway.ts';

/** Plans and closures count working days from a referral that may be years old: the table reaches 10 years back. */
export const PATHWAY_HISTORY_DAYS = 3660;

const tableFor = (ctx: ReadContext, scope: MeasureScope) =>
  workingDayTable(ctx.calendar, scope, PATHWAY_HISTORY_DAYS);

/** Every stage of the pathway, month by month over the scope's period (reports:view). */
export async function pathwayFigures(ctx: ReadContext, scope: MeasureScope): Promise<StageFigures[]> {
  requirePermission(ctx.user, 'reports:view');
  const table = tableFor(ctx, scope);
  const months = monthsBetween(scope.from.slice(0, 7), scope.to.slice(0, 7));
  const out: StageFigures[] = [];
  for (const id of PATHWAY_STAGE_IDS)
    out.push(stageFigures(PATHWAY_STAGES[id], months, await pathwayCounts(ctx.db, id, scope, table)));
  return out;
}

/** The children behind a stage's figure (a month, a group, or the conversion's numerator), a page at a time. */
export async function pathwayChildren(
  ctx: ReadContext,
  id: PathwayStageId,
  scope: MeasureScope,
  filter: ChildFilter,
  page: { limit: number; offset: number } | 'all',
) {
  requirePermission(ctx.user, 'reports:view');
  const stage = PATHWAY_STAGES[id];
  if (!scope.localAuthorityIds.length) return { total: 0, rows: [] };
  const result = await childrenOfRows(
    ctx.db,
    pathwayRows(id, scope, tableFor(ctx, scope)),
    filter,
    { user: ctx.user, now: ctx.now },
    page,
  );
  return {
    total: result.total,
    rows: result.rows.map((r) => ({
      ...r,
      groupText: stageGroupLabel(stage, r.grp),
      eventText: formatDateGovUk(r.eventOn),
      dueText: null,
      countedText: stage.conversion
        ? r.counted
          ? stage.conversion.countedLabel
          : stage.conversion.notCountedLabel
        : null,
    })),
  };
}
