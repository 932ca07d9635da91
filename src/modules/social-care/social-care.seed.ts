import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { loadCurrentUser } from '../identity/index.ts';
import { addRelationship, createPerson } from '../people/index.ts';
import { startAssessment } from './assessment.service.ts';
import {
  recordInitialConference,
  recordStrategyDiscussion,
  startCpPlan,
  startSection47,
} from './child-protection.service.ts';
import { allocateEpisode } from './episode.service.ts';
import { openCinReferral } from './referral.service.ts';
import {
  recordFgdmResponse,
  recordLegalPlanningMeeting,
  recordLetterBeforeProceedings,
} from './pre-proceedings.service.ts';
import { generateUpn } from '../../kernel/identifiers/index.ts';

/**
 * Demo social care work for the demo social worker (Sian Walker) and her team manager, dated back from today in
 * working days so the clocks are live whenever the demo starts:
 * 1. Chloe Marsh: referred 12 working days ago, assessment under way (the 45-working-day clock running).
 * 2. Jayden Cole: strategy discussion, section 47 enquiry with its child and family assessment, and initial
 *    conference (10 working days ago) under neglect; a child protection plan whose first core group and statutory
 *    visit are due now; pre-proceedings started 4 working days ago, the letter before proceedings sent with an offer
 *    of a family group decision making meeting, which his mother accepted (the 16-week timeline running).
 * Everything goes through the module's services, so the census rules, audit trail and chronology apply.
 */
