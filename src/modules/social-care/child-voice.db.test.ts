import { describe, expect, it } from 'vitest';
import { aCinEpisode, userFor } from '../../../test/builders/social-care.ts';
import { censusRefusal, socialCareDb } from '../../../test/builders/social-care-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { readContextFor } from '../../../test/builders/context.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { recordCaseNote } from '../people/case-note.service.ts';
import { childVoiceFor, latestChildVoice, recentChildVoice } from '../people/child-voice.service.ts';
import { recordDirectWork, recordVisit } from './visits.service.ts';

const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);

/** A child with words from a statutory visit, direct work and a case note (an early help style visit). */
async function childWithWords() {
  const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  const visitId = await t.act(t.sw, recordVisit, {
    episodeId,
    visitedOn: '2026-11-10',
    childSeen: true,
    seenAlone: true,
    bedroomSeen: true,
    childsWords: '  I like my new bed.  ',
    notes: 'Saw Olivia in her room.',
  });
  // A visit without words adds nothing to the stream.
  await t.act(t.sw, recordVisit, {
    episodeId,
    visitedOn: '2026-11-11',
    childSeen: true,
    seenAlone: false,
    bedroomSeen: false,
    notes: 'Olivia was asleep.',
  });
  const sessionId = await t.act(t.sw, recordDirectWork, {
    episodeId,
    heldOn: '2026-11-12',
    tool: 'three-houses',
    childsWords: 'My house of worries has shouting in it.',
    summary: 'Three houses.',
    actions: [],
  });
  const noteId = await t.act(
    t.sw,
    (ctx, input: { childId: string }) =>
      recordCaseNote(ctx, {
        childId: input.childId,
        noteType: 'visit',
        occurredOn: '2026-11-13',
        title: 'Home visit after school',
        body: 'Visited after school.',
        childSeen: true,
        seenAlone: false,
        bedroomSeen: true,
        childsWords: 'School is better now.',
        significant: false,
      }),
    { childId: child.id },
  );
  return { episodeId, child, visitId, sessionId, noteId };
}

describe("the child's voice", () => {
  it('gathers the words from statutory visits, direct work and case notes, newest first, paged, each linked to its source', async () => {
    const { episodeId, child, visitId, sessionId, noteId } = await childWithWords();
    const ctx = readContextFor(t.db, t.sw, now);
    const all = await childVoiceFor(ctx, { childId: child.id, page: { limit: 20, offset: 0 } });
    expect(all.total).toBe(3);
    expect(
      all.rows.map((r) => [r.saidOn, r.sourceType, r.words, r.seenAlone, r.sourceLabel, r.href]),
    ).toEqual([
      [
        '2026-11-13',
        'case-note',
        'School is better now.',
        false,
        'Visit (case note)',
        `/people/${child.id}/case-notes#case-note-${noteId}`,
      ],
      [
        '2026-11-12',
        'direct-work',
        'My house of worries has shouting in it.',
        null,
        'Direct work',
        `/social-care/episodes/${episodeId}/direct-work`,
      ],
      [
        '2026-11-10',
        'statutory-visit',
        'I like my new bed.',
        true,
        'Assessment visit',
        `/social-care/episodes/${episodeId}/visits`,
      ],
    ]);
    expect(all.rows.map((r) => r.sourceId)).toEqual([noteId, sessionId, visitId]);

    const second = await childVoiceFor(ctx, { childId: child.id, page: { limit: 2, offset: 2 } });
    expect(second).toMatchObject({ total: 3, rows: [{ sourceId: visitId }] });

    // The summary reads the same stream; a plan review shows the latest words.
    expect((await recentChildVoice(ctx, child.id, 2)).map((r) => r.sourceId)).toEqual([noteId, sessionId]);
    const latest = await latestChildVoice(ctx, [child.id]);
    expect(latest).toMatchObject([{ childId: child.id, sourceId: noteId, saidOn: '2026-11-13' }]);

    // The chronology entry of the visit carries the words too.
    const entry = await t.db
      .selectFrom('caseEvents')
      .select('summary')
      .where('sourceId', '=', visitId)
      .executeTakeFirstOrThrow();
    expect(entry.summary).toContain('“I like my new bed.”');
  });

  it('shows the words to whoever may read the record, linked only where they may open the source', async () => {
    const { child } = await childWithWords();
    const ehp = await userFor(t.db, 'early-help-practitioner');
    const seen = await childVoiceFor(readContextFor(t.db, ehp, now), {
      childId: child.id,
      page: { limit: 20, offset: 0 },
    });
    expect(seen.rows.map((r) => [r.sourceType, r.href === null])).toEqual([
      ['case-note', false],
      ['direct-work', true],
      ['statutory-visit', true],
    ]);
  });

  it('cannot be read without access to the record; the reviews leave out a child the user may not read', async () => {
    const hidden = await aChild(t.db, { restricted: true });
    const ehp = await userFor(t.db, 'early-help-practitioner');
    const ctx = readContextFor(t.db, ehp, now);
    await expect(
      childVoiceFor(ctx, { childId: hidden.id, page: { limit: 20, offset: 0 } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await latestChildVoice(ctx, [hidden.id])).toEqual([]);
    const partner = await userFor(t.db, 'partner-agency-user');
    expect(await latestChildVoice(readContextFor(t.db, partner, now), [hidden.id])).toEqual([]);
  });

  it('refuses words on a visit where the child was not seen', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const refused = await censusRefusal(
      t.act(t.sw, recordVisit, {
        episodeId,
        visitedOn: '2026-11-10',
        childSeen: false,
        reasonNotSeen: 'Nobody home',
        childsWords: 'Hello',
        notes: 'Nobody home',
      }),
    );
    expect(refused.field).toBe('childsWords');
  });
});
