import { sql } from 'kysely';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { requireEpisodeAccess } from './access.ts';
import { latestAssessment } from './assessment.service.ts';
import {
  DOMAIN_KEYS,
  goalStatusLabel,
  itemLabel,
  outcomeFromNeeds,
  outcomeLabel,
  RuleProblemsError,
  SCALE,
  shorten,
  uncoveredItems,
  type OutcomeHeading,
} from './early-help.ts';
import { requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { refreshScoreSummaries } from './score-summaries.ts';
import { recordChange, requireUpdated, type Db, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * The early help plan answers the assessment. Each goal is SMART (what will change, the actions, who, by when, how
 * we will know), tagged to a Supporting Families outcome, and linked to the needs and worries it meets. A plan is
 * agreed only when every need and worry has a goal, or is marked as not being worked on, with the reason.
 */

export interface GoalInput {
  episodeId: string;
  goalId?: string | undefined;
  itemIds: string[];
  whatWillChange: string;
  actions: string;
  who: string;
  byWhen: string;
  measure: string;
  /**
   * The Supporting Families outcome the goal works towards. Left out, it is carried from the needs the goal meets
   * (each need's outcome was chosen in the assessment), and the goal is marked as taking it from them.
   */
  outcomeHeading?: OutcomeHeading | undefined;
  familyWords?: string | undefined;
  /** Where things stand now for this goal, 0–10 (the first score of its distance travelled). New goals only. */
  baselineScore?: number | undefined;
  /** A change to a goal: the version it was read at. A stale or missing version is a ConflictError (409). */
  version?: number | undefined;
}

/** Worries first, then needs in the order of the assessment framework (child, parenting, family and environment). */
export function sortItems<T extends { kind: string; domain: string | null; position: number }>(
  items: T[],
): T[] {
  const rank = (i: T) => (i.kind === 'worry' ? -1 : (DOMAIN_KEYS as string[]).indexOf(i.domain ?? ''));
  return [...items].sort((a, b) => rank(a) - rank(b) || a.position - b.position);
}

export async function planItems(db: Db, episodeId: string) {
  const assessment = await latestAssessment(db, episodeId);
  if (!assessment || assessment.status !== 'completed') return { assessment, items: [] };
  const items = await db
    .selectFrom('earlyHelpAssessmentItems')
    .selectAll()
    .where('assessmentId', '=', assessment.id)
    .execute();
  return { assessment, items: sortItems(items).map((i) => ({ ...i, label: itemLabel(i) })) };
}

/** The plan with its goals, each goal's needs and worries, and which needs and worries no goal meets yet. */
export async function loadPlan(db: Db, episodeId: string) {
  const [{ assessment, items }, plan] = await Promise.all([
    planItems(db, episodeId),
    db.selectFrom('earlyHelpPlans').selectAll().where('episodeId', '=', episodeId).executeTakeFirst(),
  ]);
  const goals = plan
    ? await db
        .selectFrom('earlyHelpGoals')
        .selectAll()
        .where('planId', '=', plan.id)
        .orderBy('position')
        .execute()
    : [];
  const links = goals.length
    ? await db
        .selectFrom('earlyHelpGoalItems')
        .selectAll()
        .where(
          'goalId',
          'in',
          goals.map((g) => g.id),
        )
        .execute()
    : [];
  const itemById = new Map(items.map((i) => [i.id, i]));
  const goalsView = goals.map((g) => ({
    ...g,
    outcomeLabel: outcomeLabel(g.outcomeHeading) + (g.outcomeFromNeeds ? ' (from the needs it meets)' : ''),
    statusLabel: goalStatusLabel(g.status),
    items: links
      .filter((l) => l.goalId === g.id)
      .map((l) => itemById.get(l.itemId))
      .filter((i): i is NonNullable<typeof i> => !!i),
  }));
  const itemsView = items.map((i) => ({
    ...i,
    goals: goalsView
      .filter((g) => g.items.some((x) => x.id === i.id))
      .map((g) => ({ id: g.id, position: g.position, whatWillChange: g.whatWillChange })),
  }));
  const uncovered = uncoveredItems(items, links);
  return { assessment, plan, goals: goalsView, items: itemsView, uncovered };
}

export async function saveGoal(ctx: ServiceContext, input: GoalInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  await requireOpenEpisode(trx, input.episodeId);
  const today = isoDateOf(now);
  const { assessment, items } = await planItems(trx, input.episodeId);
  if (!assessment)
    throw new BusinessRuleError(
      'itemIds',
      'Complete the early help assessment first: goals meet the needs and worries it identifies',
    );
  const problems: { field: string; message: string; href: string }[] = [];
  const known = new Set(items.map((i) => i.id));
  if (!input.itemIds.length)
    problems.push({
      field: 'itemIds',
      message: 'Select the needs or worries this goal meets',
      href: '#itemIds',
    });
  if (input.itemIds.some((id) => !known.has(id)))
    problems.push({
      field: 'itemIds',
      message: 'Select needs and worries from this family’s assessment',
      href: '#itemIds',
    });
  const carried = input.outcomeHeading ? null : outcomeFromNeeds(items, input.itemIds);
  const outcomeHeading = input.outcomeHeading ?? carried;
  if (!outcomeHeading && input.itemIds.length)
    problems.push({
      field: 'outcomeHeading',
      message:
        'Select the Supporting Families outcome the goal works towards: the needs and worries chosen do not set one',
      href: '#outcomeHeading',
    });
  if (!input.measure.trim())
    problems.push({
      field: 'measure',
      message: 'Enter how we will know the goal has been met',
      href: '#measure',
    });
  if (!input.byWhen)
    problems.push({
      field: 'byWhen',
      message: 'Enter the date the goal should be met by',
      href: '#byWhen-day',
    });
  let goal: { id: string; planId: string; byWhen: string; version: number } | undefined;
  if (input.goalId) {
    goal = await trx
      .selectFrom('earlyHelpGoals')
      .select(['id', 'planId', 'byWhen', 'version'])
      .where('id', '=', input.goalId)
      .where('episodeId', '=', input.episodeId)
      .executeTakeFirst();
    if (!goal) throw new NotFoundError();
  }
  if (input.byWhen && input.byWhen < today && (!goal || goal.byWhen !== input.byWhen))
    problems.push({
      field: 'byWhen',
      message: 'The date the goal should be met by must be today or in the future',
      href: '#byWhen-day',
    });
  if (
    !goal &&
    (input.baselineScore === undefined || input.baselineScore < SCALE.min || input.baselineScore > SCALE.max)
  ) {
    problems.push({
      field: 'baselineScore',
      message: 'Give a score from 0 to 10 for where things are now',
      href: '#baselineScore',
    });
  }
  if (problems.length) throw new RuleProblemsError(problems);

  let plan = await trx
    .selectFrom('earlyHelpPlans')
    .select(['id', 'status'])
    .where('episodeId', '=', input.episodeId)
    .executeTakeFirst();
  if (goal && plan?.status === 'agreed') {
    // An agreed plan answers every need and worry: changing a goal may not leave one with no goal (and no reason).
    const links = await trx
      .selectFrom('earlyHelpGoalItems as gi')
      .innerJoin('earlyHelpGoals as g', 'g.id', 'gi.goalId')
      .select(['gi.goalId', 'gi.itemId'])
      .where('g.planId', '=', plan.id)
      .execute();
    const before = new Set(uncoveredItems(items, links).map((i) => i.id));
    const after = uncoveredItems(items, [
      ...links.filter((l) => l.goalId !== goal.id),
      ...input.itemIds.map((itemId) => ({ itemId })),
    ]);
    const orphaned = after.filter((i) => !before.has(i.id));
    if (orphaned.length) {
      throw new RuleProblemsError(
        orphaned.map((i) => ({
          field: 'itemIds',
          message: `The plan is agreed: ${itemLabel(i)} (“${shorten(i.summary, 60)}”) would have no goal. Keep it selected, or first add another goal that meets it or mark it as not being worked on`,
          href: '#itemIds',
        })),
      );
    }
  }
  if (!plan) {
    plan = await trx
      .insertInto('earlyHelpPlans')
      .values({
        episodeId: input.episodeId,
        assessmentId: assessment.id,
        createdAt: now,
        createdBy: user.id,
        updatedAt: now,
      })
      .returning(['id', 'status'])
      .executeTakeFirstOrThrow();
  }
  const fields = {
    whatWillChange: input.whatWillChange,
    actions: input.actions,
    who: input.who,
    byWhen: input.byWhen,
    measure: input.measure,
    outcomeHeading: outcomeHeading!,
    outcomeFromNeeds: !!carried,
    familyWords: input.familyWords ?? null,
    updatedAt: now,
  };
  let goalId: string;
  if (goal) {
    // The version is checked in the UPDATE itself: of two saves from one version, one wins and one is refused.
    if (input.version === undefined || input.version !== goal.version) throw new ConflictError();
    const updated = await trx
      .updateTable('earlyHelpGoals')
      .set({ ...fields, version: goal.version + 1 })
      .where('id', '=', goal.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError();
    await trx.deleteFrom('earlyHelpGoalItems').where('goalId', '=', goal.id).execute();
    goalId = goal.id;
  } else {
    const last = await trx
      .selectFrom('earlyHelpGoals')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('planId', '=', plan.id)
      .executeTakeFirst();
    const position = Number(last?.max ?? 0) + 1;
    const row = await trx
      .insertInto('earlyHelpGoals')
      .values({
        ...fields,
        planId: plan.id,
        episodeId: input.episodeId,
        position,
        createdAt: now,
        createdBy: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    goalId = row.id;
    await trx
      .insertInto('earlyHelpScores')
      .values({
        episodeId: input.episodeId,
        occasion: 'plan',
        sourceId: goalId,
        recordedOn: today,
        subject: 'goal',
        subjectKey: goalId,
        score: input.baselineScore!,
        recordedAt: now,
        recordedBy: user.id,
      })
      .execute();
    await refreshScoreSummaries(trx, [input.episodeId]);
  }
  await trx
    .insertInto('earlyHelpGoalItems')
    .values([...new Set(input.itemIds)].map((itemId) => ({ goalId, itemId })))
    .execute();
  // A need or worry that now has a goal is being worked on.
  await trx
    .updateTable('earlyHelpAssessmentItems')
    .set({ notWorkedOnReason: null, notWorkedOnAt: null, notWorkedOnBy: null, version: sql`version + 1` })
    .where('id', 'in', input.itemIds)
    .execute();
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: goal ? 'Early help plan goal changed' : 'Early help plan goal added',
      summary: `${shorten(input.whatWillChange, 160)}. By ${formatDateGovUk(input.byWhen)}. ${outcomeLabel(outcomeHeading)}${carried ? ' (from the needs it meets)' : ''}.`,
      category: 'plan',
      sourceType: 'early-help-goal',
      sourceId: goalId,
    }),
    audit: episodeAudit({
      action: goal ? 'early-help-goal.changed' : 'early-help-goal.added',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-goal',
      subjectId: goalId,
      details: { items: input.itemIds.length, outcomeHeading, outcomeFromNeeds: !!carried },
    }),
  });
  return goalId;
}

/** Marks a need or worry as not being worked on (with the reason), or clears that. */
export async function setNotWorkedOn(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    itemId: string;
    reason: string | null;
    /** The item's version the form was shown with (the page requires it); checked in the UPDATE. */
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  await requireOpenEpisode(trx, input.episodeId);
  const item = await trx
    .selectFrom('earlyHelpAssessmentItems')
    .selectAll()
    .where('id', '=', input.itemId)
    .where('episodeId', '=', input.episodeId)
    .executeTakeFirst();
  if (!item) throw new NotFoundError();
  if (input.version !== undefined && input.version !== item.version) throw new ConflictError();
  if (input.reason) {
    const linked = await trx
      .selectFrom('earlyHelpGoalItems')
      .select('goalId')
      .where('itemId', '=', item.id)
      .executeTakeFirst();
    if (linked)
      throw new BusinessRuleError(
        'notWorkedOn',
        `${itemLabel(item)} is met by a goal in the plan: change the goal first if it is no longer being worked on`,
      );
  } else if (item.notWorkedOnReason) {
    const [linked, plan] = await Promise.all([
      trx.selectFrom('earlyHelpGoalItems').select('goalId').where('itemId', '=', item.id).executeTakeFirst(),
      trx
        .selectFrom('earlyHelpPlans')
        .select('status')
        .where('episodeId', '=', input.episodeId)
        .executeTakeFirst(),
    ]);
    if (!linked && plan?.status === 'agreed') {
      throw new BusinessRuleError(
        'notWorkedOn',
        `The plan is agreed, so ${itemLabel(item)} cannot be left with no goal: add a goal that meets it (that records it as being worked on)`,
      );
    }
  }
  requireUpdated(
    await trx
      .updateTable('earlyHelpAssessmentItems')
      .set({
        ...(input.reason
          ? { notWorkedOnReason: input.reason, notWorkedOnAt: now, notWorkedOnBy: user.id }
          : { notWorkedOnReason: null, notWorkedOnAt: null, notWorkedOnBy: null }),
        version: sql`version + 1`,
      })
      .where('id', '=', item.id)
      .where('version', '=', input.version ?? item.version)
      .executeTakeFirst(),
  );
  if (input.reason) {
    await recordChange(ctx, {
      chronology: episodeChronology({
        episodeId: input.episodeId,
        childIds: access.childIds,
        title: `${itemLabel(item)} not being worked on`,
        summary: `${shorten(item.summary, 120)} Reason: ${shorten(input.reason, 200)}`,
        category: 'plan',
      }),
    });
  }
  await recordChange(ctx, {
    audit: episodeAudit({
      action: 'early-help-item.updated',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-assessment-item',
      subjectId: item.id,
      details: { notWorkedOn: !!input.reason },
    }),
  });
}

/** Agrees the plan with the family: refused while any need or worry has neither a goal nor a reason. */
export async function agreePlan(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    familyAgreed: boolean;
    familySummary?: string | undefined;
    /** The plan's version when the form was shown (0 if there was none): a change saved since is a 409. */
    version: number;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  await requireOpenEpisode(trx, input.episodeId);
  const { plan, goals, uncovered } = await loadPlan(trx, input.episodeId);
  if (!plan || !goals.length)
    throw new BusinessRuleError('familyAgreed', 'Add at least one goal before agreeing the plan');
  if (uncovered.length) {
    throw new RuleProblemsError(
      uncovered.map((i) => ({
        field: `item-${i.id}`,
        message: `${itemLabel(i)} (“${shorten(i.summary, 60)}”) has no goal: add a goal that meets it, or mark it as not being worked on with the reason`,
        href: `#item-${i.id}`,
      })),
    );
  }
  const agreed = await trx
    .updateTable('earlyHelpPlans')
    .set({
      status: 'agreed',
      agreedOn: isoDateOf(now),
      agreedBy: user.id,
      familyAgreed: input.familyAgreed,
      familySummary: input.familySummary ?? plan.familySummary,
      updatedAt: now,
      version: sql`version + 1`,
    })
    .where('id', '=', plan.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  requireUpdated(agreed);
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: 'Early help plan agreed',
      summary: `${goals.length} goal${goals.length === 1 ? '' : 's'}. ${input.familyAgreed ? 'The family agreed the plan.' : 'The family have not agreed the plan yet.'}`,
      category: 'plan',
      significant: true,
    }),
    audit: episodeAudit({
      action: 'early-help-plan.agreed',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-plan',
      subjectId: plan.id,
      details: { goals: goals.length, familyAgreed: input.familyAgreed },
    }),
  });
}