export async function seedDemoSocialCare(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<{ episodes: number }> {
  const today = isoDateOf(now);
  const back = (n: number) => {
    let d = calendar.workingDayOnOrAfter(today) === today ? today : calendar.previousWorkingDay(today);
    for (let i = 0; i < n; i++) d = calendar.previousWorkingDay(d);
    return d;
  };
  const user = async (email: string) => (await loadCurrentUser(trx, org.users.get(email)!, null))!;
  const mash = await user('mash.manager');
  const manager = await user('team.manager');
  const sw = await user('social.worker');
  /** The context the services get, as if the user had made the change in the app today. */
  const as = (actor: CurrentUser): ServiceContext => ({ db: trx, user: actor, now, calendar });
  const assessmentTeam = org.teams.get('Assessment Team')!;
  const agencyOfKind = async (kind: string) =>
    (
      await trx
        .selectFrom('agencies')
        .select('id')
        .where('kind', '=', kind)
        .orderBy('name')
        .executeTakeFirstOrThrow()
    ).id;
  const participants = [
    { name: 'Sian Walker', agencyId: null, role: 'Social worker' },
    {
      name: 'DC Amy Price',
      agencyId: await agencyOfKind('police'),
      role: 'Police child abuse investigation team',
    },
    {
      name: 'Nurse Helen Achebe',
      agencyId: await agencyOfKind('health'),
      role: 'Named nurse for safeguarding',
    },
  ];
  const child = (fields: Record<string, unknown>) =>
    createPerson(as(mash), {
      localAuthorityId: org.richmondId,
      interpreterNeeded: false,
      unaccompaniedAsylumSeeking: false,
      disabilities: ['NONE'],
      ...fields,
    } as unknown as Parameters<typeof createPerson>[1]);

  // 1. Chloe Marsh: a child and family assessment under way.
  const chloe = await child({
    kind: 'child',
    givenName: 'Chloe',
    familyName: 'Marsh',
    dateOfBirth: '2017-03-14',
    upn: generateUpn({ laCode: '318', establishment: 2041, year: 2021, serial: 117 }),
    sex: 'F',
    ethnicityCode: 'WBRI',
    firstLanguage: 'ENG',
    addressLine1: '4 Sheen Lane',
    town: 'London',
    postcode: 'SW14 8LP',
    school: 'Sheen Mount Primary School',
  });
  const chloeReferred = back(12);
  const chloeEpisode = await openCinReferral(as(mash), {
    childId: chloe.id,
    referralDate: chloeReferred,
    referralSource: '3A',
    teamId: assessmentTeam,
    primaryNeedCode: 'N1',
  });
  await allocateEpisode(as(manager), {
    episodeId: chloeEpisode.id,
    teamId: assessmentTeam,
    workerId: sw.id,
    startedOn: chloeReferred,
  });
  await startAssessment(as(sw), {
    episodeId: chloeEpisode.id,
    startDate: back(10),
    queryExplanation: 'Assessment started after the first home visit.',
  });

  // 2. Jayden Cole: strategy discussion → section 47 → initial conference → child protection plan.
  const jayden = await child({
    kind: 'child',
    givenName: 'Jayden',
    familyName: 'Cole',
    dateOfBirth: '2020-08-02',
    upn: generateUpn({ laCode: '318', establishment: 2063, year: 2024, serial: 52 }),
    sex: 'M',
    ethnicityCode: 'MWBC',
    firstLanguage: 'ENG',
    addressLine1: '19 Lower Mortlake Road',
    town: 'Richmond',
    postcode: 'TW9 2LW',
  });
  const jaydenReferred = back(25);
  const jaydenEpisode = await openCinReferral(as(mash), {
    childId: jayden.id,
    referralDate: jaydenReferred,
    referralSource: '2A',
    teamId: assessmentTeam,
    primaryNeedCode: 'N1',
  });
  await allocateEpisode(as(manager), {
    episodeId: jaydenEpisode.id,
    teamId: assessmentTeam,
    workerId: sw.id,
    startedOn: jaydenReferred,
  });
  const strategyOn = back(24);
  await recordStrategyDiscussion(as(sw), {
    episodeId: jaydenEpisode.id,
    heldOn: strategyOn,
    informationShared:
      'Nursery reported Jayden arriving hungry and in the same clothes for a week; police attended a disturbance at the home.',
    decision: 'section-47',
    rationale: 'Reasonable cause to suspect Jayden is suffering significant harm through neglect.',
    participants,
  });
  const s47 = await startSection47(as(sw), {
    episodeId: jaydenEpisode.id,
    startDate: strategyOn,
    queryExplanation: 'The enquiry started on the day of the strategy discussion.',
  });
  // The section 47 enquiry is carried out through the child and family assessment, started the same day: a child on
  // a plan never has an episode that says 'No assessment yet'.
  await startAssessment(as(sw), {
    episodeId: jaydenEpisode.id,
    startDate: strategyOn,
    queryExplanation: 'Assessment started with the section 47 enquiry.',
  });
  const icpc = back(10);
  await recordInitialConference(as(sw), {
    episodeId: jaydenEpisode.id,
    section47Id: s47,
    heldOn: icpc,
    chair: 'Independent chair: Ruth Okafor',
    attendees: participants,
    outcome: 'cp-plan',
    category: 'NEG',
    decisions: 'Jayden is to be the subject of a child protection plan under neglect.',
  });
  await startCpPlan(as(sw), {
    episodeId: jaydenEpisode.id,
    startDate: icpc,
    initialCategory: 'NEG',
    planSummary:
      'Jayden has regular meals, clean clothes and goes to nursery every day; his mother is supported with her own health.',
  });

  // Pre-proceedings for Jayden: his mother (with parental responsibility), a legal planning meeting that started
  // them, the letter before proceedings offering her a family group decision making meeting, and her acceptance.
  const { relatedPersonId: motherId } = await addRelationship(as(sw), {
    personId: jayden.id,
    newPerson: { kind: 'adult', givenName: 'Kerry', familyName: 'Cole', sex: 'F' },
    kind: 'parent',
    parentalResponsibility: true,
    livesWith: true,
  });
  const lpm = back(4);
  const ppId = await recordLegalPlanningMeeting(as(sw), {
    episodeId: jaydenEpisode.id,
    heldOn: lpm,
    attendees:
      'Team manager Marcus Reid, Sian Walker (social worker), Priya Shah (local authority solicitor)',
    decision: 'start',
    rationale:
      'Neglect continues despite the child protection plan: the threshold for care proceedings is met, and pre-proceedings give Kerry the chance to make the changes Jayden needs.',
  });
  await recordLetterBeforeProceedings(as(sw), {
    preProceedingsId: ppId,
    sentOn: back(2),
    offerTo: [motherId],
    version: 1,
  });
  const offer = await trx
    .selectFrom('fgdmOffers')
    .select(['id', 'version'])
    .where('preProceedingsId', '=', ppId)
    .executeTakeFirstOrThrow();
  await recordFgdmResponse(as(sw), {
    offerId: offer.id,
    response: 'accepted',
    respondedOn: back(1),
    version: offer.version,
  });
  return { episodes: 2 };
}
