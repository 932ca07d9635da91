import { expressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema.ts';

const pp = expressionBuilder<DB & { pp: DB['preProceedings'] }, 'pp'>();

/**
 * What a pre-proceedings record's timeline and census items are worked out from (`PreProceedingsFacts` in
 * pre-proceedings.ts), to select beside a `preProceedings as pp` row: its dates and decisions, with its review
 * meetings, FGDM offers and FGDM meetings as JSON arrays, so one statement reads them for any number of records.
 * The statutory clocks (deadlines.ts) and the census extraction (census-return.repository.ts) both select these.
 */
export const PRE_PROCEEDINGS_FACT_COLUMNS = [
  'pp.id',
  'pp.lpmHeldOn',
  'pp.startedOn',
  'pp.lbpSentOn',
  'pp.initialMeetingOn',
  'pp.stepDecisionOn',
  'pp.stepDecision',
  'pp.outcome',
  'pp.courtApplicationOn',
  'pp.letterInitiatingOn',
  'pp.fgdmNotInInterestsOn',
  jsonArrayFrom(
    pp
      .selectFrom('preProceedingsReviews as r')
      .select('r.heldOn')
      .whereRef('r.preProceedingsId', '=', 'pp.id')
      .orderBy('r.heldOn'),
  ).as('reviews'),
  jsonArrayFrom(
    pp
      .selectFrom('fgdmOffers as o')
      .select(['o.offeredOn', 'o.method', 'o.response', 'o.respondedOn'])
      .whereRef('o.preProceedingsId', '=', 'pp.id')
      .orderBy('o.offeredOn'),
  ).as('offers'),
  jsonArrayFrom(
    pp
      .selectFrom('fgdmMeetings as m')
      .select('m.heldOn')
      .whereRef('m.preProceedingsId', '=', 'pp.id')
      .orderBy('m.heldOn'),
  ).as('meetings'),
] as const;
