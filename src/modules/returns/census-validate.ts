import { validateFormerUpn, validateLaChildId, validateUpn } from '../../kernel/identifiers/index.ts';
import { checkDisabilities } from '../people/index.ts';
import { censusRules as R, type CensusRecordEpisode } from '../social-care/index.ts';
import type { CensusChild } from './census-scope.ts';
import { censusRule, type CensusYear } from './census-years.ts';

/**
 * The whole-return validator: every rule of the year's ruleset over the return, child by child as the file is
 * written (validateCensusChild), then the rules over the return as a whole (CensusReturnTotals.finish). Each
 * rule has one implementation: the functions in social-care/census-rules.ts that the point-of-entry checks use
 * (and the people module's and kernel's UPN, LA child ID and disability checks); this file only decides which
 * records each applies to. The kind (error or query) is the year's: a census-year rule asked as a query at entry
 * is an error on the return.
 */

/** What a worker opens to fix a failure (the page builds the link). */
export type FixTarget =
  | { kind: 'child'; id: string }
  | { kind: 'episode'; id: string }
  | { kind: 'assessment'; id: string }
  | { kind: 'section47'; id: string }
  | { kind: 'conference'; id: string }
  | { kind: 'cpPlan'; id: string }
  | { kind: 'cinPlan'; id: string }
  | { kind: 'preProceedings'; id: string }
  | { kind: 'return' };

export interface CensusFailure {
  rule: string;
  kind: 'error' | 'query';
  childId: string | null;
  laChildId: string | null;
  childName: string | null;
  episodeReference: string | null;
  teamName: string | null;
  workerName: string | null;
  /** The census item (XML element) the failure is about. */
  item: string;
  /** What is wrong with this record, in words. */
  detail: string;
  fix: FixTarget;
  /** The explanation a worker recorded for this query at the point of entry, if any. */
  explanation: string | null;
}

export interface ValidationContext {
  year: CensusYear;
  /** The working day before 1 April (8569Q). */
  dayBeforeYear: string;
  workingDaysBetween: (start: string, end: string) => number;
}

type Violation = { rule: string; message: string } | null;

/** Strips the "(rule 1234)" / "(query 1234Q)" suffix the point-of-entry wording carries. */
const plain = (message: string) => message.replace(/\s*\((rule|query) [^)]*\)$/, '');

function upnRule(message: string): string {
  return /\(rule (\d+)\)/.exec(message)?.[1] ?? '1510';
}

