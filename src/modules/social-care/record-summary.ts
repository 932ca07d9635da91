import { codeLabel, ABUSE_CATEGORIES } from '../../kernel/code-sets/cin-census.ts';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import {
  shared,
  type InvolvementContext,
  type RecordHistorySource,
  type RecordSummaryProvider,
} from '../people/index.ts';
import { deadlinesFor, openEpisodesQuery } from './deadlines.ts';

/**
 * The child's open episodes with who holds them and their open plans: one statement, shared by both panels.
 */
const openEpisodesOf = (ctx: InvolvementContext) =>
  shared(ctx, 'social-care:open-episodes', () =>
    openEpisodesQuery(ctx.db)
      .leftJoin('teams as t', 't.id', 'a.teamId')
      .leftJoin('users as u', 'u.id', 'a.workerId')
      .select((eb) => [
        't.name as teamName',
        'u.displayName as workerName',
        jsonArrayFrom(
          eb
            .selectFrom('cpPlans as cp')
            .select(['cp.id', 'cp.startDate', 'cp.latestCategory'])
            .whereRef('cp.episodeId', '=', 'e.id')
            .where('cp.endDate', 'is', null)
            .orderBy('cp.startDate')
            .orderBy('cp.id'),
        ).as('cpPlans'),
        jsonArrayFrom(
          eb
            .selectFrom('cinPlans as cin')
            .select(['cin.id', 'cin.startDate'])
            .whereRef('cin.episodeId', '=', 'e.id')
            .where('cin.endDate', 'is', null)
            .orderBy('cin.startDate')
            .orderBy('cin.id'),
        ).as('cinPlans'),
      ])
      .where('e.childId', '=', ctx.personId)
      .orderBy('e.referralDate')
      .orderBy('e.id')
      .execute(),
  );

/**
 * The child's record summary: the open CIN episode (who holds it), any open child protection or child in need
 * plan, and every statutory deadline on them (the people module shows these; it knows nothing of social care),
 * counted in working days on the authority's calendar (its closure days too), as on the worktrays.
 */
export const socialCareSummary: RecordSummaryProvider = {
  id: 'social-care',
  order: 20,
  openInvolvements: async (ctx) => {
    if (!ctx.user.permissions.has('social-care:read')) return [];
    const episodes = await openEpisodesOf(ctx);
    const cp = episodes.flatMap((e) => e.cpPlans);
    const cin = episodes.flatMap((e) => e.cinPlans);
    return [
      ...episodes.map((e) => ({
        title: `Children in need episode ${e.reference}`,
        href: `/social-care/episodes/${e.id}`,
        status: 'Open',
        startedOn: e.referralDate,
        detail: e.workerName
          ? `Social worker: ${e.workerName} (${e.teamName})`
          : `Not yet allocated to a worker${e.teamName ? ` (${e.teamName})` : ''}`,
      })),
      ...cp.map((p) => ({
        title: 'Child protection plan',
        href: `/social-care/cp-plans/${p.id}`,
        status: 'Open',
        startedOn: p.startDate,
        detail: `Category: ${codeLabel(ABUSE_CATEGORIES, p.latestCategory).toLowerCase()}`,
      })),
      ...cin.map((p) => ({
        title: 'Child in need plan',
        href: `/social-care/cin-plans/${p.id}`,
        status: 'Open',
        startedOn: p.startDate,
      })),
    ];
  },
  nextDeadlines: async (ctx) => {
    if (!ctx.user.permissions.has('social-care:read')) return [];
    const episodes = await openEpisodesOf(ctx);
    const deadlines = await deadlinesFor(ctx.db, episodes, ctx.calendar, ctx.today);
    return deadlines
      .filter((d) => d.dueOn)
      .map((d) => ({
        title: d.title,
        dueOn: d.dueOn!,
        href: d.href,
        ...(d.clockLabel ? { detail: d.clockLabel } : {}),
      }));
  },
};

/**
 * Every referral to children's social care about the child and the children in need episode it opened, closed ones
 * too, on the record's list of contacts, referrals and episodes.
 */
export const socialCareHistory: RecordHistorySource = {
  kind: 'cin-episode',
  label: 'Referral and children in need episode',
  query: (db, childId) =>
    db
      .selectFrom('cinEpisodes as e')
      .select((eb) => [
        sql<string>`'cin-episode'::text`.as('kind'),
        'e.id',
        'e.reference',
        'e.referralDate as startedOn',
        'e.closureDate as endedOn',
        eb
          .case()
          .when('e.closureDate', 'is', null)
          .then('open')
          .else('closed')
          .end()
          .$castTo<string>()
          .as('status'),
      ])
      .where('e.childId', '=', childId),
  statusLabel: (status) => (status === 'open' ? 'Open' : 'Closed'),
  openWith: 'social-care:read',
  link: (id) => `/social-care/episodes/${id}`,
};
