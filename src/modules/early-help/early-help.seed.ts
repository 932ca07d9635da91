import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { addCalendarDays, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { loadCurrentUser } from '../identity/index.ts';
import { createPerson } from '../people/index.ts';
import { saveAssessment } from './assessment.service.ts';
import { closeEpisode, recordFeedback } from './closure.service.ts';
import { addTafMember, openEarlyHelpEpisode } from './episode.service.ts';
import { episodeVersion, planVersion } from './episode.repository.ts';
import { agreePlan, planItems, saveGoal } from './plan.service.ts';
import { recordReview } from './review.service.ts';
import { RuleProblemsError } from './early-help.ts';

/** A demo assessment must complete: if the demo answers no longer do, say which problems stopped it. */
async function demoAssessment<T>(failure: string, saving: Promise<T>): Promise<T> {
  return saving.catch((error: unknown) => {
    throw error instanceof RuleProblemsError
      ? new Error(`${failure}: ${error.problems.map((p) => p.message).join('; ')}`)
      : error;
  });
}

/**
 * Synthetic early help for the demonstration, written through the module's services (so the chronology, audit
 * trail, scores and worktray are as in real use):
 * - the Osei family: open for 16 weeks, led by the demo early help practitioner with the school and the health
 *   visitor in the team around the family; an assessment with its risk analysis (agreed by a manager), an agreed
 *   plan of two goals, and two reviews with rising scores; the next review is due soon;
 * - the Byrne family: early help closed three weeks ago with the outcomes achieved, so the impact page has a
 *   family's distance travelled to show, and the check that outcomes lasted is on the worktray in five months.
 */
export async function seedDemoEarlyHelp(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
): Promise<{ episodes: number }> {
  const today = isoDateOf(now);
  const day = (daysAgo: number) => addCalendarDays(today, -daysAgo);
  const at = (daysAgo: number) => instantAt(day(daysAgo), '11:00');
  /** The services' context for a step taken by `user` at `when`. */
  const contextOf = (user: CurrentUser, when: Date): ServiceContext => ({
    db: trx,
    user,
    now: when,
    calendar: englandAndWalesCalendar,
  });
  const eh = (await loadCurrentUser(trx, org.users.get('early.help')!, null))!;
  const manager = (await loadCurrentUser(trx, org.users.get('team.manager')!, null))!;
  const cluster = org.clusters.get('Richmond and Kew')!;
  const address = { addressLine1: '27 Kew Road', town: 'Richmond', postcode: 'TW9 2NQ' };
  const person = (fields: Record<string, unknown>) =>
    createPerson(contextOf(eh, at(120)), {
      localAuthorityId: org.richmondId,
      interpreterNeeded: false,
      unaccompaniedAsylumSeeking: false,
      disabilities: [],
      ...address,
      ...fields,
    } as unknown as Parameters<typeof createPerson>[1]);

  // 1. The Osei family.
  await person({
    kind: 'adult',
    givenName: 'Abena',
    familyName: 'Osei',
    dateOfBirth: '1989-02-11',
    sex: 'F',
    ethnicityCode: 'BAFR',
    firstLanguage: 'ENG',
  });
  const kwame = await person({
    kind: 'child',
    givenName: 'Kwame',
    familyName: 'Osei',
    dateOfBirth: '2017-05-20',
    sex: 'M',
    ethnicityCode: 'BAFR',
    firstLanguage: 'ENG',
    school: 'Orchard Primary School',
  });
  const ama = await person({
    kind: 'child',
    givenName: 'Ama',
    familyName: 'Osei',
    dateOfBirth: '2022-01-08',
    sex: 'F',
    ethnicityCode: 'BAFR',
    firstLanguage: 'ENG',
  });
  const osei = await openEarlyHelpEpisode(contextOf(eh, at(112)), {
    childIds: [kwame.id, ama.id],
    source: 'front-door',
    openedOn: day(112),
    clusterId: cluster,
    leadPractitionerId: eh.id,
    familyPreference: 'Abena asked for the same worker who ran her parenting group',
    consentGiven: true,
    consentNotes: 'Abena agreed on the phone and signed the consent form at the first visit.',
    levelOfNeed: 'level-2',
  });
  const school = org.agencies.get('Orchard Primary School')!;
  const health = org.agencies.get('Kingston and Richmond NHS Foundation Trust')!;
  await addTafMember(contextOf(eh, at(110)), {
    episodeId: osei.id,
    userId: org.users.get('school.lead')!,
    role: 'Designated safeguarding lead',
  });
  await addTafMember(contextOf(eh, at(110)), {
    episodeId: osei.id,
    name: 'Grace Adjei',
    role: 'Health visitor (Ama)',
    agencyId: health,
  });
  await addTafMember(contextOf(eh, at(110)), {
    episodeId: osei.id,
    name: 'Mr Hollis',
    role: 'Kwame’s class teacher',
    agencyId: school,
  });
  const assessment = await demoAssessment(
    'Demo assessment not completed',
    saveAssessment(contextOf(eh, at(100)), {
      episodeId: osei.id,
      action: 'complete',
      body: {
        household__reason:
          'Kwame’s school is worried about his lateness, tiredness and outbursts since his father left in the spring. Abena is working nights and asked for help.',
        household__members__0__name: 'Abena Osei',
        household__members__0__relationship: 'Mother',
        household__members__1__name: 'Ama Osei',
        household__members__1__relationship: 'Sister',
        household__network:
          'Abena’s sister Efua lives in Hounslow and can help at weekends. The church community are supportive.',
        household__professionals: 'Orchard Primary School; the health visitor for Ama.',
        childDevelopment__strengths: 'Kwame is bright and loves football. Ama is meeting her milestones.',
        childDevelopment__needs__0__need: 'Kwame needs to get to school on time and rested',
        childDevelopment__needs__0__outcome: 'education',
        childDevelopment__needs__1__need: 'Kwame needs a safe way to talk about his dad leaving',
        childDevelopment__needs__1__outcome: 'health',
        childDevelopment__score: '2',
        parentingCapacity__strengths: 'Abena is warm and firm, and asked for help herself.',
        parentingCapacity__needs__0__need: 'Abena needs childcare that fits her night shifts',
        parentingCapacity__needs__0__outcome: 'family-relationships',
        parentingCapacity__score: '3',
        familyEnvironment__strengths: 'A stable tenancy; good links with the church.',
        familyEnvironment__needs__0__need: 'The family has rent arrears since the separation',
        familyEnvironment__needs__0__outcome: 'financial',
        familyEnvironment__score: '2',
        riskAnalysis__worries__0__what: 'Kwame is late or absent two days a week and falls asleep in class',
        riskAnalysis__worries__0__whoIsWorried: 'Mr Hollis, Kwame’s class teacher, and Abena',
        riskAnalysis__worries__0__impact:
          'Kwame falls behind, loses his place in the football team and feels he is “the bad one”',
        riskAnalysis__worries__1__what: 'Kwame hits out when he is angry, and Ama has been hurt once',
        riskAnalysis__worries__1__whoIsWorried: 'Abena',
        riskAnalysis__worries__1__impact: 'Ama could be hurt, and Kwame’s anger could grow without help',
        riskAnalysis__workingWell:
          'Abena asked for help. Kwame talks to Mr Hollis. Efua helps at weekends. The children are well cared for.',
        riskAnalysis__complicatingFactors:
          'Abena’s night shifts; Kwame’s father is not in contact; the rent arrears add stress.',
        riskAnalysis__workerScale: '4',
        riskAnalysis__familyScale: '5',
        riskAnalysis__familyScaleBy: 'Abena (Kwame said “6 because of football”)',
        riskAnalysis__needsToHappen:
          'Mornings that get Kwame to school on time; help for Kwame with his feelings about his dad; childcare and money advice for Abena.',
        voices__childsWords:
          'Kwame: “I get cross because Dad went. I like football and Mr Hollis.” Ama showed me her favourite doll and smiled at Abena.',
        voices__howHeard: 'Three Houses with Kwame at school, seen alone; Ama seen at home with Abena',
        voices__parentsViews: 'Abena wants Kwame to be happy again and to stop worrying about the rent.',
        analysis__summary:
          'The family are coping with a sudden separation. The risk is to Kwame’s education and wellbeing, and to Ama if the outbursts continue. With routines, support for Kwame and practical help for Abena, we expect things to improve within three months.',
      },
    }),
  );
  await trx
    .updateTable('earlyHelpAssessments')
    .set({
      oversightStatus: 'agreed',
      oversightAt: at(98),
      oversightBy: manager.id,
      oversightRationale:
        'Clear worry statements with the impact on Kwame and Ama; both scalings recorded. Agreed.',
    })
    .where('id', '=', assessment.assessmentId)
    .execute();
  const { items } = await planItems(trx, osei.id);
  const find = (text: string) => items.find((i) => i.summary.startsWith(text))!.id;
  const goal = (input: {
    itemIds: string[];
    whatWillChange: string;
    actions: string;
    who: string;
    byWhen: string;
    measure: string;
    outcomeHeading: 'education' | 'health' | 'family-relationships' | 'financial';
    familyWords: string;
    baselineScore: number;
  }) => saveGoal(contextOf(eh, at(96)), { episodeId: osei.id, ...input });
  await goal({
    itemIds: [find('Kwame is late'), find('Kwame needs to get to school'), find('Abena needs childcare')],
    whatWillChange: 'Kwame gets to school on time and rested every day',
    actions: 'Breakfast club place; Efua does two school runs a week; a bedtime routine chart',
    who: 'Abena, Efua, Mr Hollis',
    byWhen: day(20),
    measure: 'Attendance above 95% and no lates for four weeks running',
    outcomeHeading: 'education',
    familyWords: 'Kwame gets to school on time, ready to learn',
    baselineScore: 3,
  });
  await goal({
    itemIds: [find('Kwame hits out'), find('Kwame needs a safe way')],
    whatWillChange: 'Kwame has safe ways to show he is angry or sad, and Ama is not hurt',
    actions: 'Six sessions with the school’s play therapist; a calm-down plan at home',
    who: 'Play therapist, Abena, Eve Halpern',
    byWhen: day(-30),
    measure: 'No hitting for six weeks; Kwame can name two things that help him calm down',
    outcomeHeading: 'health',
    familyWords: 'Kwame has ways to calm down, and everyone at home feels safe',
    baselineScore: 3,
  });
  await saveGoal(contextOf(eh, at(96)), {
    episodeId: osei.id,
    itemIds: [find('The family has rent arrears')],
    whatWillChange: 'The rent arrears are paid off with a plan Abena can afford',
    actions: 'Referral to Richmond Housing Options and Citizens Advice',
    who: 'Abena, Eve Halpern',
    byWhen: day(-60),
    measure: 'A repayment plan agreed with the landlord and kept for three months',
    outcomeHeading: 'financial',
    familyWords: 'A rent plan we can manage',
    baselineScore: 2,
  });
  await agreePlan(contextOf(eh, at(95)), {
    episodeId: osei.id,
    familyAgreed: true,
    familySummary: 'This plan is about mornings, Kwame’s feelings, and getting on top of the rent.',
    version: await planVersion(trx, osei.id),
  });
  const goals = await trx
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position'])
    .where('episodeId', '=', osei.id)
    .orderBy('position')
    .execute();
  const members = await trx
    .selectFrom('earlyHelpTafMembers')
    .select('id')
    .where('episodeId', '=', osei.id)
    .execute();
  const review = (
    daysAgo: number,
    worker: number,
    family: number,
    goalScores: number[],
    domain: number,
    views: { child: string; family: string },
  ) =>
    recordReview(contextOf(eh, at(daysAgo)), {
      episodeId: osei.id,
      heldOn: day(daysAgo),
      attendance: Object.fromEntries(
        members.map((m, i) => [m.id, i === 1 && daysAgo < 50 ? 'apologies' : 'attended']),
      ),
      familyAttendance: 'Abena, and Kwame for the first half',
      goals: goals.map((g, i) => ({
        goalId: g.id,
        score: goalScores[i]!,
        progress: [
          'Breakfast club started; lates down to one a week',
          'Play therapy going well; one outburst this month',
          'Housing Options appointment booked',
        ][i]!,
        status: 'open' as const,
      })),
      workerScale: worker,
      familyScale: family,
      domainScores: { childDevelopment: domain, parentingCapacity: domain + 1, familyEnvironment: domain },
      childsViews: views.child,
      familyViews: views.family,
      decision: 'continue',
      decisionRationale: 'Progress on every goal: keep the plan going.',
    });
  await review(84, 5, 6, [5, 4, 3], 3, {
    child: 'Kwame: “Breakfast club is good. I still get cross sometimes.”',
    family: 'Abena says mornings are calmer now Efua helps.',
  });
  await review(42, 7, 7, [7, 6, 5], 4, {
    child: 'Kwame: “I got picked for football! The squeezy ball helps.”',
    family: 'Abena feels on top of things for the first time since the spring.',
  });
  await recordFeedback(contextOf(eh, at(42)), {
    episodeId: osei.id,
    stage: 'review',
    respondent: 'child',
    respondentName: 'Kwame',
    listened: 'yes',
    helped: 'yes',
    thingsBetter: 'better',
    knowsNext: 'not-sure',
    comments: 'I like Eve. She does not talk for too long.',
    givenOn: day(42),
  });

  // 2. The Byrne family: closed three weeks ago with the outcomes achieved.
  await person({
    kind: 'adult',
    givenName: 'Siobhan',
    familyName: 'Byrne',
    dateOfBirth: '1992-07-07',
    sex: 'F',
    ethnicityCode: 'WIRI',
    firstLanguage: 'ENG',
    addressLine1: '4 Sheen Lane',
    postcode: 'SW14 8LP',
  });
  const niamh = await person({
    kind: 'child',
    givenName: 'Niamh',
    familyName: 'Byrne',
    dateOfBirth: '2019-10-02',
    sex: 'F',
    ethnicityCode: 'WIRI',
    firstLanguage: 'ENG',
    addressLine1: '4 Sheen Lane',
    postcode: 'SW14 8LP',
  });
  const byrne = await openEarlyHelpEpisode(contextOf(eh, at(150)), {
    childIds: [niamh.id],
    source: 'partner',
    openedOn: day(150),
    clusterId: cluster,
    leadPractitionerId: eh.id,
    consentGiven: true,
    levelOfNeed: 'level-2',
  });
  await demoAssessment(
    'Demo assessment (Byrne) not completed',
    saveAssessment(contextOf(eh, at(140)), {
      episodeId: byrne.id,
      action: 'complete',
      body: {
        household__reason: 'Siobhan asked the children’s centre for help with Niamh’s sleep and tantrums.',
        household__network: 'Siobhan’s mother visits weekly.',
        childDevelopment__strengths: 'Niamh is chatty and loves books.',
        childDevelopment__needs__0__need: 'Niamh needs a bedtime routine',
        childDevelopment__needs__0__outcome: 'early-years',
        childDevelopment__score: '2',
        parentingCapacity__strengths: 'Siobhan is loving and keen to learn.',
        parentingCapacity__score: '3',
        familyEnvironment__strengths: 'Settled housing.',
        familyEnvironment__score: '4',
        riskAnalysis__worries__0__what: 'Niamh sleeps four or five hours a night and Siobhan is exhausted',
        riskAnalysis__worries__0__whoIsWorried: 'Siobhan and the health visitor',
        riskAnalysis__worries__0__impact: 'Niamh’s development and Siobhan’s patience suffer',
        riskAnalysis__workingWell: 'Siobhan asked for help early; grandma helps.',
        riskAnalysis__complicatingFactors: 'None identified',
        riskAnalysis__workerScale: '4',
        riskAnalysis__familyScale: '3',
        riskAnalysis__needsToHappen: 'A bedtime routine that works, and rest for Siobhan.',
        voices__childsWords: 'Niamh: “I don’t like the dark.”',
        voices__parentsViews: 'Siobhan wants to enjoy Niamh again.',
        analysis__summary: 'A sleep problem with a clear plan; low risk.',
      },
    }),
  );
  const byrneItems = (await planItems(trx, byrne.id)).items;
  const sleepGoal = await saveGoal(contextOf(eh, at(138)), {
    episodeId: byrne.id,
    itemIds: byrneItems.map((i) => i.id),
    whatWillChange: 'Niamh sleeps through most nights',
    actions: 'Sleep clinic at the children’s centre; a night light; a bedtime story routine',
    who: 'Siobhan, the health visitor',
    byWhen: day(60),
    measure: 'Niamh sleeps ten hours on five nights a week for a month',
    outcomeHeading: 'early-years',
    baselineScore: 2,
  });
  await agreePlan(contextOf(eh, at(137)), {
    episodeId: byrne.id,
    familyAgreed: true,
    version: await planVersion(trx, byrne.id),
  });
  await recordReview(contextOf(eh, at(95)), {
    episodeId: byrne.id,
    heldOn: day(95),
    attendance: {},
    goals: [
      { goalId: sleepGoal, score: 6, progress: 'Sleeping through three nights a week', status: 'open' },
    ],
    workerScale: 6,
    familyScale: 6,
    domainScores: { childDevelopment: 3, parentingCapacity: 4, familyEnvironment: 4 },
    childsViews: 'Niamh: “My light is a moon.”',
    familyViews: 'Siobhan is less tired.',
    decision: 'continue',
    decisionRationale: 'Good progress.',
  });
  await recordReview(contextOf(eh, at(22)), {
    episodeId: byrne.id,
    heldOn: day(22),
    attendance: {},
    goals: [{ goalId: sleepGoal, score: 9, progress: 'Sleeping through most nights', status: 'achieved' }],
    workerScale: 9,
    familyScale: 9,
    domainScores: { childDevelopment: 4, parentingCapacity: 5, familyEnvironment: 4 },
    childsViews: 'Niamh: “I sleep in my big bed.”',
    familyViews: 'Siobhan says “we got our evenings back”.',
    decision: 'close',
    decisionRationale: 'The goal is met and the family are confident.',
  });
  await recordFeedback(contextOf(eh, at(21)), {
    episodeId: byrne.id,
    stage: 'closure',
    respondent: 'parent-carer',
    respondentName: 'Siobhan',
    listened: 'yes',
    helped: 'yes',
    thingsBetter: 'better',
    knowsNext: 'yes',
    comments: 'It made such a difference to all of us.',
    givenOn: day(21),
  });
  await closeEpisode(contextOf(eh, at(21)), {
    episodeId: byrne.id,
    closedOn: day(21),
    reason: 'needs-met',
    outcome: 'improved',
    summary:
      'Niamh sleeps through most nights; Siobhan feels confident. Universal services (the health visitor) carry on.',
    workerScale: 9,
    familyScale: 9,
    domainScores: { childDevelopment: 4, parentingCapacity: 5, familyEnvironment: 4 },
    goals: [],
    version: await episodeVersion(trx, byrne.id),
  });
  return { episodes: 2 };
}
