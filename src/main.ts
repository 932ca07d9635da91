import closeWithGrace from 'close-with-grace';
import { buildApp, loggerOptions } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedDemo } from './demo/seed-demo.ts';
import { systemClock } from './kernel/time/index.ts';
import { purgeOldSessions } from './modules/identity/index.ts';

/** Entry point: loadConfig → openDatabase → migrate → (demo data) → buildApp → listen; graceful shutdown. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let handle: DatabaseHandle;
  try {
    handle =
      config.database.kind === 'postgres'
        ? await openDatabase({ url: config.database.url, poolSize: config.database.poolSize })
        : await openDatabase({
            dataDir: config.database.dataDir,
            embeddedMemory: { sharedBuffersMb: config.database.sharedBuffersMb },
          });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  // Under a role that cannot change the schema, migrations run separately (`threshold migrate` as the owner).
  // Say what a first start is doing: migrating and building demo data take about a minute on the embedded database.
  if (config.migrateOnStart) {
    console.log('Bringing the database up to date…');
    await migrateToLatest(handle.db);
  }
  if (config.demoData) {
    const started = Date.now();
    const { seeded } = await seedDemo(handle.db, config, systemClock, (step) =>
      console.log(`Creating synthetic demonstration data: ${step}…`),
    );
    if (seeded)
      console.log(
        `Created synthetic demonstration data in ${Math.round((Date.now() - started) / 1000)} s (see the README for the demo accounts).`,
      );
  }
  await purgeOldSessions(handle.db, systemClock.now());

  const app = await buildApp({ config, db: handle.db, logger: loggerOptions(config), backgroundJobs: true });

  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing requests in flight');
    await app.close(); // stops accepting connections, waits for in-flight requests
    await handle.close(); // pool or PGlite closed, data-folder lock released
  });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(
        code === 'EADDRINUSE'
          ? `Port ${config.port} is already in use. Stop whatever is using it, or start Threshold on another port: PORT=3001 npm start`
          : `Threshold is not allowed to listen on port ${config.port}. Choose a port above 1024: PORT=3000 npm start`,
      );
      await app.close();
      await handle.close();
      process.exit(1);
    }
    throw error;
  }
  const where =
    config.database.kind === 'postgres'
      ? 'PostgreSQL'
      : `the embedded database in ${config.database.dataDir}`;
  console.log(`Threshold is running at http://localhost:${config.port} on ${where}.`);
}

await main();
