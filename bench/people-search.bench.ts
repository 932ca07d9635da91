/**
 * "Is this child known?" search latency at scale.
 *
 *   npm run bench:search -- --people 50000                      # PGlite in a temporary folder
 *   npm run bench:search -- --people 1000000 --url postgres://postgres@127.0.0.1:5432/postgres
 *   npm run bench:search -- --people 1000000 --url postgres://…/threshold_bench_x --existing   # measure again
 *
 * Builds a fresh database (a PGlite data folder in the temp directory, or a new PostgreSQL database
 * created through --url and dropped afterwards unless --keep), migrates it, adds the demo organisation,
 * generates N synthetic people in families (people.generator.ts, fixed seed), then runs a fixed set of
 * realistic searches as a MASH practitioner through the same service the page uses (searchPeople: visibleTo,
 * candidates, scoring, warnings), one transaction each, and prints p50/p95/p99 overall and by kind of
 * search. Results are written to bench/RESULTS.md with the machine and the date.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemoOrganisation } from '../src/modules/admin/organisation.seed.ts';
import { loadCurrentUser } from '../src/modules/identity/current-user.repository.ts';
import { generatePeople } from '../src/modules/people/people.generator.ts';
import { searchPeople } from '../src/modules/people/person-search.service.ts';
import { englandAndWalesCalendar } from '../src/kernel/working-days/index.ts';
import type { SearchCriteria } from '../src/modules/people/person-search.ts';
import { nicknamesOf } from '../src/modules/people/name-variants.ts';

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    url: { type: 'string' },
    seed: { type: 'string', default: '2026' },
    queries: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
    /** --url names a database this script generated before (kept with --keep): measure again without regenerating. */
    existing: { type: 'boolean', default: false },
    out: {
      type: 'string',
      default: path.join(path.dirname(new URL(import.meta.url).pathname), 'RESULTS.md'),
    },
    'no-write': { type: 'boolean', default: false },
  },
});

const people = Number(args.people);
const seed = Number(args.seed);
const queryCount = Number(args.queries);
const now = new Date();

