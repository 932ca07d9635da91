import { NotFoundError } from '../../kernel/errors.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import { requireEpisodeAccess } from './access.ts';
import { goalsOfEpisode } from './episode.repository.ts';

/**
 * What early help's episode pages read besides the episode itself (episode.pages.ts): the clusters and children to
 * start early help with, the people who could join the team around the family, and an episode's step-up, follow-up,
 * meetings, recent activity and outcomes. Each read checks the user may read the episode (or start early help).
 */

const NONE = '00000000-0000-0000-0000-000000000000';

/** The locality clusters the user may start early help in: their agency's authorities (a partner), or their own. */
export async function startableClusters(ctx: ReadContext) {
  requirePermission(ctx.user, 'early-help:write');
  const isPartner = ctx.user.isPartner;
  return ctx.db
    .selectFrom('clusters as c')
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .select(['c.id', 'c.name', 'la.name as laName', 'c.localAuthorityId'])
    .where(
      isPartner
        ? (eb) =>
            eb.exists(
              eb
                .selectFrom('agencyLocalAuthorities as a')
                .select('a.agencyId')
                .whereRef('a.localAuthorityId', '=', 'c.localAuthorityId')
                .where('a.agencyId', '=', ctx.user.agencyId ?? NONE),
            )
        : (eb) =>
            eb(
              'c.localAuthorityId',
              'in',
              ctx.user.localAuthorityIds.length ? ctx.user.localAuthorityIds : [NONE],
            ),
    )
    .orderBy('la.name')
    .orderBy('c.name')
    .execute();
}

/** The children already chosen on the start page (by id): names and dates of birth, children only. */
export async function preselectedChildren(ctx: ReadContext, personIds: readonly string[]) {
  requirePermission(ctx.user, 'early-help:write');
  if (!personIds.length) return [];
  return ctx.db
    .selectFrom('people as p')
    .select(['p.id', 'p.givenName', 'p.familyName', 'p.dateOfBirth', 'p.kind'])
    .where('p.id', 'in', [...personIds])
    .where('p.kind', '=', 'child')
    .execute();
}

/** Who may be added to a team around the family: every agency, and active users whose role works with families. */
export async function tafMemberChoices(ctx: ReadContext) {
  requirePermission(ctx.user, 'early-help:write');
  const [agencies, users] = await Promise.all([
    ctx.db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute(),
    ctx.db
      .selectFrom('users as u')
      .innerJoin('userRoles as r', 'r.userId', 'u.id')
      .leftJoin('agencies as a', 'a.id', 'u.agencyId')
      .select(['u.id', 'u.displayName', 'u.jobTitle', 'a.name as agencyName'])
      .distinct()
      .where('u.status', '=', 'active')
      .where('r.role', 'in', [
        'early-help-practitioner',
        'partner-lead-practitioner',
        'social-worker',
        'team-manager',
        'mash-practitioner',
      ])
      .orderBy('u.displayName')
      .execute(),
  ]);
  return { agencies, users };
}

/**
 * The episode page's records: its step-up, follow-up, meetings (latest first), how much feedback there is, and the
 * references of the contact or social care episode it came from.
 */
export async function episodeOverview(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  const episode = await ctx.db
    .selectFrom('earlyHelpEpisodes')
    .select(['sourceContactId', 'sourceCinEpisodeId'])
    .where('id', '=', episodeId)
    .executeTakeFirst();
  if (!episode) throw new NotFoundError();
  const [stepUp, followUp, meetings, feedback, contact, cin] = await Promise.all([
    ctx.db
      .selectFrom('earlyHelpStepUps as s')
      .leftJoin('contacts as c', 'c.id', 's.contactId')
      .select(['s.steppedUpAt', 's.rationale', 'c.reference as contactReference'])
      .where('s.episodeId', '=', episodeId)
      .executeTakeFirst(),
    ctx.db.selectFrom('earlyHelpFollowUps').selectAll().where('episodeId', '=', episodeId).executeTakeFirst(),
    ctx.db
      .selectFrom('earlyHelpMeetings')
      .select(['id', 'heldOn', 'kind', 'decision'])
      .where('episodeId', '=', episodeId)
      .orderBy('heldOn', 'desc')
      .execute(),
    ctx.db
      .selectFrom('earlyHelpFeedback')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('episodeId', '=', episodeId)
      .executeTakeFirstOrThrow(),
    episode.sourceContactId
      ? ctx.db
          .selectFrom('contacts')
          .select(['reference'])
          .where('id', '=', episode.sourceContactId)
          .executeTakeFirst()
      : undefined,
    episode.sourceCinEpisodeId
      ? ctx.db
          .selectFrom('cinEpisodes')
          .select(['reference'])
          .where('id', '=', episode.sourceCinEpisodeId)
          .executeTakeFirst()
      : undefined,
  ]);
  return {
    stepUp,
    followUp,
    meetings,
    feedbackCount: Number(feedback.n),
    contactReference: contact?.reference ?? null,
    cinReference: cin?.reference ?? null,
  };
}

/**
 * The episode's recent activity in its first child's chronology (latest twelve): entries about the given records
 * (the episode, its assessment, goals and meetings) and early help's entries since the episode opened.
 */
export async function episodeActivity(ctx: ReadContext, episodeId: string, sourceIds: readonly string[]) {
  const access = await requireEpisodeAccess(ctx, episodeId, 'read');
  const childId = access.childIds[0];
  if (!childId) return [];
  const episode = await ctx.db
    .selectFrom('earlyHelpEpisodes')
    .select('openedOn')
    .where('id', '=', episodeId)
    .executeTakeFirst();
  if (!episode) throw new NotFoundError();
  return ctx.db
    .selectFrom('caseEvents as ce')
    .leftJoin('users as u', 'u.id', 'ce.recordedBy')
    .select(['ce.occurredAt', 'ce.title', 'ce.summary', 'u.displayName as byName'])
    .where('ce.childId', '=', childId)
    .where((eb) =>
      eb.or([
        eb('ce.sourceId', 'in', [...sourceIds]),
        eb.and([
          eb('ce.sourceType', 'like', 'early-help%'),
          eb('ce.occurredAt', '>=', new Date(`${episode.openedOn}T00:00:00Z`)),
        ]),
      ]),
    )
    .orderBy('ce.occurredAt', 'desc')
    .orderBy('ce.recordedAt', 'desc')
    .limit(12)
    .execute();
}

/** The outcomes page's records: every score, the goals, feedback (latest first), and the follow-up with its goals. */
export async function episodeOutcomes(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  const [scores, goals, feedback, followUp, followUpGoals] = await Promise.all([
    ctx.db
      .selectFrom('earlyHelpScores')
      .select(['subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt'])
      .where('episodeId', '=', episodeId)
      .execute(),
    goalsOfEpisode(ctx.db, episodeId),
    ctx.db
      .selectFrom('earlyHelpFeedback')
      .selectAll()
      .where('episodeId', '=', episodeId)
      .orderBy('givenOn', 'desc')
      .execute(),
    ctx.db.selectFrom('earlyHelpFollowUps').selectAll().where('episodeId', '=', episodeId).executeTakeFirst(),
    ctx.db
      .selectFrom('earlyHelpFollowUpGoals as g')
      .innerJoin('earlyHelpFollowUps as f', 'f.id', 'g.followUpId')
      .select(['g.goalId', 'g.sustained'])
      .where('f.episodeId', '=', episodeId)
      .execute(),
  ]);
  return { scores, goals, feedback, followUp, followUpGoals };
}
