import { sql, type Expression } from 'kysely';
import type { Permission } from '../../kernel/access/index.ts';
import type { Db } from '../../kernel/service/index.ts';
import { CASE_NOTE_TYPE_LABELS, type CaseNoteType } from './case-note.ts';

/**
 * One home for the child's words (issue 18, item 5). The child's own words are recorded where the work happens: a
 * case note (an early help or any other visit, a call, an observation), a social care statutory visit, a direct
 * work session. Each module that records them exports a `ChildVoiceSource` from its index.ts, and
 * src/modules/index.ts lists them (`childVoiceSources`), read when the stream is shown (a dynamic import, as for
 * the record summary providers). The stream on the child's record, the summary's "in their own words" and the
 * latest words shown at plan reviews all read the sources together, so the words are recorded once.
 */

/** One entry of the stream, as every source's query selects it. */
export interface ChildVoiceRow {
  /** The source's `sourceType` ('case-note', 'statutory-visit', 'direct-work'). */
  sourceType: string;
  sourceId: string;
  /** The episode the source belongs to, where its page is under one (social care's visits and direct work). */
  episodeId: string | null;
  /** 'YYYY-MM-DD': when the child said it. */
  saidOn: string;
  recordedAt: Date;
  words: string;
  /** Whether the child was seen alone, where the source records it (visits); null otherwise. */
  seenAlone: boolean | null;
  /** What the source says of itself (a case note's type, a visit's plan, a direct work tool). */
  detail: string | null;
}

export interface ChildVoiceSource {
  sourceType: string;
  /**
   * The child's entries, with exactly the columns of ChildVoiceRow (`sql<string>\`'case-note'\`.as('sourceType')`
   * and so on): one indexed query on the source's table, unioned with the other sources' and paged together.
   */
  query: (db: Db, childId: string) => Expression<ChildVoiceRow>;
  /** How the entry names its source ("Visit (case note)"). */
  label: (detail: string | null) => string;
  /** The permission needed to open the source's page: without it the entry is shown without its link. */
  openWith: Permission;
}

/** Where each source's entries are shown, by source type (pages pass it; `src/modules/index.ts` merges them). */
export type ChildVoiceLinks = Readonly<
  Record<string, (e: { sourceId: string; childId: string; episodeId: string | null }) => string | null>
>;

/** Case notes: the child's words on a visit, a call, a meeting or an observation. */
export const caseNoteVoice: ChildVoiceSource = {
  sourceType: 'case-note',
  query: (db, childId) =>
    db
      .selectFrom('caseNotes as n')
      .select((eb) => [
        sql<string>`'case-note'::text`.as('sourceType'),
        'n.id as sourceId',
        sql<string | null>`null::uuid`.as('episodeId'),
        'n.occurredOn as saidOn',
        'n.recordedAt',
        eb.ref('n.childsWords').$notNull().as('words'),
        'n.seenAlone',
        'n.noteType as detail',
      ])
      .where('n.childId', '=', childId)
      .where('n.childsWords', 'is not', null),
  label: (detail) => `${CASE_NOTE_TYPE_LABELS[detail as CaseNoteType] ?? 'Note'} (case note)`,
  openWith: 'child:read',
};

export const peopleVoiceLinks: ChildVoiceLinks = {
  'case-note': ({ childId, sourceId }) => `/people/${childId}/case-notes#case-note-${sourceId}`,
};
