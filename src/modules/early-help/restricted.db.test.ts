import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../kernel/errors.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { anEarlyHelpEpisode, currentUserFor, readContext } from '../../../test/builders/early-help.ts';
import { requireEpisodeAccess } from './access.ts';
import { listEpisodes } from './episode.repository.ts';

/**
 * A restricted child's early help (security probe M1): leading the episode or sitting in its team opens nothing by
 * itself once a child's record is restricted. Only the record rule's own access (an allocation, the management
 * line, a named grant, break the glass) does, on the episode page and in lists alike.
 */

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');

const restrict = (id: string) =>
  h.db.updateTable('people').set({ restricted: true }).where('id', '=', id).execute();
const listed = async (role: 'partner-lead-practitioner' | 'early-help-practitioner', episodeId: string) => {
  const user = await currentUserFor(h.db, role);
  const { rows } = await listEpisodes(readContext(h.db, user, now), {
    view: 'mine',
    status: 'all',
    limit: 100,
    offset: 0,
  });
  return rows.some((r) => r.id === episodeId);
};

describe('early help for a restricted child', () => {
  it('a school lead practitioner loses the episode, its forms and its place in lists when the record is restricted', async () => {
    const child = await aChild(h.db, { givenName: 'Rae', familyName: 'Stricted' });
    const { episode } = await anEarlyHelpEpisode(h.db, {
      now,
      children: [child],
      lead: 'partner-lead-practitioner',
    });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    const ctx = readContext(h.db, school, now);
    await expect(requireEpisodeAccess(ctx, episode.id, 'write')).resolves.toMatchObject({ isLead: true });
    expect(await listed('partner-lead-practitioner', episode.id)).toBe(true);

    await restrict(child.id);
    await expect(requireEpisodeAccess(ctx, episode.id, 'read')).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireEpisodeAccess(ctx, episode.id, 'write')).rejects.toBeInstanceOf(NotFoundError);
    expect(await listed('partner-lead-practitioner', episode.id)).toBe(false);
  });

  it('a former lead whose allocation has ended keeps no way in; the allocated line still works', async () => {
    const child = await aChild(h.db, { givenName: 'Former', familyName: 'Lead' });
    const { episode } = await anEarlyHelpEpisode(h.db, { now, children: [child] });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const ctx = readContext(h.db, eh, now);
    await restrict(child.id);
    // While allocated (the early help team's allocation), the record rule lets them in.
    await expect(requireEpisodeAccess(ctx, episode.id, 'write')).resolves.toMatchObject({ canWrite: true });
    await h.db
      .updateTable('allocations')
      .set({ endedOn: '2026-11-23' })
      .where('childId', '=', child.id)
      .execute();
    await h.db
      .updateTable('earlyHelpEpisodes')
      .set({ closedOn: '2026-11-23', status: 'closed' })
      .where('id', '=', episode.id)
      .execute();
    await expect(requireEpisodeAccess(ctx, episode.id, 'read')).rejects.toBeInstanceOf(NotFoundError);
    expect(await listed('early-help-practitioner', episode.id)).toBe(false);
  });
});
