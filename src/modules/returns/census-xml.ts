import { createCB } from 'xmlbuilder2';
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces.js';
import type { CensusChild } from './census-scope.ts';
import type { CensusYear } from './census-years.ts';

/**
 * The CIN census XML, written child by child with xmlbuilder2's callback builder (ADR 0005): each piece of text
 * goes to `out` as it is made, so a return of any size is never held in memory. Element names, order and types
 * follow the year's schema (census-years.ts names the source); every optional element is left out when empty.
 */

export interface CensusHeader {
  /** The authority's three-digit DfE LA code. */
  laCode: string;
  softwareCode: string;
  release: string;
  /** The file's serial number: three digits or more. */
  serialNo: number;
  /** When the file was made. */
  dateTime: Date;
}

export interface CensusXmlWriter {
  child(child: CensusChild): void;
  /** Closes the file; `out` has had every chunk once this returns. */
  end(): void;
}

// The schema's yes/no type is the enumeration {0, 1}.
const yesNo = (value: boolean) => (value ? '1' : '0');

function leaf(x: XMLBuilderCB, name: string, value: string | number | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  x.ele(name).txt(String(value)).up();
}

export function xmlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function censusXmlWriter(
  year: CensusYear,
  header: CensusHeader,
  out: (chunk: string) => void,
): CensusXmlWriter {
  let failure: Error | null = null;
  const x = createCB({
    data: (chunk: string) => out(chunk),
    error: (err: Error) => {
      failure = err;
    },
    prettyPrint: true,
  });
  const check = () => {
    if (failure) throw failure;
  };
  x.dec({ version: '1.0', encoding: 'UTF-8' }).ele('Message').ele('Header').ele('CollectionDetails');
  leaf(x, 'Collection', 'CIN');
  leaf(x, 'Year', year.year);
  leaf(x, 'ReferenceDate', year.referenceDate);
  x.up().ele('Source');
  leaf(x, 'SourceLevel', 'L');
  leaf(x, 'LEA', header.laCode);
  leaf(x, 'SoftwareCode', header.softwareCode);
  leaf(x, 'Release', header.release);
  leaf(x, 'SerialNo', String(header.serialNo).padStart(3, '0'));
  leaf(x, 'DateTime', xmlDateTime(header.dateTime));
  x.up().up().ele('Children');
  check();

  return {
    child(c) {
      x.ele('Child').ele('ChildIdentifiers');
      leaf(x, 'LAchildID', c.laChildId);
      leaf(x, 'UPN', c.upn);
      leaf(x, 'FormerUPN', c.formerUpn);
      if (!c.upn) leaf(x, 'UPNunknown', c.upnUnknown);
      leaf(x, 'PersonBirthDate', c.dateOfBirth);
      leaf(x, 'ExpectedPersonBirthDate', c.expectedDateOfBirth);
      // Sex is required by the schema: a missing value is written empty so that the file still says which child
      // lacks it (rule 4180 reports it, and the file cannot be downloaded with an error).
      x.ele('Sex')
        .txt(c.sex ?? '')
        .up();
      leaf(x, 'PersonDeathDate', c.dateOfDeath);
      x.up().ele('ChildCharacteristics');
      x.ele('Ethnicity')
        .txt(c.ethnicityCode ?? '')
        .up();
      if (c.disabilities.length) {
        x.ele('Disabilities');
        for (const d of c.disabilities) leaf(x, 'Disability', d);
        x.up();
      }
      x.up();
      for (const e of c.episodes) {
        x.ele('CINdetails');
        leaf(x, 'CINreferralDate', e.referralDate);
        leaf(x, 'ReferralSource', e.referralSource);
        leaf(x, 'PrimaryNeedCode', e.primaryNeedCode);
        leaf(x, 'CINclosureDate', e.closureDate);
        leaf(x, 'ReasonForClosure', e.closureReason);
        leaf(x, 'DateOfInitialCPC', e.episodeConference?.heldOn);
        for (const a of e.assessments) {
          x.ele('Assessments');
          leaf(x, 'AssessmentActualStartDate', a.startDate);
          leaf(x, 'AssessmentAuthorisationDate', a.authorisedOn);
          if (a.factors.length) {
            x.ele('FactorsIdentifiedAtAssessment');
            for (const f of a.factors) leaf(x, 'AssessmentFactors', f);
            x.up();
          }
          x.up();
        }
        for (const p of e.cinPlans) {
          x.ele('CINPlanDates');
          leaf(x, 'CINPlanStartDate', p.startDate);
          leaf(x, 'CINPlanEndDate', p.endDate);
          x.up();
        }
        for (const s of e.section47s) {
          x.ele('Section47');
          leaf(x, 'S47ActualStartDate', s.startDate);
          leaf(x, 'InitialCPCtarget', s.icpcTarget);
          leaf(x, 'DateOfInitialCPC', s.icpcDate);
          leaf(x, 'ICPCnotRequired', yesNo(s.icpcNotRequired));
          x.up();
        }
        leaf(x, 'ReferralNFA', yesNo(e.referralNfa));
        for (const p of e.cpPlans) {
          x.ele('ChildProtectionPlans');
          leaf(x, 'CPPstartDate', p.startDate);
          leaf(x, 'CPPendDate', p.endDate);
          leaf(x, 'InitialCategoryOfAbuse', p.initialCategory);
          leaf(x, 'LatestCategoryOfAbuse', p.latestCategory);
          leaf(x, 'NumberOfPreviousCPP', p.previousPlans);
          if (p.reviews.length) {
            x.ele('Reviews');
            for (const r of p.reviews) leaf(x, 'CPPreviewDate', r.heldOn);
            x.up();
          }
          x.up();
        }
        // 2026-27 on: PreProceedingsandFGDM (module 5), one per pre-proceedings record (census-scope.ts keeps
        // none for an earlier year).
        if (year.preProceedingsModule)
          for (const { items: p } of e.preProceedings) {
            x.ele('PreProceedingsandFGDM');
            leaf(x, 'PPStartDate', p.ppStartDate);
            leaf(x, 'LBPSentDate', p.lbpSentDate);
            if (p.fgdmMeetingOffer !== null) leaf(x, 'FGDMMeetingOffer', yesNo(p.fgdmMeetingOffer));
            if (p.fgdmMeetingFac !== null) leaf(x, 'FGDMMeetingFac', yesNo(p.fgdmMeetingFac));
            leaf(x, 'InitialPPMeetingDate', p.initialPpMeetingDate);
            leaf(x, 'ReviewMeetingsCount', p.reviewMeetingsCount);
            leaf(x, 'StepDecisionDate', p.stepDecisionDate);
            leaf(x, 'PPOutcome', p.ppOutcome);
            leaf(x, 'CourtAppDate', p.courtAppDate);
            leaf(x, 'LetterInitCPDate', p.letterInitCpDate);
            x.up();
          }
        x.up();
      }
      x.up();
      check();
    },
    end() {
      x.up().up().end();
      check();
    },
  };
}
