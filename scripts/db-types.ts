// Regenerates src/db/schema.ts from the migrations: `npm run db:types`.
import fs from 'node:fs';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { generateSchemaSource } from '../src/db/schema-generator.ts';

const handle = await openDatabase({ dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  const source = await generateSchemaSource(handle.db);
  fs.writeFileSync(new URL('../src/db/schema.ts', import.meta.url), source);
  console.log('Wrote src/db/schema.ts');
} finally {
  await handle.close();
}
