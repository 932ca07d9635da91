import { Migrator, type MigrationResult } from 'kysely';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResult[],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Runs every pending migration in order; several processes may call this at once (Kysely takes a lock). */
export async function migrateToLatest(db: Database): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db: db.withoutPlugins(),
    provider: { getMigrations: async () => migrations },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      results,
    );
  }
  return results;
}
