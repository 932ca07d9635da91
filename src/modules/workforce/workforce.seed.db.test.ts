import { expect, it } from 'vitest';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { seededOrganisation } from '../../../test/support/seeded-organisation.ts';
import { workforceFiguresByTeam, workforceScope } from './workforce-figures.service.ts';
import { seedDemoWorkforce } from './workforce.seed.ts';
import { workforceDue } from './worker-profile.service.ts';

const h = databaseForFile();

it('seeds profiles for the demo staff, the social worker’s ASYE with a review due, a renewal due and a leaver', async () => {
  const org = await seededOrganisation(h.db);
  const now = new Date('2026-11-24T10:30:00Z');
  const result = await h.db.transaction().execute((trx) => seedDemoWorkforce(trx, org, now));
  expect(result.profiles).toBe(13);
  // The team manager assesses the social worker's ASYE: the 6-month review is next on their worktray.
  const tm = await userFor(h.db, 'team-manager');
  const due = await workforceDue(readContextFor(h.db, tm, now));
  expect(due.asye).toEqual([expect.objectContaining({ displayName: 'Sian Walker', point: '6-month' })]);
  expect(due.renewals.map((r) => r.displayName)).toEqual(['Sian Walker']);
  // The service manager's Assessment Team: 2 in post (Sian and Tom), a leaver, 3 funded posts.
  const sm = await userFor(h.db, 'service-manager');
  const ctx = readContextFor(h.db, sm, now);
  const [assessment] = await workforceFiguresByTeam(
    ctx,
    await workforceScope(ctx, org.teams.get('Assessment Team')),
  );
  expect(assessment).toMatchObject({ inPost: 2, leavers: 1, fundedPosts: 3, vacancies: 1 });
  expect(assessment!.registration.due).toBe(1);
  expect(assessment!.asye['in-progress']).toBe(1);
});
