import { addCalendarDays, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import type { Db } from '../../kernel/service/index.ts';
import { annexAContactCount, annexAContactRows } from '../front-door/index.ts';
import { annexAEarlyHelpCount, annexAEarlyHelpRows } from '../early-help/index.ts';
import { annexAChildDetails, type AnnexAChildDetails } from '../people/index.ts';
import {
  annexAAssessmentRows,
  annexAChildInNeedRows,
  annexAChildProtectionRows,
  annexAEpisodeAllocations,
  annexAReferralRows,
  annexASection47Rows,
  annexASocialCareCounts,
} from '../social-care/index.ts';
import {
  abuseCategory,
  ageOn,
  caseStatus,
  closureReason,
  dateCell,
  disability,
  ethnicity,
  gender,
  primaryNeed,
  source,
  yesNo,
  type AnnexAListNumber,
  type Cell,
} from './annex-a.ts';

/**
 * The rows of each Annex A list, page by page. Each page is one keyset query in the module that owns the records
 * (through its index), one query for the children's details (people) and, for lists 3 to 7, one for the allocations:
 * a fixed number of queries per page of BATCH rows, never one per row, and never more than a page in memory.
 */

export const BATCH = 1000;

export interface AnnexAScope {
  localAuthorityId: string;
  /** First and last day of the window, 'YYYY-MM-DD' (both included). */
  from: string;
  to: string;
  /** The window as instants in Europe/London: the start of `from` and the start of the day after `to`. */
  start: Date;
  end: Date;
}

export function annexAScope(localAuthorityId: string, from: string, to: string): AnnexAScope {
  return {
    localAuthorityId,
    from,
    to,
    start: instantAt(from, '00:00'),
    end: instantAt(addCalendarDays(to, 1), '00:00'),
  };
}

/** Child Unique ID, Gender, Ethnicity, Date of Birth, Age of Child (Years) (age at the end of the window). */
function childCells(child: AnnexAChildDetails | undefined, asOf: string): Cell[] {
  return [
    child?.laChildId ?? null,
    gender(child?.sex ?? null),
    ethnicity(child?.ethnicityCode ?? null),
    dateCell(child?.dateOfBirth),
    ageOn(child?.dateOfBirth ?? null, asOf),
  ];
}

const disabilityCell = (child: AnnexAChildDetails | undefined): Cell =>
  disability(child?.disabilityCodes ?? []);

type RowOf<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>[number];

async function* pages<R>(fetch: (after: R | null) => Promise<R[]>): AsyncGenerator<R[]> {
  let last: R | null = null;
  for (;;) {
    const rows = await fetch(last);
    if (rows.length) yield rows;
    if (rows.length < BATCH) return;
    last = rows[rows.length - 1]!;
  }
}

/** The rows of one list, a page at a time. Lists 8 to 11 have none. */
export async function* annexARows(
  db: Db,
  scope: AnnexAScope,
  list: AnnexAListNumber,
): AsyncGenerator<Cell[][]> {
  const asOf = scope.to;
  const details = (ids: string[]) => annexAChildDetails(db, ids);
  const allocations = (ids: string[]) => annexAEpisodeAllocations(db, ids);
  switch (list) {
    case 1:
      for await (const rows of pages<RowOf<typeof annexAContactRows>>((k) =>
        annexAContactRows(db, scope, k && { receivedAt: k.receivedAt, id: k.id }, BATCH),
      )) {
        const people = await details(rows.map((r) => r.childId));
        yield rows.map((r) => [
          ...childCells(people.get(r.childId), asOf),
          dateCell(isoDateOf(r.receivedAt)),
          source(r.referralSource),
        ]);
      }
      return;
    case 2:
      for await (const rows of pages<RowOf<typeof annexAEarlyHelpRows>>((k) =>
        annexAEarlyHelpRows(db, scope, k, BATCH),
      )) {
        const people = await details(rows.map((r) => r.childId));
        yield rows.map((r) => [
          ...childCells(people.get(r.childId), asOf),
          dateCell(isoDateOf(r.startedAt)),
          dateCell(r.completedAt ? isoDateOf(r.completedAt) : null),
          r.leadAgencyName ?? 'Local authority early help',
        ]);
      }
      return;
    case 3:
      for await (const rows of pages<RowOf<typeof annexAReferralRows>>((k) =>
        annexAReferralRows(db, scope, k && { on: k.referralDate, id: k.id }, BATCH),
      )) {
        const [people, alloc] = [
          await details(rows.map((r) => r.childId)),
          await allocations(rows.map((r) => r.id)),
        ];
        yield rows.map((r) => [
          ...childCells(people.get(r.childId), asOf),
          dateCell(r.referralDate),
          source(r.referralSource),
          yesNo(r.referralNfa),
          r.previousReferrals,
          alloc.get(r.id)?.teamName ?? null,
          alloc.get(r.id)?.workerName ?? null,
        ]);
      }
      return;
    case 4:
      for await (const rows of pages<RowOf<typeof annexAAssessmentRows>>((k) =>
        annexAAssessmentRows(db, scope, k && { on: k.startDate, id: k.id }, BATCH),
      )) {
        const [people, alloc] = [
          await details(rows.map((r) => r.childId)),
          await allocations(rows.map((r) => r.episodeId)),
        ];
        yield rows.map((r) => {
          const decided = r.authorisedOn !== null && r.authorisedOn <= scope.to;
          return [
            ...childCells(people.get(r.childId), asOf),
            disabilityCell(people.get(r.childId)),
            dateCell(r.startDate),
            yesNo(r.childSeen),
            dateCell(decided ? r.authorisedOn : null),
            decided ? yesNo(r.outcome === 'cin-plan' || r.outcome === 'strategy-discussion') : null,
            alloc.get(r.episodeId)?.teamName ?? null,
            alloc.get(r.episodeId)?.workerName ?? null,
          ];
        });
      }
      return;
    case 5:
      for await (const rows of pages<RowOf<typeof annexASection47Rows>>((k) =>
        annexASection47Rows(db, scope, k && { on: k.startDate, id: k.id }, BATCH),
      )) {
        const [people, alloc] = [
          await details(rows.map((r) => r.childId)),
          await allocations(rows.map((r) => r.episodeId)),
        ];
        yield rows.map((r) => {
          const icpc = r.icpcHeldOn && r.icpcHeldOn <= scope.to ? r.icpcHeldOn : null;
          return [
            ...childCells(people.get(r.childId), asOf),
            disabilityCell(people.get(r.childId)),
            dateCell(r.strategyHeldOn ?? r.startDate),
            yesNo(r.icpcNotRequired),
            dateCell(icpc),
            icpc ? yesNo(r.icpcOutcome === 'cp-plan') : null,
            r.previousEnquiries,
            r.previousIcpcs,
            alloc.get(r.episodeId)?.teamName ?? null,
            alloc.get(r.episodeId)?.workerName ?? null,
          ];
        });
      }
      return;
    case 6:
      for await (const rows of pages<RowOf<typeof annexAChildInNeedRows>>((k) =>
        annexAChildInNeedRows(db, scope, k && { on: k.referralDate, id: k.id }, BATCH),
      )) {
        const [people, alloc] = [
          await details(rows.map((r) => r.childId)),
          await allocations(rows.map((r) => r.id)),
        ];
        yield rows.map((r) => {
          const closed = r.closureDate !== null && r.closureDate <= scope.to;
          return [
            ...childCells(people.get(r.childId), asOf),
            disabilityCell(people.get(r.childId)),
            dateCell(r.referralDate),
            primaryNeed(r.primaryNeedCode),
            dateCell(r.lastSeenOn),
            dateCell(closed ? r.closureDate : null),
            closed ? closureReason(r.closureReason) : null,
            caseStatus({ ...r, to: scope.to }),
            alloc.get(r.id)?.teamName ?? null,
            alloc.get(r.id)?.workerName ?? null,
          ];
        });
      }
      return;
    case 7:
      for await (const rows of pages<RowOf<typeof annexAChildProtectionRows>>((k) =>
        annexAChildProtectionRows(db, scope, k && { on: k.startDate, id: k.id }, BATCH),
      )) {
        const [people, alloc] = [
          await details(rows.map((r) => r.childId)),
          await allocations(rows.map((r) => r.episodeId)),
        ];
        yield rows.map((r) => {
          const ended = r.endDate !== null && r.endDate <= scope.to;
          return [
            ...childCells(people.get(r.childId), asOf),
            disabilityCell(people.get(r.childId)),
            dateCell(r.startDate),
            abuseCategory(r.initialCategory),
            abuseCategory(r.latestCategory),
            dateCell(r.lastVisitOn),
            r.lastVisitOn ? yesNo(r.lastVisitChildSeen === false ? false : r.lastVisitSeenAlone) : null,
            dateCell(r.latestReviewOn),
            dateCell(ended ? r.endDate : null),
            // Emergency protection orders and police protection are not recorded in Threshold: left blank.
            null,
            r.previousPlans,
            alloc.get(r.episodeId)?.teamName ?? null,
            alloc.get(r.episodeId)?.workerName ?? null,
          ];
        });
      }
      return;
    default:
      return;
  }
}

/** How many rows each list has for the window: the summary's figures and the progress bar's total. */
export async function annexACounts(db: Db, scope: AnnexAScope): Promise<Record<AnnexAListNumber, number>> {
  const social = await annexASocialCareCounts(db, scope);
  return {
    1: await annexAContactCount(db, scope),
    2: await annexAEarlyHelpCount(db, scope),
    ...social,
    8: 0,
    9: 0,
    10: 0,
    11: 0,
  };
}
