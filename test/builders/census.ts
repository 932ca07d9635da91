import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { generateUpn } from '../../src/kernel/identifiers/index.ts';
import { addCalendarDays } from '../../src/kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../src/kernel/working-days/index.ts';
import {
  completeAssessment,
  authoriseAssessment,
  recordChildSeen,
  saveAssessmentAnswers,
  startAssessment,
} from '../../src/modules/social-care/assessment.service.ts';
import {
  recordInitialConference,
  recordReviewConference,
  recordSection47Outcome,
  recordStrategyDiscussion,
  startCpPlan,
  startSection47,
} from '../../src/modules/social-care/child-protection.service.ts';
import { startCinPlan, endCinPlan } from '../../src/modules/social-care/cin-plan.service.ts';
import { closeEpisode } from '../../src/modules/social-care/closure.service.ts';
import { allocateEpisode, transferIn } from '../../src/modules/social-care/episode.service.ts';
import { openCinReferral } from '../../src/modules/social-care/referral.service.ts';
import { aChild, anUnbornChild, type PersonOverrides } from './people.ts';
import {
  COMPLETE_ANSWERS,
  contextFor,
  participants,
  run,
  teamId,
  userFor,
  withCensusDetails,
} from './social-care.ts';

/**
 * A census cohort: `n` children whose histories, recorded through the real services each on its own day (so every
 * point-of-entry rule applies and no census-year query is raised), cover every family of the CIN census in the
 * 2025-26 year: referrals with no further action, assessments with factors (and "no factors" closed RC8),
 * section 47 enquiries with and without an initial conference, CIN and CP plans (with reviews), closures,
 * transfers in with a conference on the episode, unborn children, a death, an episode open on 1 April from the year
 * before, UPNs and the reasons they are unknown, and a spread of disabilities (so 2887Q and 2888Q hold).
 */

type Db = Kysely<DB>;
const cal = englandAndWalesCalendar;
const wd = (date: string) => cal.workingDayOnOrAfter(date);
const at = (date: string) => new Date(`${date}T15:00:00Z`);

export const COHORT_FAMILIES = [
  'nfa',
  'assessment-no-factors',
  'cin-plan',
  'cp-plan',
  'section-47-no-conference',
  'unborn',
  'closed-after-plan',
  'transfer-in',
  'death',
  'open-on-1-april',
] as const;
export type CohortFamily = (typeof COHORT_FAMILIES)[number];

const DISABILITY_SETS = [
  ['NONE'],
  ['MOB'],
  ['HAND', 'PC'],
  ['INC'],
  ['COMM', 'LD'],
  ['HEAR'],
  ['VIS', 'BEH'],
  ['CON'],
  ['AUT', 'DDA'],
  ['NONE'],
];

export interface CohortChild {
  childId: string;
  family: CohortFamily;
  episodeId: string;
}

