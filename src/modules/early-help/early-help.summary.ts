import { sql } from 'kysely';
import type { RecordHistorySource, RecordSummaryProvider } from '../people/index.ts';
import { DEFAULT_SETTINGS, reviewDueOn } from './early-help.ts';
import { EH_PATHS, ehPath } from './paths.ts';

/**
 * Early help on the child's record summary (people module): the open episode (who leads it, from which agency,
 * in which cluster) and its next deadlines — the assessment, the next team-around-the-family review, and the check
 * that outcomes were sustained after closure. Two indexed queries. Working days are counted on the authority's
 * calendar (bank holidays and its closure days), as on the worktray.
 */
export const earlyHelpSummary: RecordSummaryProvider = {
  id: 'early-help',
  order: 20,
  openInvolvements: async ({ db, personId }) => {
    const rows = await db
      .selectFrom('earlyHelpEpisodeChildren as c')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
      .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
      .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
      .leftJoin('clusters as cl', 'cl.id', 'e.clusterId')
      .select([
        'e.id',
        'e.reference',
        'e.openedOn',
        'e.leadAcceptance',
        'u.displayName as leadName',
        'a.name as agencyName',
        'cl.name as clusterName',
      ])
      .where('c.childId', '=', personId)
      .where('e.status', '=', 'open')
      .execute();
    return rows.map((e) => ({
      title: `Early help (family help) ${e.reference}`,
      href: ehPath(EH_PATHS.episode, e.id),
      status: e.leadAcceptance === 'pending' ? 'Open: step-down awaiting the lead practitioner' : 'Open',
      startedOn: e.openedOn,
      detail: `Lead practitioner: ${e.leadName ?? 'not yet allocated'}${e.agencyName ? ` (${e.agencyName})` : ''}${e.clusterName ? `; ${e.clusterName} cluster` : ''}`,
    }));
  },
  nextDeadlines: async ({ db, personId, calendar }) => {
    const rows = await db
      .selectFrom('earlyHelpEpisodeChildren as c')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
      .leftJoin('earlyHelpSettings as s', 's.localAuthorityId', 'e.localAuthorityId')
      .leftJoin('earlyHelpFollowUps as f', 'f.episodeId', 'e.id')
      .select([
        'e.id',
        'e.reference',
        'e.status',
        'e.openedOn',
        's.reviewIntervalWeeks',
        's.assessmentWorkingDays',
        'f.dueOn as followUpDueOn',
        'f.completedOn as followUpDoneOn',
      ])
      .select((eb) => [
        eb
          .selectFrom('earlyHelpAssessments as x')
          .select('x.status')
          .whereRef('x.episodeId', '=', 'e.id')
          .orderBy('x.startedAt', 'desc')
          .limit(1)
          .as('assessmentStatus'),
        eb
          .selectFrom('earlyHelpMeetings as m')
          .select('m.nextReviewDueOn')
          .whereRef('m.episodeId', '=', 'e.id')
          .orderBy('m.heldOn', 'desc')
          .orderBy('m.recordedAt', 'desc')
          .limit(1)
          .as('nextReviewDueOn'),
        eb
          .exists(
            eb.selectFrom('earlyHelpMeetings as m2').select('m2.id').whereRef('m2.episodeId', '=', 'e.id'),
          )
          .as('hasMeeting'),
      ])
      .where('c.childId', '=', personId)
      .where((eb) =>
        eb.or([
          eb('e.status', '=', 'open'),
          eb.and([eb('f.dueOn', 'is not', null), eb('f.completedOn', 'is', null)]),
        ]),
      )
      .execute();
    const out: { title: string; dueOn: string; href: string; detail?: string }[] = [];
    for (const e of rows) {
      if (e.status === 'open') {
        if (e.assessmentStatus !== 'completed') {
          out.push({
            title: `Early help assessment (${e.reference})`,
            dueOn: calendar.addWorkingDays(
              e.openedOn,
              e.assessmentWorkingDays ?? DEFAULT_SETTINGS.assessmentWorkingDays,
            ),
            href: ehPath(EH_PATHS.assessment, e.id),
          });
        }
        const review = e.hasMeeting
          ? e.nextReviewDueOn
          : reviewDueOn(e.openedOn, e.reviewIntervalWeeks ?? DEFAULT_SETTINGS.reviewIntervalWeeks);
        if (review)
          out.push({
            title: `Team-around-the-family review (${e.reference})`,
            dueOn: review,
            href: ehPath(EH_PATHS.newReview, e.id),
          });
      } else if (e.followUpDueOn && !e.followUpDoneOn) {
        out.push({
          title: `Check early help outcomes were sustained (${e.reference})`,
          dueOn: e.followUpDueOn,
          href: ehPath(EH_PATHS.followUp, e.id),
        });
      }
    }
    return out;
  },
};

/** Every early help episode of the child, closed ones too, on the record's list of contacts, referrals and episodes. */
export const earlyHelpHistory: RecordHistorySource = {
  kind: 'early-help-episode',
  label: 'Early help episode',
  query: (db, childId) =>
    db
      .selectFrom('earlyHelpEpisodeChildren as c')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
      .select([
        sql<string>`'early-help-episode'::text`.as('kind'),
        'e.id',
        'e.reference',
        'e.openedOn as startedOn',
        'e.closedOn as endedOn',
        'e.status',
      ])
      .where('c.childId', '=', childId),
  statusLabel: (status) => (status === 'open' ? 'Open' : status === 'closed' ? 'Closed' : status),
  openWith: 'early-help:read',
  link: (id) => ehPath(EH_PATHS.episode, id),
};
