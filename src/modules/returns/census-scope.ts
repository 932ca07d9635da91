import type { CensusRecordChild, CensusRecordEpisode } from '../social-care/index.ts';
import type { CensusYear } from './census-years.ts';

/**
 * From the record as it stands to the return for a year: what the census holds for a child, as it was on the
 * reference date and within the census period, whichever day the return is made. Pure.
 *
 * - Anything dated after the reference date did not happen yet: a closure after it leaves the episode open (no
 *   closure date, no reason); an authorisation after it leaves the assessment open (and without factors, which are
 *   only returned for a completed assessment); a plan ending after it is open; a death after it is not returned;
 *   a child born after it was unborn on the reference date (their date of birth is returned as the expected date
 *   when no expected date was kept, and sex as U).
 * - Within each episode the return holds the year's activity (the DfE's "within the census year" rules 8620, 8696,
 *   8715, 8930, 4013 and 8740 describe which records belong): assessments authorised in the period or still open;
 *   CIN and CP plans that ended in the period or are open; section 47 enquiries whose conference was in the period,
 *   or still open, or marked "conference not required" in the period; initial conferences held in the period; CP
 *   reviews held in the period; from 2026-27, pre-proceedings started in the period (module 5; the draft rule 9005
 *   asks for the start date inside the year), their items as they stood on the reference date.
 * - The UPN: the UPN when recorded (and then no reason it is unknown); the former UPN when recorded; otherwise the
 *   reason recorded on the child's record, or, when none was recorded, the reason the record itself shows: UN7
 *   when every episode in the return is a referral with no further action, UN1 for a child not yet of school age
 *   (unborn, or born after 31 August four years before the reference date). A school-age child with neither is
 *   returned without one (query 8770Q says so).
 */

export type CensusChild = CensusRecordChild & { upnUnknown: string | null };

const within = (date: string | null, year: CensusYear) =>
  !!date && date >= year.periodStart && date <= year.referenceDate;
const asAt = (date: string | null, year: CensusYear) => (date && date <= year.referenceDate ? date : null);

function episodeAsAt(e: CensusRecordEpisode, year: CensusYear): CensusRecordEpisode {
  const closureDate = asAt(e.closureDate, year);
  return {
    ...e,
    closureDate,
    closureReason: closureDate ? e.closureReason : null,
    episodeConference:
      e.episodeConference && within(e.episodeConference.heldOn, year) ? e.episodeConference : null,
    assessments: e.assessments
      .map((a) => {
        const authorisedOn = asAt(a.authorisedOn, year);
        return { ...a, authorisedOn, factors: authorisedOn ? a.factors : [] };
      })
      .filter((a) => !a.authorisedOn || a.authorisedOn >= year.periodStart),
    cinPlans: e.cinPlans
      .map((p) => ({ ...p, endDate: asAt(p.endDate, year) }))
      .filter((p) => !p.endDate || p.endDate >= year.periodStart),
    section47s: e.section47s
      .map((s) => {
        const notRequiredOn = s.icpcNotRequired ? asAt(s.outcomeOn ?? s.startDate, year) : null;
        return { ...s, icpcNotRequired: !!notRequiredOn, notRequiredOn };
      })
      .filter((s) =>
        s.icpcDate
          ? s.icpcDate >= year.periodStart
          : s.icpcNotRequired
            ? s.notRequiredOn! >= year.periodStart
            : true,
      )
      .map(({ notRequiredOn: _n, ...s }) => s),
    cpPlans: e.cpPlans
      .map((p) => ({
        ...p,
        endDate: asAt(p.endDate, year),
        reviews: p.reviews.filter((r) => within(r.heldOn, year)),
      }))
      .filter((p) => !p.endDate || p.endDate >= year.periodStart),
    // Module 5 (2026-27 on): the pre-proceedings started in the year (or, with none started, the legal planning
    // meetings in the year that decided to issue proceedings at once), their items as on the reference date.
    preProceedings: year.preProceedingsModule ? e.preProceedings.filter((p) => within(p.yearDate, year)) : [],
  };
}

/** The last day of August by which a child must be born to be of school age in the return (8770Q). */
export function schoolAgeBornBy(year: CensusYear): string {
  return `${year.year - 4}-08-31`;
}

export function censusChildFor(record: CensusRecordChild, year: CensusYear): CensusChild {
  const bornByReference = record.dateOfBirth && record.dateOfBirth <= year.referenceDate;
  const dateOfBirth = bornByReference ? record.dateOfBirth : null;
  const expectedDateOfBirth =
    record.dateOfBirth && !bornByReference
      ? (record.expectedDateOfBirth ?? record.dateOfBirth)
      : record.expectedDateOfBirth;
  const episodes = record.episodes.map((e) => episodeAsAt(e, year));
  let upnUnknown: string | null = null;
  if (!record.upn) {
    if (record.upnUnknownReason) upnUnknown = record.upnUnknownReason;
    else if (episodes.length && episodes.every((e) => e.referralNfa)) upnUnknown = 'UN7';
    else if (!dateOfBirth || dateOfBirth > schoolAgeBornBy(year)) upnUnknown = 'UN1';
  }
  return {
    ...record,
    dateOfBirth,
    expectedDateOfBirth,
    sex: record.dateOfBirth && !bornByReference ? 'U' : record.sex,
    dateOfDeath: asAt(record.dateOfDeath, year),
    upnUnknown,
    episodes,
  };
}
