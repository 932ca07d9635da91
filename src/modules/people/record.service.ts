import { networkSize } from './family-network.service.ts';
import { visibleTo } from '../../kernel/access/index.ts';
import { formatNhsNumber } from '../../kernel/identifiers/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { recentChildVoice } from './child-voice.service.ts';
import { recentSignificantEvents } from './chronology.service.ts';
import { describeRelationship, displayName } from './person.ts';
import { mergeHistory } from './person-merge.repository.ts';
import { loadPersonDetails, loadPersonHeader } from './person.service.ts';
import { relationshipsTouching } from './relationship.repository.ts';
import {
  collectSummaryPanels,
  INVOLVEMENTS_LISTED_BY_THEIR_MODULE,
  shared,
  summaryMemo,
  type InvolvementContext,
  type RecordSummaryProvider,
} from './record-summary.ts';

/** The child's record at a glance: everything the summary page shows, in a handful of indexed queries. */

const humanise = (s: string) => s.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** The child's open allocations in the order they started (the summary's allocations list and panel share them). */
const openAllocations = (ctx: Pick<InvolvementContext, 'db' | 'personId' | 'memo'>) =>
  shared(ctx, 'people:open-allocations', () =>
    ctx.db
      .selectFrom('allocations as a')
      .innerJoin('teams as t', 't.id', 'a.teamId')
      .leftJoin('users as u', 'u.id', 'a.workerId')
      .select([
        'a.id',
        'a.role',
        'a.startedOn',
        'a.involvementType',
        't.name as teamName',
        'u.displayName as workerName',
        'u.jobTitle as workerJobTitle',
        'u.email as workerEmail',
      ])
      .where('a.childId', '=', ctx.personId)
      .where('a.endedOn', 'is', null)
      .orderBy('a.startedOn')
      .execute(),
  );

/**
 * Allocations that name an involvement (an early help episode, a CIN plan…) are open involvements too, until the
 * module that owns the involvement lists a provider of its own (src/modules/index.ts).
 */
export const allocationsSummary: RecordSummaryProvider = {
  id: 'allocations',
  order: 1000,
  openInvolvements: async (ctx) => {
    const listedByModule: readonly string[] = INVOLVEMENTS_LISTED_BY_THEIR_MODULE;
    const rows = (await openAllocations(ctx)).filter(
      (r) => r.involvementType !== null && !listedByModule.includes(r.involvementType),
    );
    return rows.map((r) => ({
      title: humanise(r.involvementType!),
      startedOn: r.startedOn,
      status: 'Open',
      detail: `${humanise(r.role)}: ${r.workerName ?? 'not yet allocated to a worker'} (${r.teamName})`,
    }));
  },
};

/**
 * The child's record summary. `providers` are the other modules' panels (by default those listed in
 * src/modules/index.ts); statutory deadlines are counted on the authority's calendar (ctx.calendar).
 */
export async function loadRecordSummary(
  ctx: ServiceContext,
  input: { personId: string; providers?: readonly RecordSummaryProvider[] },
) {
  const { db: trx, user, now, calendar } = ctx;
  const { personId } = input;
  const header = await loadPersonHeader(ctx, personId, 'read');
  const today = isoDateOf(now);
  const row = header.row;
  const details = await loadPersonDetails(trx, personId);
  const label = (set: string, code: string | null) =>
    code ? (details.labels.get(`${set}:${code}`) ?? code) : null;

  const memo = summaryMemo();
  const allocations = await openAllocations({ db: trx, personId, memo });

  const panels = await collectSummaryPanels(
    { db: trx, user, personId, now, today, calendar, memo },
    input.providers,
  );

  const rels = await relationshipsTouching(trx, [personId]);
  const otherIds = [...new Set(rels.map((r) => (r.personId === personId ? r.relatedPersonId : r.personId)))];
  const others = otherIds.length
    ? await trx
        .selectFrom('people')
        .select(['id', 'givenName', 'familyName', 'sex'])
        .where('id', 'in', otherIds)
        .where('mergedIntoId', 'is', null)
        .where(visibleTo(user, now, 'people.id'))
        .execute()
    : [];
  const othersById = new Map(others.map((o) => [o.id, o]));
  const network = rels
    .filter((r) => !r.toDate)
    .map((r) => {
      const viewpoint = r.personId === personId;
      const other = othersById.get(viewpoint ? r.relatedPersonId : r.personId);
      return other
        ? {
            id: other.id,
            name: displayName(other),
            relation: describeRelationship(r.kind, viewpoint, other.sex),
            livesWith: r.livesWith,
          }
        : null;
    })
    .filter((x): x is NonNullable<typeof x> => x !== null);

  // The child's own words, from the same stream as the child's voice page (visits, direct work, case notes).
  const words = header.isChild ? await recentChildVoice(ctx, personId) : [];
  const significant = header.isChild ? await recentSignificantEvents(trx, personId) : [];
  // The family network's size (Families First): people marked as in the child's network now.
  const familyNetworkSize = header.isChild ? await networkSize(trx, personId, today) : null;
  const merges = await mergeHistory(trx, personId);
  const mergedInto = merges.find((m) => m.mergedPersonId === personId) ?? null;

  const currentAddress = details.addresses.find((a) => !a.toDate) ?? null;
  const facts: { key: string; value: string }[] = [];
  const add = (key: string, value: string | null | undefined) => {
    if (value) facts.push({ key, value });
  };
  add('Known as', row.knownAs);
  add('Sex', label('sex', row.sex));
  add('Gender identity', row.genderIdentity);
  add('Ethnicity', label('ethnicity', row.ethnicityCode));
  add('First language', label('first-language', row.firstLanguage));
  if (row.interpreterNeeded) add('Interpreter', 'Needs an interpreter');
  add('Religion', label('religion', row.religion));
  if (details.disabilities.length)
    add('Disabilities', details.disabilities.map((d) => label('disability', d)).join(', '));
  add('Immigration status', label('immigration-status', row.immigrationStatus));
  if (row.unaccompaniedAsylumSeeking) add('Unaccompanied asylum-seeking child', 'Yes');
  add('NHS number', row.nhsNumber ? formatNhsNumber(row.nhsNumber) : null);
  add('UPN', row.upn);
  add('Former UPN', row.formerUpn);
  if (!row.upn) add('Why there is no UPN', label('upn-unknown', row.upnUnknownReason));
  add('School or nursery', row.school);
  add('GP practice', row.gpPractice);
  add('Job title', row.professionalRole);
  add('Phone', row.phone);
  add('Email', row.email);

  return {
    person: header,
    today,
    facts,
    currentAddress,
    previousAddresses: details.addresses.filter((a) => a.toDate),
    otherNames: details.names,
    allocations,
    involvements: panels.involvements,
    deadlines: panels.deadlines,
    network,
    familyNetworkSize,
    words,
    significant,
    merges: merges.filter((m) => m.keptPersonId === personId),
    mergedInto,
  };
}
