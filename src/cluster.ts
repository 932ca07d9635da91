import cluster from 'node:cluster';
import os from 'node:os';
import { ConfigError, loadConfig } from './config.ts';

/**
 * The production start (`npm run start:production`, after `npm run build`): one worker process per core (or
 * WEB_CONCURRENCY), each running src/main.ts and sharing the port. Every worker may run the background jobs:
 * the audit sealer takes turns through an advisory try-lock and the reminder sweep claims rows with
 * FOR UPDATE SKIP LOCKED. A worker that dies is replaced; SIGTERM and SIGINT reach every worker, which finish
 * their requests in flight. The embedded database allows one process only, so without DATABASE_URL one worker runs.
 */
if (cluster.isPrimary) {
  let workers: number;
  try {
    const config = loadConfig();
    workers = config.database.kind === 'postgres' ? (config.webConcurrency ?? os.availableParallelism()) : 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} else {
  await import('./main.ts');
}
