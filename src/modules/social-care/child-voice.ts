import { sql } from 'kysely';
import type { ChildVoiceSource } from '../people/index.ts';
import { PLAN_KIND_LABELS } from './social-care.ts';

/**
 * Social care's part of the child's voice stream (issue 18, item 5): what the child said on a statutory visit and
 * in direct work. Listed in src/modules/index.ts (`childVoiceSources`); the links are `socialCareVoiceLinks`.
 */
export const statutoryVisitVoice: ChildVoiceSource = {
  sourceType: 'statutory-visit',
  query: (db, childId) =>
    db
      .selectFrom('statutoryVisits as v')
      .select((eb) => [
        sql<string>`'statutory-visit'::text`.as('sourceType'),
        'v.id as sourceId',
        eb.ref('v.episodeId').$castTo<string | null>().as('episodeId'),
        'v.visitedOn as saidOn',
        'v.recordedAt',
        eb.ref('v.childsWords').$notNull().as('words'),
        'v.seenAlone',
        eb.ref('v.planKind').$castTo<string | null>().as('detail'),
      ])
      .where('v.childId', '=', childId)
      .where('v.childsWords', 'is not', null),
  label: (detail) => PLAN_KIND_LABELS[detail as keyof typeof PLAN_KIND_LABELS] ?? 'Statutory visit',
  openWith: 'social-care:read',
};

export const directWorkVoice: ChildVoiceSource = {
  sourceType: 'direct-work',
  query: (db, childId) =>
    db
      .selectFrom('directWorkSessions as d')
      .select((eb) => [
        sql<string>`'direct-work'::text`.as('sourceType'),
        'd.id as sourceId',
        eb.ref('d.episodeId').$castTo<string | null>().as('episodeId'),
        'd.heldOn as saidOn',
        'd.recordedAt',
        'd.childsWords as words',
        sql<boolean | null>`null::boolean`.as('seenAlone'),
        sql<string | null>`null::text`.as('detail'),
      ])
      .where('d.childId', '=', childId),
  label: () => 'Direct work',
  openWith: 'social-care:read',
};