export function validateCensusChild(c: CensusChild, v: ValidationContext): CensusFailure[] {
  const { year } = v;
  const rules = new Set(year.rules);
  const period: R.CensusPeriod = { start: year.periodStart, referenceDate: year.referenceDate };
  const ref = year.referenceDate;
  const out: CensusFailure[] = [];
  const latestEpisode = c.episodes[c.episodes.length - 1];
  const childName = `${c.givenName} ${c.familyName}`.trim();

  const add = (
    violation: Violation,
    item: string,
    fix: FixTarget,
    episode: CensusRecordEpisode | null = null,
    subjectIds: readonly string[] = [],
  ) => {
    if (!violation || !violation.rule || !rules.has(violation.rule)) return;
    const rule = censusRule(violation.rule);
    const explained =
      rule.kind === 'query'
        ? (c.explanations.find(
            (x) => x.rule === rule.code && (subjectIds.includes(x.subjectId) || subjectIds.length === 0),
          ) ?? c.explanations.find((x) => x.rule === rule.code))
        : undefined;
    out.push({
      rule: rule.code,
      kind: rule.kind,
      childId: c.id,
      laChildId: c.laChildId,
      childName,
      episodeReference: (episode ?? null)?.reference ?? null,
      teamName: (episode ?? latestEpisode)?.teamName ?? null,
      workerName: c.workerName,
      item,
      detail: plain(violation.message),
      fix,
      explanation: explained?.explanation ?? null,
    });
  };
  const child: FixTarget = { kind: 'child', id: c.id };
  const allNfa = c.episodes.length > 0 && c.episodes.every((e) => e.referralNfa);

  // --- The child: identifiers and characteristics
  add(R.rule8500(c.laChildId), 'LAchildID', child);
  if (c.laChildId) {
    const id = validateLaChildId(c.laChildId);
    if (!id.ok)
      add({ rule: c.laChildId.length > 20 ? '1570' : '1580', message: id.reason }, 'LAchildID', child);
  }
  if (c.upn) {
    const upn = validateUpn(c.upn);
    if (!upn.ok) add({ rule: upnRule(upn.reason), message: upn.reason }, 'UPN', child);
  }
  if (c.formerUpn) {
    const former = validateFormerUpn(c.formerUpn);
    if (!former.ok) add({ rule: '1560Q', message: former.reason }, 'FormerUPN', child);
  }
  add(R.rule4180(c.sex), 'Sex', child);
  add(R.rule8750(c.dateOfBirth, c.expectedDateOfBirth, c.sex), 'Sex', child);
  add(R.rule4220(c.ethnicityCode), 'Ethnicity', child);
  add(R.rule8540(c.dateOfBirth, allNfa, c.disabilities), 'Disability', child);
  const noneWithOthers = checkDisabilities(c.disabilities);
  if (noneWithOthers) add({ rule: '8790', message: noneWithOthers }, 'Disability', child);
  add(R.rule8794(c.disabilities), 'Disability', child);
  add(R.rule8520(c.dateOfBirth, ref), 'PersonBirthDate', child);
  add(R.rule8525Q(c.dateOfBirth, c.expectedDateOfBirth), 'PersonBirthDate', child);
  if (!c.dateOfBirth) add(R.rule8530Q(c.expectedDateOfBirth, ref), 'ExpectedPersonBirthDate', child);
  add(R.rule8535Q(c.dateOfBirth, c.dateOfDeath), 'PersonDeathDate', child);
  add(R.rule8545Q(c.dateOfDeath, ref), 'PersonDeathDate', child);
  add(
    R.rule8770Q({ dateOfBirth: c.dateOfBirth, upn: c.upn, upnUnknownReason: c.upnUnknown }, allNfa, ref),
    'UPNunknown',
    child,
  );
  add(R.rule8772(c.upnUnknown, c.episodes), 'UPNunknown', child);
  if (c.episodes.some((e) => !e.closureDate || e.closureDate > addYears(c.dateOfBirth, 25)))
    add(R.rule8775Q(c.dateOfBirth, ref), 'PersonBirthDate', child);
  add(R.rule8590(c.episodes.length), 'CINdetails', child);
  if (latestEpisode)
    add(R.rule8815(c.episodes), 'CINclosureDate', { kind: 'episode', id: latestEpisode.id }, latestEpisode);

  // Child protection plans across the child's episodes (8935, 8940 look at every plan).
  const allCpPlans = c.episodes.flatMap((e) => e.cpPlans.map((p) => ({ plan: p, episode: e })));
  if (allCpPlans.filter((p) => !p.plan.endDate).length > 1) {
    const last = allCpPlans.filter((p) => !p.plan.endDate).at(-1)!;
    add(R.rule8935(1), 'CPPendDate', { kind: 'cpPlan', id: last.plan.id }, last.episode, [last.plan.id]);
  }
  for (const { plan, episode } of allCpPlans) {
    const others = allCpPlans
      .filter((o) => o.plan.id !== plan.id)
      .map((o) => ({ start: o.plan.startDate, end: o.plan.endDate }));
    add(R.rule8940(plan.startDate, others), 'CPPstartDate', { kind: 'cpPlan', id: plan.id }, episode, [
      plan.id,
    ]);
  }

  const referralDates = c.episodes.map((e) => e.referralDate);
  for (const e of c.episodes) {
    const ep: FixTarget = { kind: 'episode', id: e.id };
    const on = (violation: Violation, item: string, fix: FixTarget = ep, ids: string[] = []) =>
      add(violation, item, fix, e, [e.id, ...ids]);

    // --- The episode
    on(R.rule8600(e.referralDate, ref), 'CINreferralDate');
    on(R.rule8866(e.referralSource), 'ReferralSource');
    on(R.rule8650(e.primaryNeedCode), 'PrimaryNeedCode');
    on(R.rule8610(e.referralNfa, e.primaryNeedCode), 'PrimaryNeedCode');
    on(R.rule8568(e.referralNfa), 'ReferralNFA');
    on(R.rule8569Q(e.referralDate, e.referralNfa, v.dayBeforeYear), 'ReferralNFA');
    on(R.rule8606(e.referralDate, c.dateOfBirth, c.expectedDateOfBirth), 'CINreferralDate');
    on(R.rule8555Q(e.referralDate, c.dateOfDeath), 'CINreferralDate');
    on(
      R.rule8820(
        e.referralDate,
        c.episodes
          .filter((o) => o.id !== e.id)
          .map((o) => ({
            reference: o.reference,
            referralDate: o.referralDate,
            closureDate: o.closureDate,
            referralNfa: o.referralNfa,
          })),
      ),
      'CINreferralDate',
    );
    on(R.rule8816(e, referralDates), 'CINclosureDate');
    on(R.rule8805(e.closureDate, e.closureReason), 'ReasonForClosure');
    on(R.rule8810(e.closureReason, e.closureDate), 'CINclosureDate');
    on(R.rule8640(e.closureReason), 'ReasonForClosure');
    if (e.closureDate) {
      on(R.inCensusPeriod('8620', e.closureDate, period, 'closure date', 'closureDate'), 'CINclosureDate');
      on(R.rule8630(e.closureDate, e.referralDate), 'CINclosureDate');
      on(R.rule8867(e.assessments), 'CINclosureDate');
      on(R.rule8868(e.section47s), 'CINclosureDate');
      on(
        R.rule8565(e.closureDate, [
          ...e.assessments.flatMap((a) => [
            { label: 'assessment start', date: a.startDate },
            { label: 'assessment authorisation', date: a.authorisedOn },
          ]),
          ...e.section47s.flatMap((s) => [
            { label: 'section 47 start', date: s.startDate },
            { label: 'initial conference', date: s.icpcDate },
          ]),
          { label: 'initial conference', date: e.episodeConference?.heldOn ?? null },
          ...e.cinPlans.map((p) => ({ label: 'CIN plan start', date: p.startDate })),
        ]),
        'CINclosureDate',
      );
    }
    if (e.closureReason) {
      on(R.rule8825Q(e.closureReason, e.assessments.length), 'ReasonForClosure');
      on(R.rule8585Q(e.closureReason, c.dateOfDeath), 'ReasonForClosure');
      on(
        R.rule2990(e.closureReason, {
          section47: e.section47s.length > 0,
          conference: !!e.episodeConference,
          cpPlan: e.cpPlans.length > 0,
          cinPlan: e.cinPlans.length > 0,
        }),
        'ReasonForClosure',
      );
      on(R.rule8873Q(e.closureReason, e.assessments), 'ReasonForClosure');
    }
    if (e.assessments.length || e.section47s.length || e.episodeConference)
      on(
        R.rule8831(
          e.referralNfa,
          e.assessments.length ? 'assessment' : e.section47s.length ? 'section 47 enquiry' : 'conference',
        ),
        'ReferralNFA',
      );
    if (e.cpPlans.length) on(R.rule8832(e.referralNfa), 'ReferralNFA');
    if (e.cinPlans.length) on(R.rule4000(e.referralNfa), 'ReferralNFA');
    if (e.section47s.length) on(R.rule2991Q(e.assessments.length), 'Section47');

    // --- Assessments
    const openAssessments = e.assessments.filter((a) => !a.authorisedOn);
    if (openAssessments.length > 1)
      on(R.rule8896(openAssessments.length - 1), 'AssessmentAuthorisationDate', {
        kind: 'assessment',
        id: openAssessments.at(-1)!.id,
      });
    for (const a of e.assessments) {
      const fix: FixTarget = { kind: 'assessment', id: a.id };
      const at = (violation: Violation, item: string) => on(violation, item, fix, [a.id]);
      at(R.rule1103(a.startDate, e.referralDate), 'AssessmentActualStartDate');
      at(R.rule8608(a.startDate, a.authorisedOn), 'AssessmentAuthorisationDate');
      if (a.authorisedOn)
        at(
          R.inCensusPeriod('8696', a.authorisedOn, period, 'assessment authorisation date', 'authorisedOn'),
          'AssessmentAuthorisationDate',
        );
      else
        at(
          R.inCensusPeriod(
            '8736',
            a.startDate,
            period,
            'start of an assessment not yet authorised',
            'startDate',
          ),
          'AssessmentActualStartDate',
        );
      at(R.rule8670Q(a.startDate, a.authorisedOn, ref, v.workingDaysBetween), 'AssessmentAuthorisationDate');
      at(R.rule8614(a.factors, a.authorisedOn), 'AssessmentFactors');
      at(R.rule8869(a.factors), 'AssessmentFactors');
      at(R.rule8898(a.factors), 'AssessmentFactors');
      if (a.authorisedOn && a.authorisedOn >= year.periodStart) {
        at(R.rule8897Q(a.factors), 'AssessmentFactors');
        const badCode = R.factorCodesValid(a.factors);
        if (badCode) at({ rule: '8897Q', message: badCode.message }, 'AssessmentFactors');
      }
      at(R.rule8945Q(a.factors), 'AssessmentFactors');
      at(R.rule8950Q(a.factors), 'AssessmentFactors');
      at(
        R.rule8863Q(
          a.startDate,
          e.assessments
            .filter((o) => o.id !== a.id)
            .map((o) => ({ start: o.startDate, end: o.authorisedOn })),
        ),
        'AssessmentActualStartDate',
      );
    }

    // --- Section 47 enquiries and initial conferences
    const openEnquiries = e.section47s.filter((s) => !s.icpcDate && !s.icpcNotRequired);
    if (openEnquiries.length > 1)
      on(R.rule8839(openEnquiries.length - 1), 'S47ActualStartDate', {
        kind: 'section47',
        id: openEnquiries.at(-1)!.id,
      });
    for (const s of e.section47s) {
      const fix: FixTarget = { kind: 'section47', id: s.id };
      const conf: FixTarget = s.conferenceId ? { kind: 'conference', id: s.conferenceId } : fix;
      const at = (violation: Violation, item: string, target: FixTarget = fix) =>
        on(violation, item, target, [s.id, ...(s.conferenceId ? [s.conferenceId] : [])]);
      at(R.rule2889(s.startDate, e.referralDate), 'S47ActualStartDate');
      at(R.rule8870Q(s.icpcTarget), 'InitialCPCtarget');
      if (s.icpcDate) {
        at(R.rule8615(s.startDate, s.icpcDate), 'DateOfInitialCPC', conf);
        at(R.rule1104(s.icpcDate, e.referralDate), 'DateOfInitialCPC', conf);
        at(R.rule8875(s.icpcDate), 'DateOfInitialCPC', conf);
        at(
          R.inCensusPeriod('8715', s.icpcDate, period, 'initial conference date', 'heldOn'),
          'DateOfInitialCPC',
          conf,
        );
      } else if (!s.icpcNotRequired) {
        at(
          R.inCensusPeriod('8740', s.startDate, period, 'start of an enquiry still open', 'startDate'),
          'S47ActualStartDate',
        );
        at(R.rule8675Q(s, ref, v.workingDaysBetween), 'DateOfInitialCPC');
      }
      at(
        R.rule8890(
          s.startDate,
          e.section47s
            .filter((o) => o.id !== s.id)
            .map((o) => ({ start: o.startDate, icpcDate: o.icpcDate, icpcNotRequired: o.icpcNotRequired })),
        ),
        'S47ActualStartDate',
      );
    }
    if (e.episodeConference) {
      const conf: FixTarget = { kind: 'conference', id: e.episodeConference.id };
      const held = e.episodeConference.heldOn;
      const ids = [e.episodeConference.id];
      on(R.rule1104(held, e.referralDate), 'DateOfInitialCPC', conf, ids);
      on(R.rule8875(held), 'DateOfInitialCPC', conf, ids);
      on(
        R.inCensusPeriod('8715', held, period, 'initial conference date', 'heldOn'),
        'DateOfInitialCPC',
        conf,
        ids,
      );
      on(
        R.rule2884({
          linkedToEnquiry: false,
          episodeHasEnquiry: e.section47s.some((s) => !!s.icpcDate),
          episodeLevelConferences: 0,
        }),
        'DateOfInitialCPC',
        conf,
        ids,
      );
    }

    // --- Child protection plans
    const icpcDates = [
      ...e.section47s.flatMap((s) => (s.icpcDate ? [s.icpcDate] : [])),
      ...(e.episodeConference ? [e.episodeConference.heldOn] : []),
    ];
    const cinPeriods = e.cinPlans.map((p) => ({ start: p.startDate, end: p.endDate }));
    const cpPeriods = e.cpPlans.map((p) => ({ start: p.startDate, end: p.endDate }));
    on(
      R.rule4001(
        e.cinPlans.some((p) => !p.endDate),
        e.cpPlans.some((p) => !p.endDate),
      ),
      'CINPlanEndDate',
      e.cinPlans.find((p) => !p.endDate)
        ? { kind: 'cinPlan', id: e.cinPlans.find((p) => !p.endDate)!.id }
        : ep,
    );
    for (const p of e.cpPlans) {
      const fix: FixTarget = { kind: 'cpPlan', id: p.id };
      const at = (violation: Violation, item: string) => on(violation, item, fix, [p.id]);
      at(R.rule1105(p.startDate, e.referralDate), 'CPPstartDate');
      if (p.startDate >= year.periodStart) at(R.rule2885(p.startDate, icpcDates), 'CPPstartDate');
      at(R.rule8720(p.startDate, ref), 'CPPstartDate');
      at(R.rule8925(p.startDate, p.endDate), 'CPPendDate');
      at(R.rule8840(p.startDate, p.endDate), 'CPPendDate');
      if (p.endDate)
        at(R.inCensusPeriod('8930', p.endDate, period, 'plan’s end date', 'endDate'), 'CPPendDate');
      at(R.rule8905(p.initialCategory), 'InitialCategoryOfAbuse');
      at(R.rule8910(p.latestCategory), 'LatestCategoryOfAbuse');
      at(R.rule8730(p.previousPlans), 'NumberOfPreviousCPP');
      at(R.rule8915(p.startDate, c.dateOfDeath), 'CPPstartDate');
      at(R.rule8920(p.endDate, c.dateOfDeath), 'CPPendDate');
      at(R.rule4017(p.startDate, cinPeriods), 'CPPstartDate');
      for (const r of p.reviews) {
        const review: FixTarget = { kind: 'conference', id: r.id };
        on(R.rule8842Q(r.heldOn), 'CPPreviewDate', review, [r.id, p.id]);
        on(R.rule8841(r.heldOn, p.startDate), 'CPPreviewDate', review, [r.id, p.id]);
        on(R.rule4003(r.heldOn, cinPeriods, p.endDate), 'CPPreviewDate', review, [r.id, p.id]);
      }
    }

    // --- CIN plans
    const openCinPlans = e.cinPlans.filter((p) => !p.endDate);
    if (openCinPlans.length > 1)
      on(R.rule4004(openCinPlans.length - 1), 'CINPlanEndDate', {
        kind: 'cinPlan',
        id: openCinPlans.at(-1)!.id,
      });
    for (const p of e.cinPlans) {
      const fix: FixTarget = { kind: 'cinPlan', id: p.id };
      const at = (violation: Violation, item: string) => on(violation, item, fix, [p.id]);
      at(R.rule4010(p.startDate, ref), 'CINPlanStartDate');
      at(R.rule4011(p.startDate, p.endDate), 'CINPlanEndDate');
      at(R.rule4012Q(p.startDate, p.endDate), 'CINPlanEndDate');
      if (p.endDate)
        at(R.inCensusPeriod('4013', p.endDate, period, 'CIN plan’s end date', 'endDate'), 'CINPlanEndDate');
      at(
        R.rule4014(
          p.startDate,
          e.cinPlans.filter((o) => o.id !== p.id).map((o) => ({ start: o.startDate, end: o.endDate })),
        ),
        'CINPlanStartDate',
      );
      at(R.rule4015(p.startDate, e.referralDate), 'CINPlanStartDate');
      at(R.rule4016(p.startDate, cpPeriods), 'CINPlanStartDate');
      at(R.rule4008(p.startDate, c.dateOfDeath), 'CINPlanStartDate');
      at(R.rule4009Q(p.endDate, c.dateOfDeath), 'CINPlanEndDate');
    }

    // --- Pre-proceedings and FGDM (module 5, 2026-27 on; census-scope.ts keeps none before)
    for (const pp of e.preProceedings) {
      const fix: FixTarget = { kind: 'preProceedings', id: pp.id };
      const at = (violation: Violation, item: string) => on(violation, item, fix, [pp.id]);
      const i = pp.items;
      const inYear = (rule: string, date: string | null, what: string, item: string) => {
        if (date) at(R.inCensusPeriod(rule, date, period, what, item), item);
      };
      at(R.rule9000Q(i.ppStartDate), 'PPStartDate');
      inYear('9005', i.ppStartDate, 'date pre-proceedings started', 'PPStartDate');
      if (i.lbpSentDate) {
        inYear('9006', i.lbpSentDate, 'date the letter before proceedings was sent', 'LBPSentDate');
        at(R.rule9006(i.lbpSentDate, i.ppStartDate), 'LBPSentDate');
      }
      at(R.rule9007(i.lbpSentDate, i.fgdmMeetingOffer), 'FGDMMeetingOffer');
      inYear(
        '9008',
        i.initialPpMeetingDate,
        'date of the first pre-proceedings meeting',
        'InitialPPMeetingDate',
      );
      if (i.stepDecisionDate) {
        inYear('9009', i.stepDecisionDate, 'date of the decision to step up or down', 'StepDecisionDate');
        at(R.rule9009(i.stepDecisionDate, i.ppStartDate), 'StepDecisionDate');
      }
      at(R.rule9010Q(i.fgdmMeetingOffer, i.fgdmMeetingFac), 'FGDMMeetingFac');
      at(R.rule9011(i.stepDecisionDate, i.ppOutcome), 'PPOutcome');
      if (i.courtAppDate) {
        inYear('9012', i.courtAppDate, 'date of the court application', 'CourtAppDate');
        at(R.rule9012(i.courtAppDate, i.stepDecisionDate), 'CourtAppDate');
      }
      if (i.letterInitCpDate) {
        inYear(
          '9013',
          i.letterInitCpDate,
          'date of the letter initiating care proceedings',
          'LetterInitCPDate',
        );
        at(R.rule9013(i.letterInitCpDate, i.courtAppDate), 'LetterInitCPDate');
      }
      at(R.rule9015Q(i.initialPpMeetingDate, i.reviewMeetingsCount), 'ReviewMeetingsCount');
    }
  }
  return out;
}

