/**
 * API write throughput on its own, by the suite's method (bench/run.ts step 5): Threshold started as production
 * starts it and the floor server, each in its own process, on a generated authority; the floor's bare INSERT with 10
 * writers, then POST /api/v1/contacts with 10 writers (as partner systems, spread over 40 API clients), interleaved
 * `--rounds` times so that both see the same machine. Prints each round and the ratio (target ≥ 0.5×).
 *
 *   DATABASE_URL=postgres://…/hreq_small npx tsx bench/api-writes.ts [--seconds 20] [--rounds 2]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  apiBody,
  cpuMs,
  createBenchApiClients,
  f1,
  pct,
  startProductionApp,
  startFloor,
  stopProcess,
} from './support.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '2' } },
});
const dbUrl = process.env.DATABASE_URL;
if (!dbUrl) throw new Error('Set DATABASE_URL to a generated authority');
const seconds = Number(args.seconds);

async function closedLoop(workers: number, request: () => Promise<number>) {
  const end = Date.now() + seconds * 1000;
  const times: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        if ((await request().catch(() => 599)) >= 400) errors++;
        times.push(performance.now() - t);
      }
    }),
  );
  return { throughput: times.length / ((performance.now() - t0) / 1000), p95: pct(times, 95), errors };
}

const db = new pg.Pool({ connectionString: dbUrl, max: 1 });
const la = (await db.query(`select id from local_authorities where la_code = '318'`)).rows[0].id as string;
await db.end();
const credentials = await createBenchApiClients(dbUrl, 40);
const app = await startProductionApp(dbUrl);
const floor = await startFloor(dbUrl);
try {
  let seq = 0;
  const floorWrite = async () => {
    const res = await fetch(`${floor.base}/floor/writes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(apiBody(la, 0)),
    });
    await res.text();
    return res.status;
  };
  const apiWrite = async () => {
    const res = await fetch(`${app.base}/api/v1/contacts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: credentials[seq % credentials.length]!,
      },
      body: JSON.stringify(apiBody(la, ++seq)),
    });
    await res.text();
    return res.status === 201 ? 200 : res.status;
  };
  for (let i = 0; i < 20; i++) await apiWrite(); // warm up
  for (let round = 1; round <= Number(args.rounds); round++) {
    const load = os.loadavg()[0]!.toFixed(1);
    // CPU of each write in the server's Node process (from /proc), which the machine's load does not change much.
    const f0 = cpuMs(floor.child.pid!);
    const f = await closedLoop(10, floorWrite);
    const fCpu = (cpuMs(floor.child.pid!) - f0) / (f.throughput * seconds);
    const a0 = cpuMs(app.child.pid!);
    const a = await closedLoop(10, apiWrite);
    const aCpu = (cpuMs(app.child.pid!) - a0) / (a.throughput * seconds);
    console.log(
      `round ${round} (load ${load}): floor ${f1(f.throughput)}/s (${f1(fCpu)} ms Node CPU a write), ` +
        `API ${f1(a.throughput)}/s (${f1(aCpu)} ms Node CPU a write, p95 ${f1(a.p95)} ms, ${a.errors} errors): ` +
        `${(a.throughput / f.throughput).toFixed(2)}× the floor`,
    );
  }
} finally {
  await stopProcess(app.child);
  await stopProcess(floor.child);
}
