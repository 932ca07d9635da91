import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { practiceError } from './census-queries.ts';
import type { Violation } from './census-rules.ts';
import { agencyOptions } from './episode.repository.ts';
import { multiAgencyProblem, SOCIAL_CARE_AGENCY, type PlanMeeting } from './social-care.ts';

type Trx = Transaction<DB>;

/**
 * The agencies present at a child in need plan review or a core group meeting: children's social care
 * (`SOCIAL_CARE_AGENCY`) and agencies from the agencies table, stored as `social_care_present` on the meeting and a
 * row per other agency (cin_plan_review_agencies, cp_core_group_agencies). Meetings recorded before agencies were
 * recorded have `social_care_present` null and no rows: only their free-text names are shown.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AgenciesPresent {
  socialCare: boolean;
  agencyIds: string[];
}

/** Checks the agencies chosen (from the list; at least one other than children's social care). */
export async function checkAgenciesPresent(
  trx: Trx,
  meeting: PlanMeeting,
  agencies: readonly string[],
): Promise<{ present: AgenciesPresent; violations: (Violation | null)[] }> {
  const chosen = [...new Set(agencies)];
  const agencyIds = chosen.filter((a) => a !== SOCIAL_CARE_AGENCY);
  const known =
    agencyIds.length && agencyIds.every((a) => UUID.test(a))
      ? new Set((await agencyOptions(trx)).map((a) => a.id))
      : new Set<string>();
  const unknown = agencyIds.some((a) => !known.has(a));
  const problem = multiAgencyProblem(meeting, chosen);
  return {
    present: { socialCare: chosen.includes(SOCIAL_CARE_AGENCY), agencyIds },
    violations: [
      unknown ? practiceError('agencies', 'Select the agencies present from the list') : null,
      problem ? practiceError('agencies', problem) : null,
    ],
  };
}

export async function saveAgenciesPresent(
  trx: Trx,
  meeting: PlanMeeting,
  meetingId: string,
  present: AgenciesPresent,
): Promise<void> {
  if (!present.agencyIds.length) return;
  if (meeting === 'cin-review')
    await trx
      .insertInto('cinPlanReviewAgencies')
      .values(present.agencyIds.map((agencyId) => ({ reviewId: meetingId, agencyId })))
      .execute();
  else
    await trx
      .insertInto('cpCoreGroupAgencies')
      .values(present.agencyIds.map((agencyId) => ({ coreGroupId: meetingId, agencyId })))
      .execute();
}

/**
 * The names of the agencies present at each meeting, children's social care first then by name; an empty list
 * for a meeting recorded before agencies were (socialCarePresent null).
 */
export async function agenciesPresentAt(
  trx: Trx,
  meeting: PlanMeeting,
  meetings: { id: string; socialCarePresent: boolean | null }[],
): Promise<Map<string, string[]>> {
  const ids = meetings.map((m) => m.id);
  const rows = !ids.length
    ? []
    : meeting === 'cin-review'
      ? await trx
          .selectFrom('cinPlanReviewAgencies as m')
          .innerJoin('agencies as a', 'a.id', 'm.agencyId')
          .select(['m.reviewId as meetingId', 'a.name'])
          .where('m.reviewId', 'in', ids)
          .orderBy('a.name')
          .execute()
      : await trx
          .selectFrom('cpCoreGroupAgencies as m')
          .innerJoin('agencies as a', 'a.id', 'm.agencyId')
          .select(['m.coreGroupId as meetingId', 'a.name'])
          .where('m.coreGroupId', 'in', ids)
          .orderBy('a.name')
          .execute();
  return new Map(
    meetings.map((m) => [
      m.id,
      m.socialCarePresent === null
        ? []
        : [
            ...(m.socialCarePresent ? ['Children’s social care'] : []),
            ...rows.filter((r) => r.meetingId === m.id).map((r) => r.name),
          ],
    ]),
  );
}
