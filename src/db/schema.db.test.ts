import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDb } from '../../test/support/test-db.ts';
import type { DatabaseHandle } from './database.ts';
import { generateSchemaSource } from './schema-generator.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle?.close();
});

it('src/db/schema.ts matches the migrated database (run `npm run db:types` after adding a migration)', async () => {
  const expected = await generateSchemaSource(handle.db);
  const committed = fs.readFileSync(new URL('./schema.ts', import.meta.url), 'utf8');
  expect(committed).toBe(expected);
});