export async function aCensusCohort(db: Db, n: number): Promise<CohortChild[]> {
  const sw = await userFor(db, 'social-worker');
  const mash = await userFor(db, 'mash-manager');
  const manager = await userFor(db, 'team-manager');
  const team = await teamId(db, 'Assessment Team');
  const people = await participants(db);
  const out: CohortChild[] = [];

  for (let i = 0; i < n; i++) {
    const family = COHORT_FAMILIES[i % COHORT_FAMILIES.length]!;
    // Unborn children are referred late in the year, less than 40 weeks before they are due (8606), and are still
    // unborn on 31 March.
    const r =
      family === 'unborn'
        ? wd(addCalendarDays('2025-11-10', i % 60))
        : wd(addCalendarDays('2025-04-07', (i * 5) % 190));
    const overrides: PersonOverrides = {
      dateOfBirth: `20${String(10 + (i % 14)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    };
    if (i % 3 === 0)
      overrides.upn = generateUpn({
        laCode: 318,
        establishment: 2000 + (i % 50),
        year: 2019,
        serial: i % 1000,
      });
    if (family === 'death') overrides.dateOfDeath = addCalendarDays(r, 60);
    const child =
      family === 'unborn'
        ? await anUnbornChild(db, { expectedDateOfBirth: addCalendarDays(r, 200) })
        : await aChild(db, overrides);
    if (family !== 'unborn')
      for (const code of DISABILITY_SETS[i % DISABILITY_SETS.length]!)
        await db.insertInto('personDisabilities').values({ personId: child.id, code }).execute();
    await withCensusDetails(db, child.id);
    if (family === 'unborn' || !overrides.upn)
      await db
        .updateTable('people')
        .set({
          upnUnknownReason: family === 'unborn' || overrides.dateOfBirth! > '2022-08-31' ? 'UN1' : 'UN4',
        })
        .where('id', '=', child.id)
        .execute();

    const referralDate = family === 'open-on-1-april' ? wd(addCalendarDays('2025-01-13', i % 40)) : r;
    const referral = async (nfa = false) => {
      const opened = await run(db, (trx) =>
        openCinReferral(contextFor(trx, mash, at(referralDate)), {
          childId: child.id,
          referralDate,
          referralSource: ['2A', '3A', '6', '1A', '5D'][i % 5]!,
          teamId: team,
          primaryNeedCode: nfa ? null : ['N1', 'N2', 'N4', 'N5'][i % 4]!,
          referralNfa: nfa,
        }),
      );
      if (!nfa)
        await run(db, (trx) =>
          allocateEpisode(contextFor(trx, manager, at(referralDate)), {
            episodeId: opened.id,
            teamId: team,
            workerId: sw.id,
            startedOn: referralDate,
          }),
        );
      return opened.id;
    };
    const assessment = async (
      episodeId: string,
      start: string,
      factors: string[],
      outcome: 'cin-plan' | 'no-further-action' | 'strategy-discussion' = 'cin-plan',
    ) => {
      const done = wd(addCalendarDays(start, 20));
      const id = await run(db, (trx) =>
        startAssessment(contextFor(trx, sw, at(start)), { episodeId, startDate: start }),
      );
      await run(db, async (trx) => {
        await saveAssessmentAnswers(contextFor(trx, sw, at(done)), {
          assessmentId: id,
          answers: COMPLETE_ANSWERS,
          version: 1,
        });
        await recordChildSeen(contextFor(trx, sw, at(done)), {
          assessmentId: id,
          seenOn: start,
          seenAlone: true,
        });
        await completeAssessment(contextFor(trx, sw, at(done)), {
          assessmentId: id,
          completedOn: done,
          outcome,
          outcomeReason: 'As the assessment found.',
          primaryNeedCode: 'N1',
          proposedFactors: factors,
          today: done,
        });
      });
      await run(db, (trx) =>
        authoriseAssessment(contextFor(trx, manager, at(done)), {
          assessmentId: id,
          decision: 'authorise',
          authorisedOn: done,
          oversight: 'Agreed.',
          factors,
        }),
      );
      return done;
    };
    const cinPlan = (episodeId: string, start: string) =>
      run(db, (trx) =>
        startCinPlan(contextFor(trx, sw, at(start)), {
          episodeId,
          startDate: start,
          familySummary: 'Our plan',
          goals: [
            {
              worry: `Worry: ${COMPLETE_ANSWERS.worries.worries[0]!.statement}`,
              goal: 'Safe at home',
              measure: 'Scaling',
              responsible: 'Social worker',
              targetDate: addCalendarDays(start, 90),
            },
          ],
        }),
      );
    const close = (episodeId: string, closureDate: string, reason: string) =>
      run(db, (trx) =>
        closeEpisode(contextFor(trx, manager, at(closureDate)), {
          episodeId,
          closureDate,
          reason,
          notes: 'Closed.',
        }),
      );
    const enquiry = async (episodeId: string, start: string) => {
      await run(db, (trx) =>
        recordStrategyDiscussion(contextFor(trx, sw, at(start)), {
          episodeId,
          heldOn: start,
          informationShared: 'Bruising seen at school.',
          decision: 'section-47',
          rationale: 'Reasonable cause to suspect significant harm.',
          participants: people,
        }),
      );
      return run(db, (trx) =>
        startSection47(contextFor(trx, sw, at(start)), {
          episodeId,
          startDate: start,
          queryExplanation: 'The assessment runs alongside the enquiry.',
        }),
      );
    };

    let episodeId: string;
    switch (family) {
      case 'nfa':
        episodeId = await referral(true);
        break;
      case 'assessment-no-factors': {
        episodeId = await referral();
        const done = await assessment(episodeId, wd(addCalendarDays(r, 1)), ['21'], 'no-further-action');
        await close(episodeId, wd(addCalendarDays(done, 1)), i % 20 < 10 ? 'RC8' : 'RC9');
        break;
      }
      case 'cin-plan': {
        episodeId = await referral();
        const done = await assessment(episodeId, wd(addCalendarDays(r, 1)), ['3B', '4B']);
        await cinPlan(episodeId, wd(addCalendarDays(done, 1)));
        break;
      }
      case 'cp-plan': {
        episodeId = await referral();
        await assessment(episodeId, r, ['16A', '3B'], 'strategy-discussion');
        const s47 = await enquiry(episodeId, wd(addCalendarDays(r, 2)));
        const icpc = cal.addWorkingDays(wd(addCalendarDays(r, 2)), 12);
        await run(db, (trx) =>
          recordSection47Outcome(contextFor(trx, sw, at(icpc)), {
            section47Id: s47,
            outcomeOn: icpc,
            outcome: 'icpc',
            notes: 'Conference.',
          }),
        );
        await run(db, (trx) =>
          recordInitialConference(contextFor(trx, sw, at(icpc)), {
            episodeId,
            section47Id: s47,
            heldOn: icpc,
            chair: 'Chair Person',
            attendees: people,
            outcome: 'cp-plan',
            category: 'NEG',
            decisions: 'A child protection plan under neglect.',
          }),
        );
        const planId = await run(db, (trx) =>
          startCpPlan(contextFor(trx, sw, at(icpc)), {
            episodeId,
            startDate: icpc,
            initialCategory: 'NEG',
            planSummary: 'Keep safe.',
          }),
        );
        const review = wd(addCalendarDays(icpc, 90));
        if (review <= '2026-03-31')
          await run(db, (trx) =>
            recordReviewConference(contextFor(trx, sw, at(review)), {
              cpPlanId: planId,
              heldOn: review,
              chair: 'Chair Person',
              attendees: people,
              outcome: 'continue-plan',
              latestCategory: 'EMO',
              decisions: 'The plan continues.',
              actionsDone: [],
            }),
          );
        break;
      }
      case 'section-47-no-conference': {
        episodeId = await referral();
        await assessment(episodeId, r, ['3B'], 'strategy-discussion');
        const s47 = await enquiry(episodeId, wd(addCalendarDays(r, 2)));
        const outcomeOn = wd(addCalendarDays(r, 9));
        await run(db, (trx) =>
          recordSection47Outcome(contextFor(trx, sw, at(outcomeOn)), {
            section47Id: s47,
            outcomeOn,
            outcome: 'cin-plan',
            notes: 'No conference needed.',
          }),
        );
        await close(episodeId, wd(addCalendarDays(outcomeOn, 30)), 'RC7');
        break;
      }
      case 'unborn': {
        episodeId = await referral();
        const done = await assessment(episodeId, wd(addCalendarDays(r, 1)), ['6B']);
        await cinPlan(episodeId, wd(addCalendarDays(done, 1)));
        break;
      }
      case 'closed-after-plan': {
        episodeId = await referral();
        const done = await assessment(episodeId, wd(addCalendarDays(r, 1)), ['1B', '24A']);
        const start = wd(addCalendarDays(done, 1));
        const planId = await cinPlan(episodeId, start);
        const end = wd(addCalendarDays(start, 60));
        await run(db, (trx) =>
          endCinPlan(contextFor(trx, sw, at(end)), {
            cinPlanId: planId,
            endDate: end,
            reason: 'closure',
            notes: 'Goals met.',
          }),
        );
        await close(episodeId, end, 'RC7');
        break;
      }
      case 'transfer-in': {
        const opened = await run(db, (trx) =>
          transferIn(contextFor(trx, sw, at(r)), {
            childId: child.id,
            referralDate: r,
            fromAuthority: 'Surrey',
            fromLaCode: '936',
            referralSource: '5C',
            primaryNeedCode: 'N1',
            teamId: team,
          }),
        );
        episodeId = opened.id;
        const icpc = cal.addWorkingDays(r, 10);
        await run(db, (trx) =>
          recordInitialConference(contextFor(trx, sw, at(icpc)), {
            episodeId,
            section47Id: null,
            heldOn: icpc,
            chair: 'Chair Person',
            attendees: people,
            outcome: 'cp-plan',
            category: 'PHY',
            decisions: 'The plan carried over continues here.',
          }),
        );
        await run(db, (trx) =>
          startCpPlan(contextFor(trx, sw, at(icpc)), {
            episodeId,
            startDate: icpc,
            initialCategory: 'PHY',
            planSummary: 'Keep safe.',
          }),
        );
        break;
      }
      case 'death': {
        episodeId = await referral();
        await assessment(episodeId, wd(addCalendarDays(r, 1)), ['6A']);
        await close(episodeId, overrides.dateOfDeath!, 'RC2');
        break;
      }
      case 'open-on-1-april': {
        episodeId = await referral();
        const done = await assessment(episodeId, wd(addCalendarDays(referralDate, 1)), ['4B']);
        await cinPlan(episodeId, wd(addCalendarDays(done, 1)));
        break;
      }
    }
    out.push({ childId: child.id, family, episodeId });
  }
  return out;
}