function addYears(date: string | null, years: number): string {
  if (!date) return '0000-00-00';
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

/**
 * The rules over the return as a whole, gathered as children stream past: 100 (the reference date), 8510 and 1520
 * (an LA child ID or UPN used for two children; the second is reported), 2883 (no more plans started in the year
 * than initial conferences held), 2886Q (over 2% of born children with no sex), 2887Q (fewer than 8 disability
 * codes used), 2888Q (nobody with more than one disability) and, from 2026-27, 8995Q (no pre-proceedings data).
 */
export class CensusReturnTotals {
  private readonly laChildIds = new Map<string, string>();
  private readonly upns = new Map<string, string>();
  private plansStarted = 0;
  private conferencesHeld = 0;
  private bornChildren = 0;
  private bornWithoutSex = 0;
  private readonly disabilityCodes = new Set<string>();
  private anyoneWithSeveral = false;
  private preProceedingsRecords = 0;
  children = 0;

  constructor(private readonly year: CensusYear) {}

  /** Adds a child; returns the failures for this child that depend on the children before it (8510, 1520). */
  add(c: CensusChild): CensusFailure[] {
    const out: CensusFailure[] = [];
    const rules = new Set(this.year.rules);
    this.children += 1;
    const fail = (rule: string, item: string, detail: string) =>
      rules.has(rule) &&
      out.push({
        rule,
        kind: censusRule(rule).kind,
        childId: c.id,
        laChildId: c.laChildId,
        childName: `${c.givenName} ${c.familyName}`.trim(),
        episodeReference: null,
        teamName: c.episodes.at(-1)?.teamName ?? null,
        workerName: c.workerName,
        item,
        detail,
        fix: { kind: 'child', id: c.id },
        explanation: null,
      });
    if (c.laChildId) {
      if (this.laChildIds.has(c.laChildId))
        fail('8510', 'LAchildID', `Another child in the return has the LA child ID ${c.laChildId}`);
      else this.laChildIds.set(c.laChildId, c.id);
    }
    if (c.upn) {
      if (this.upns.has(c.upn)) fail('1520', 'UPN', `Another child in the return has the UPN ${c.upn}`);
      else this.upns.set(c.upn, c.id);
    }
    for (const e of c.episodes) {
      this.plansStarted += e.cpPlans.filter((p) => p.startDate >= this.year.periodStart).length;
      this.preProceedingsRecords += e.preProceedings.length;
      this.conferencesHeld +=
        e.section47s.filter((s) => s.icpcDate && s.icpcDate >= this.year.periodStart).length +
        (e.episodeConference ? 1 : 0);
    }
    if (!c.expectedDateOfBirth || c.dateOfBirth) {
      this.bornChildren += 1;
      if (!c.sex) this.bornWithoutSex += 1;
    }
    const codes = c.disabilities.filter((d) => d !== 'NONE');
    for (const d of codes) this.disabilityCodes.add(d);
    if (codes.length > 1) this.anyoneWithSeveral = true;
    return out;
  }

  /** The return-level failures, once every child has been added. */
  finish(referenceDate: string): CensusFailure[] {
    const rules = new Set(this.year.rules);
    const out: CensusFailure[] = [];
    const fail = (rule: string, item: string, detail: string) =>
      rules.has(rule) &&
      out.push({
        rule,
        kind: censusRule(rule).kind,
        childId: null,
        laChildId: null,
        childName: null,
        episodeReference: null,
        teamName: null,
        workerName: null,
        item,
        detail,
        fix: { kind: 'return' },
        explanation: null,
      });
    if (referenceDate !== `${this.year.year}-03-31`)
      fail('100', 'ReferenceDate', `The reference date is ${referenceDate}, not 31 March ${this.year.year}`);
    if (this.plansStarted > this.conferencesHeld)
      fail(
        '2883',
        'CPPstartDate',
        `${this.plansStarted} child protection plans started in the year, but ${this.conferencesHeld} initial conferences were held`,
      );
    if (this.bornChildren > 0 && this.bornWithoutSex / this.bornChildren > 0.02)
      fail(
        '2886Q',
        'Sex',
        `${this.bornWithoutSex} of ${this.bornChildren} children (excluding unborn children) have no sex recorded`,
      );
    if (this.children > 0 && this.disabilityCodes.size < 8)
      fail(
        '2887Q',
        'Disability',
        `${this.disabilityCodes.size} different disability codes are used in the return (${[...this.disabilityCodes].sort().join(', ') || 'none'})`,
      );
    if (this.children > 0 && !this.anyoneWithSeveral)
      fail('2888Q', 'Disability', 'No child in the return has more than one disability recorded');
    if (this.year.preProceedingsModule && this.preProceedingsRecords === 0)
      fail(
        '8995Q',
        'PreProceedingsandFGDM',
        'No child in the return has a pre-proceedings record started in the year',
      );
    return out;
  }
}
