import { expect, it } from 'vitest';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { seededOrganisation } from '../../../test/support/seeded-organisation.ts';
import { feedbackResults } from './feedback.service.ts';
import { myObservations } from './observation.service.ts';
import { seedDemoQuality } from './quality.seed.ts';

const h = databaseForFile();

it('seeds observations of the social worker and family feedback the QA officer sees in the results', async () => {
  const org = await seededOrganisation(h.db);
  const now = new Date('2026-11-24T10:30:00Z');
  const result = await h.db.transaction().execute((trx) => seedDemoQuality(trx, org, now));
  expect(result).toEqual({ observations: 2, feedback: 5 });
  const sw = await userFor(h.db, 'social-worker');
  const mine = await myObservations(readContextFor(h.db, sw, now), { madePage: 1, ofMePage: 1 });
  expect(mine.ofMe.total).toBe(2);
  const qa = await userFor(h.db, 'qa-officer');
  const results = await feedbackResults(readContextFor(h.db, qa, now), {});
  expect(results.byTeam.reduce((n, r) => n + r.responses, 0)).toBeGreaterThanOrEqual(5);
  expect(results.words.map((w) => w.words)).toContain(
    'We had three different workers and had to tell our story each time.',
  );
});