function mulberry32(a: number) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function openTarget(): Promise<{
  handle: DatabaseHandle;
  label: string;
  cleanup: () => Promise<void>;
}> {
  if (args.url && args.existing) {
    const handle = await openDatabase({ url: args.url, poolSize: 4 });
    const version = (
      await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db)
    ).rows[0]!.v;
    return { handle, label: `PostgreSQL ${version}`, cleanup: () => handle.close() };
  }
  if (args.url) {
    const name = `threshold_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: args.url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(args.url);
    u.pathname = `/${name}`;
    const handle = await openDatabase({ url: u.href, poolSize: 4 });
    const version = (
      await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db)
    ).rows[0]!.v;
    return {
      handle,
      label: `PostgreSQL ${version}`,
      cleanup: async () => {
        await handle.close();
        if (args.keep) return console.log(`Kept database ${name}`);
        const c = new pg.Client({ connectionString: args.url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-bench-'));
  const handle = await openDatabase({ dataDir: dir });
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db))
    .rows[0]!.v;
  return {
    handle,
    label: `PGlite 0.5.16 (PostgreSQL ${version} in WebAssembly, one connection)`,
    cleanup: async () => {
      await handle.close();
      if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Query {
  kind: string;
  criteria: SearchCriteria;
  targetId: string;
}

function typo(s: string, rnd: () => number): string {
  if (s.length < 4) return `${s}${s.at(-1)}`;
  const i = 1 + Math.floor(rnd() * (s.length - 2));
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

async function buildQueries(handle: DatabaseHandle, rnd: () => number): Promise<Query[]> {
  // A fixed sample of children and adults (tablesample would not be repeatable across engines).
  const { rows } = await sql<{
    id: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    nhsNumber: string | null;
    postcode: string | null;
  }>`
    select p.id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number,
      (select a.postcode from addresses a where a.person_id = p.id and a.to_date is null limit 1) as postcode
    from people p where p.merged_into_id is null and p.date_of_birth is not null
    order by md5(p.id::text || ${String(seed)}) limit ${queryCount}`.execute(handle.db);
  const kinds = [
    'full name',
    'name + date of birth',
    'typo + date of birth',
    'nickname or first name only + date of birth',
    'swapped names',
    'surname + date of birth',
    'date of birth only',
    'NHS number',
    'surname + postcode',
    'typo in name only',
  ];
  return rows.map((p, i) => {
    const kind = kinds[i % kinds.length]!;
    const name = `${p.givenName} ${p.familyName}`;
    const nick = [...nicknamesOf(p.givenName.toLowerCase())][0];
    const c: SearchCriteria = (() => {
      switch (kind) {
        case 'full name':
          return { name };
        case 'name + date of birth':
          return { name, dateOfBirth: p.dateOfBirth! };
        case 'typo + date of birth':
          return { name: `${p.givenName} ${typo(p.familyName, rnd)}`, dateOfBirth: p.dateOfBirth! };
        case 'nickname or first name only + date of birth':
          return { name: `${nick ?? p.givenName} ${p.familyName}`, dateOfBirth: p.dateOfBirth! };
        case 'swapped names':
          return { name: `${p.familyName} ${p.givenName}` };
        case 'surname + date of birth':
          return { name: p.familyName, dateOfBirth: p.dateOfBirth! };
        case 'date of birth only':
          return { dateOfBirth: p.dateOfBirth! };
        case 'NHS number':
          return p.nhsNumber ? { nhsNumber: p.nhsNumber } : { name, dateOfBirth: p.dateOfBirth! };
        case 'surname + postcode':
          return p.postcode ? { name: p.familyName, postcode: p.postcode } : { name };
        default:
          return { name: `${typo(p.givenName, rnd)} ${typo(p.familyName, rnd)}` };
      }
    })();
    return { kind, criteria: c, targetId: p.id };
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * CPU time spent on a search, which unlike wall-clock time does not depend on what else the machine is
 * doing: this process's CPU (for PGlite, the whole database engine too) plus, for PostgreSQL on this
 * machine, the CPU of the database's server processes (from /proc/<pid>/schedstat, nanoseconds).
 */
async function cpuMeter(handle: DatabaseHandle) {
  let backendPids: number[] = [];
  const readBackends = () => {
    let ns = 0;
    for (const pid of backendPids) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a connection that has gone
      }
    }
    return ns / 1e6;
  };
  const refresh = async () => {
    if (handle.kind !== 'postgres') return;
    const { rows } = await sql<{
      pid: number;
    }>`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`.execute(
      handle.db,
    );
    backendPids = rows.map((r) => Number(r.pid));
  };
  await refresh();
  return {
    refresh,
    start: () => ({ node: process.cpuUsage(), backends: readBackends() }),
    stop: (s: { node: NodeJS.CpuUsage; backends: number }) => {
      const n = process.cpuUsage(s.node);
      const node = (n.user + n.system) / 1000;
      const server = readBackends() - s.backends;
      return { total: node + server, node, server };
    },
  };
}

async function main() {
  const { handle, label, cleanup } = await openTarget();
  const started = Date.now();
  try {
    let gen: Awaited<ReturnType<typeof generatePeople>> = { people: 0, families: 0, duplicates: [] };
    let generateSeconds = 0;
    if (!args.existing) {
      await migrateToLatest(handle.db);
      await handle.db.transaction().execute((trx) => seedDemoOrganisation(trx, 'Threshold-bench-2026'));
      const bar = new cliProgress.SingleBar(
        { format: 'Generating {bar} {value}/{total} people | {eta_formatted} left', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(people, 0);
      const genStart = Date.now();
      gen = await generatePeople(handle.db, {
        count: people,
        seed,
        now,
        batchSize: 5000,
        onProgress: (d) => bar.update(d),
      });
      bar.stop();
      generateSeconds = (Date.now() - genStart) / 1000;
      // What autovacuum would do on a live system soon after a bulk load.
      await sql`vacuum analyze`.execute(handle.db);
    }
    const sizes = (
      await sql<{ table: string; rows: number }>`
      select relname as table, n_live_tup::int as rows from pg_stat_user_tables
      where relname in ('people','addresses','relationships','household_members','name_tokens','person_names') order by relname`.execute(
        handle.db,
      )
    ).rows;
    // A MASH practitioner: the joint front door works for both authorities, so every generated record is visible.
    const mash = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', 'like', 'mash.practitioner@%')
      .executeTakeFirstOrThrow();
    const user = (await loadCurrentUser(handle.db, mash.id, null))!;
    const rnd = mulberry32(seed);
    const queries = await buildQueries(handle, rnd);
    const run = (q: Query) =>
      handle.db
        .transaction()
        .execute((trx) =>
          searchPeople({ db: trx, user, now, calendar: englandAndWalesCalendar }, q.criteria),
        );
    for (const q of queries.slice(0, Number(args.warmup))) await run(q);
    const cpu = await cpuMeter(handle);
    const loadBefore = os.loadavg()[0]!;
    const timings: {
      kind: string;
      ms: number;
      cpuMs: number;
      nodeMs: number;
      serverMs: number;
      found: boolean;
      results: number;
    }[] = [];
    for (const q of queries) {
      const c0 = cpu.start();
      const t0 = performance.now();
      const results = await run(q);
      const ms = performance.now() - t0;
      const used = cpu.stop(c0);
      timings.push({
        kind: q.kind,
        ms,
        cpuMs: used.total,
        nodeMs: used.node,
        serverMs: used.server,
        found: results.slice(0, 10).some((r) => r.id === q.targetId),
        results: results.length,
      });
    }
    const loadAfter = os.loadavg()[0]!;
    // Planted near-duplicates: searching with the duplicate's details should find the original.
    let dupFound = 0;
    const dups = gen.duplicates.slice(0, 200);
    for (const d of dups) {
      const row = await handle.db
        .selectFrom('people')
        .select(['givenName', 'familyName', 'dateOfBirth'])
        .where('id', '=', d.duplicateId)
        .executeTakeFirstOrThrow();
      const results = await run({
        kind: 'dup',
        targetId: d.originalId,
        criteria: { name: `${row.givenName} ${row.familyName}`, dateOfBirth: row.dateOfBirth ?? undefined },
      });
      if (results.slice(0, 10).some((r) => r.id === d.originalId)) dupFound++;
    }

    const all = timings.map((t) => t.ms).sort((a, b) => a - b);
    const allCpu = timings.map((t) => t.cpuMs).sort((a, b) => a - b);
    const median = (xs: number[]) =>
      pct(
        [...xs].sort((a, b) => a - b),
        0.5,
      );
    const cpuSplit = args.url
      ? ` Of the CPU time, the median search used ${median(timings.map((t) => t.nodeMs)).toFixed(1)} ms in Node (scoring, protocol) and ${median(timings.map((t) => t.serverMs)).toFixed(1)} ms in PostgreSQL.`
      : '';
    const kinds = [...new Set(timings.map((t) => t.kind))];
    const lines = [
      `| Search | n | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms | target in top 10 |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|`,
      ...kinds.map((k) => {
        const ts = timings.filter((t) => t.kind === k);
        const s = ts.map((t) => t.ms).sort((a, b) => a - b);
        const c = ts.map((t) => t.cpuMs).sort((a, b) => a - b);
        return `| ${k} | ${ts.length} | ${pct(s, 0.5).toFixed(1)} | ${pct(s, 0.95).toFixed(1)} | ${pct(s, 0.99).toFixed(1)} | ${pct(c, 0.5).toFixed(1)} | ${pct(c, 0.95).toFixed(1)} | ${((ts.filter((t) => t.found).length / ts.length) * 100).toFixed(0)}% |`;
      }),
      `| **all** | **${all.length}** | **${pct(all, 0.5).toFixed(1)}** | **${pct(all, 0.95).toFixed(1)}** | **${pct(all, 0.99).toFixed(1)}** | **${pct(allCpu, 0.5).toFixed(1)}** | **${pct(allCpu, 0.95).toFixed(1)}** | **${((timings.filter((t) => t.found).length / timings.length) * 100).toFixed(1)}%** |`,
    ];
    const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
    const machine = `${os.cpus().length} CPUs (nproc) × ${cpuModel}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
    const section = [
      `<!-- result:${args.url ? 'postgres' : 'pglite'}:${people} -->`,
      `## ${label}: ${people.toLocaleString('en-GB')} people`,
      '',
      `Run ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
      args.existing
        ? `Measured again on a database generated earlier; table rows: ${sizes.map((s) => `${s.table} ${s.rows.toLocaleString('en-GB')}`).join(', ')}.`
        : `Generated ${gen.people.toLocaleString('en-GB')} people in ${gen.families.toLocaleString('en-GB')} families (${gen.duplicates.length.toLocaleString('en-GB')} planted near-duplicates) in ${generateSeconds.toFixed(0)} s; table rows: ${sizes.map((s) => `${s.table} ${s.rows.toLocaleString('en-GB')}`).join(', ')}.`,
      `The machine is shared: 1-minute load average ${loadBefore.toFixed(1)} when the measured searches started and ${loadAfter.toFixed(1)} when they ended (on ${os.cpus().length} CPUs).`,
      `Wall-clock times (p50/p95/p99) are what a user waits for on this machine as it was; CPU times are the processor time each search used in this process${args.url ? ' and in its PostgreSQL server processes' : ' (which for PGlite includes the database engine)'}, which does not depend on other load and approximates the latency on an idle machine.${cpuSplit}`,
      `${queries.length} searches after ${args.warmup} warm-up searches, one at a time, as a MASH practitioner (who may read both authorities' records) through searchPeople (access filter, candidates, scoring, warnings), each in its own transaction.`,
      '',
      ...lines,
      '',
      dups.length
        ? `Planted near-duplicates found in the top 10 when searching with the duplicate's name and date of birth: ${dupFound}/${dups.length}.`
        : '',
      `<!-- /result -->`,
    ].join('\n');
    console.log(`\n${section}\n`);
    if (!args['no-write'])
      writeResults(args.out!, section, `<!-- result:${args.url ? 'postgres' : 'pglite'}:${people} -->`);
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await cleanup();
  }
}

function writeResults(file: string, section: string, marker: string) {
  const header =
    '# Benchmarks\n\nWritten by the benchmark scripts in this folder; each section is replaced when its benchmark is run again.\n';
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : header;
  const start = text.indexOf(marker);
  if (start >= 0) {
    const end = text.indexOf('<!-- /result -->', start);
    text = text.slice(0, start) + section + text.slice(end + '<!-- /result -->'.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  fs.writeFileSync(file, text);
  console.log(`Wrote ${file}`);
}

await main();
