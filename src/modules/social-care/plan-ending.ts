import { sql } from 'kysely';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { recordChange, requireUpdated } from '../../kernel/service/index.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import type { Violation } from './census-rules.ts';
import type { EpisodeRow } from './episode.repository.ts';
import { auditPart, chronologyPart } from './episode.service.ts';

/** The plan being ended: a child in need plan or a child protection plan. */
export interface PlanToEnd {
  id: string;
  startDate: string;
  endDate: string | null;
  childId: string;
}

/** What the worker records when a plan ends. */
export interface PlanEnding<R extends string> {
  endDate: string;
  reason: R;
  notes: string;
  queryExplanation?: string | undefined;
  /** The plan's version the form was shown with (the pages require it; a transfer or step-down ends it as read). */
  version?: number | undefined;
}

const ENDED_TITLE = {
  'cin-plan': 'Child in need plan ended',
  'cp-plan': 'Child protection plan ended',
} as const;

/**
 * Ends a child in need or child protection plan, the same way for both: refuses a plan already ended and whatever
 * the plan's census `rules` find (in the order given; a query needs the worker's explanation), writes the end on
 * the plan (its version goes up), keeps the explanations for the return, and records the change in the audit trail
 * and the child's chronology.
 */
export async function endPlan<R extends string>(
  ctx: ServiceContext,
  kind: 'cin-plan' | 'cp-plan',
  target: { plan: PlanToEnd; episode: EpisodeRow },
  input: PlanEnding<R>,
  census: { rules: (Violation | null)[]; reasonLabel: string },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { plan, episode } = target;
  const queries = enforce(
    [plan.endDate ? practiceError('endDate', 'This plan has already ended') : null, ...census.rules],
    input.queryExplanation,
  );
  const end = {
    endDate: input.endDate,
    endReason: input.reason,
    endNotes: input.notes,
    endedAt: now,
    endedBy: user.id,
    updatedAt: now,
    version: sql<number>`version + 1`,
  };
  // A one-shot action: "not ended yet" is checked in the UPDATE itself, so two endings from one page cannot both land.
  const ended =
    kind === 'cp-plan'
      ? await trx
          .updateTable('cpPlans')
          .set(end)
          .where('id', '=', plan.id)
          .where('endDate', 'is', null)
          .$if(input.version !== undefined, (q) => q.where('version', '=', input.version!))
          .executeTakeFirst()
      : await trx
          .updateTable('cinPlans')
          .set(end)
          .where('id', '=', plan.id)
          .where('endDate', 'is', null)
          .$if(input.version !== undefined, (q) => q.where('version', '=', input.version!))
          .executeTakeFirst();
  requireUpdated(ended);
  await recordQueryExplanations(
    ctx,
    { childId: plan.childId, episodeId: episode.id, subjectType: kind, subjectId: plan.id },
    queries,
    input.queryExplanation,
  );
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: plan.childId,
      on: input.endDate,
      category: 'plan',
      title: ENDED_TITLE[kind],
      summary: `${census.reasonLabel}. ${input.notes}`,
      significant: true,
      sourceType: kind,
      sourceId: plan.id,
    }),
    audit: auditPart(`${kind}.ended`, {
      type: kind,
      id: plan.id,
      childId: plan.childId,
      details: { endDate: input.endDate, reason: input.reason },
    }),
  });
}
