/**
 * The benchmark suite (`npm run bench`): Threshold at a large council's scale, from one command.
 *
 *   npm run bench                       # large authority, 5 years, full durations (open loop 10 minutes)
 *   npm run bench -- --quick            # a short smoke run (same steps, short durations)
 *   npm run bench -- --minutes 3        # the open-loop run for 3 minutes
 *   npm run bench -- --profile small    # on a small authority (2 years)
 *   BENCH_DATABASE_URL=postgres://user@host:5432/postgres npm run bench   # another server
 *
 * 1. Creates the database `threshold_bench_<profile>_<years>y` on BENCH_DATABASE_URL's server (default the local
 *    server), and generates the authority there (`threshold generate authority`) unless it was generated before with
 *    the same profile, years and seed (then it is reused; --regenerate drops and rebuilds it).
 * 2. Starts Threshold the way production does (`node --import tsx src/main.ts`, NODE_ENV=production, its own
 *    process and connection pool), and the floor (bench/floor/floor-server.ts: bare Fastify + Nunjucks GOV.UK page +
 *    one indexed select, and a bare INSERT for writes) in another process.
 * 3. Measures, in this order: the floor (one user, 50 connections, writes); every page one user at a time (p50/p95
 *    wall-clock, and the CPU each request used in Node and in its PostgreSQL backends); report pages; a closed loop
 *    at 50 connections; API write throughput; an open-loop mixed workload at a large council's peak (30 requests a
 *    second: worktrays, records, chronology, search, contacts, decisions, API writes, reports), with the app's memory
 *    sampled; the embedded (PGlite) default's memory.
 * 4. Writes bench/RESULTS.md (its own section, other sections kept): the machine, load average before and after,
 *    the data size, every figure with its ratio to the floor, and each target met or missed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  apiBody,
  benchDatabase,
  cpuMs,
  createBenchApiClients,
  ensureAuthority,
  f1,
  measureEmbedded,
  pct,
  ratio,
  root,
  rssMiB,
  Session,
  startProductionApp,
  startFloor,
  stopProcess,
} from './support.ts';
const { values: args } = parseArgs({
  options: {
    profile: { type: 'string', default: 'large' },
    years: { type: 'string' },
    seed: { type: 'string', default: '1' },
    minutes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    rate: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string', default: path.join(root, 'bench', 'RESULTS.md') },
    'no-embedded': { type: 'boolean', default: false },
  },
});
const profile = args.profile === 'small' ? 'small' : 'large';
const years = Number(args.years ?? (profile === 'large' ? 5 : 2));
const seed = Number(args.seed);
const quick = args.quick;
const openLoopSeconds = Math.round(Number(args.minutes ?? (quick ? 1 : 10)) * 60);
const closedLoopSeconds = quick ? 20 : 60;
const writeSeconds = quick ? 15 : 60;
const samples = quick ? 8 : 30;
const rate = Number(args.rate);
const connections = Number(args.connections);
/**
 * Partner API clients for the write measurements. The API allows each client 120 requests a minute (its rate limit,
 * which the benchmark does not switch off), so writes are spread over enough clients for about 1,000 a second.
 */
const API_CLIENTS = quick ? 60 : 500;
const authority = { ...benchDatabase(profile, years), profile, years, seed, regenerate: args.regenerate! };
const { password, dbUrl } = authority;

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  const generation = await ensureAuthority(authority);
  const db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const sizeRow = (await db.query('select pg_database_size(current_database())::bigint as b')).rows[0];
  const tables = [
    'people',
    'contacts',
    'contact_decisions',
    'early_help_episodes',
    'cin_episodes',
    'cin_assessments',
    'section47_enquiries',
    'cp_plans',
    'cin_plans',
    'statutory_visits',
    'case_notes',
    'case_events',
    'allocations',
    'audit_events',
  ];
  const counts: Record<string, number> = {};
  for (const t of tables)
    counts[t] = Number(
      (await db.query(`select reltuples::bigint as n from pg_class where relname = $1`, [t])).rows[0]?.n ?? 0,
    );
  const dataSize = `${(Number(sizeRow.b) / 1024 ** 3).toFixed(2)} GiB`;

  // Who and what to open: the busiest generated workers and their records.
  const one = async <T extends Record<string, unknown>>(q: string, p: unknown[] = []) =>
    (await db.query(q, p)).rows[0] as T;
  const socialWorkers = (
    await db.query(`
      select u.email, u.id from users u join allocations a on a.worker_id = u.id
      where a.ended_on is null and a.involvement_type = 'cin-episode' and u.email like '%@generated.threshold.test'
      group by u.id order by count(*) desc limit 5`)
  ).rows as { email: string; id: string }[];
  const childrenOf = new Map<string, { child: string; episode: string; name: string }[]>();
  for (const w of socialWorkers)
    childrenOf.set(
      w.email,
      (
        await db.query(
          `select a.child_id as child, a.involvement_id as episode, p.given_name || ' ' || p.family_name as name
           from allocations a join people p on p.id = a.child_id
           where a.worker_id = $1 and a.ended_on is null and a.involvement_type = 'cin-episode'`,
          [w.id],
        )
      ).rows,
    );
  const sw = socialWorkers[0]!;
  const swChild = childrenOf.get(sw.email)![0]!;
  const manager = await one<{ email: string }>(
    `select m.email from users u join teams t on t.id = u.team_id join users m on m.id = t.manager_user_id where u.id = $1`,
    [sw.id],
  );
  const assessment = await one<{ id: string }>(
    `select id from cin_assessments where episode_id = $1 order by start_date desc limit 1`,
    [swChild.episode],
  );
  const cpPlan = await one<{ id: string; email: string; child: string }>(`
    select p.id, u.email, p.child_id as child from cp_plans p
    join allocations a on a.involvement_id = p.episode_id and a.ended_on is null join users u on u.id = a.worker_id
    where p.end_date is null limit 1`);
  const cinPlan = await one<{ id: string; email: string }>(`
    select p.id, u.email from cin_plans p
    join allocations a on a.involvement_id = p.episode_id and a.ended_on is null join users u on u.id = a.worker_id
    where p.end_date is null limit 1`);
  const mash = await one<{ email: string; la: string }>(
    `select u.email, u.local_authority_id as la from users u join user_roles r on r.user_id = u.id
     where r.role = 'mash-practitioner' and u.email like '%@generated.threshold.test' order by u.email limit 1`,
  );
  const contacts = (
    await db.query(
      `select id from contacts where local_authority_id = $1 order by received_at desc limit 200`,
      [mash.la],
    )
  ).rows.map((r) => r.id as string);
  const openContact = await one<{ id: string }>(
    `select id from contacts where local_authority_id = $1 and status <> 'completed' order by received_at desc limit 1`,
    [mash.la],
  );
  const eh = await one<{ email: string; episode: string }>(`
    select u.email, e.id as episode from early_help_episodes e join users u on u.id = e.lead_practitioner_id
    where e.status = 'open' and u.email like '%@generated.threshold.test' limit 1`);
  const searchNames = (
    await db.query(
      `select given_name || ' ' || family_name as name from people where kind = 'child' order by la_child_id limit 200`,
    )
  ).rows.map((r) => r.name as string);
  const floorPeople = (
    await db.query(`select id from people order by la_child_id nulls last limit 500`)
  ).rows.map((r) => r.id as string);
  const la = await one<{ id: string }>(`select id from local_authorities where la_code = '318'`);
  await db.end();

  // An API client for the partner-system writes (through the service, as an administrator would).
  const apiCredentials = await createBenchApiClients(dbUrl, API_CLIENTS);

  // --- Start the app (as production) and the floor.
  const app = await startProductionApp(dbUrl);
  const floor = await startFloor(dbUrl);
  const appPid = app.child.pid!;
  const floorPid = floor.child.pid!;
  const backendPids = async (application?: string) => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const r = await c.query(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    await c.end();
    void application;
    return r.rows.map((x) => x.pid as number);
  };
  const pgCpu = async () => (await backendPids()).reduce((s, pid) => s + cpuMs(pid), 0);
  const rss: { app: number[]; floor: number[] } = { app: [], floor: [] };

  try {
    // --- Sessions.
    const sessions = new Map<string, Session>();
    const as = async (email: string) => {
      if (!sessions.has(email))
        sessions.set(email, await new Session(app.base, email).signIn(email, password));
      return sessions.get(email)!;
    };
    for (const w of socialWorkers) await as(w.email);
    await as(manager.email);
    await as(mash.email);
    await as(eh.email);
    await as(cpPlan.email);
    await as(cinPlan.email);
    const analyst = 'performance.analyst@demo.threshold.test';
    await as(analyst);
    const serviceManager = 'service.manager@demo.threshold.test';
    await as(serviceManager);

    // --- The floor.
    const floorGet = async () => {
      const t = performance.now();
      const res = await fetch(
        `${floor.base}/floor/people/${floorPeople[Math.floor(Math.random() * floorPeople.length)]}`,
      );
      await res.text();
      return performance.now() - t;
    };
    const floorWrite = async () => {
      const res = await fetch(`${floor.base}/floor/writes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(apiBody(la.id, 0)),
      });
      await res.text();
      return res.status;
    };
    for (let i = 0; i < 20; i++) await floorGet();
    const floorCpu0 = cpuMs(floorPid);
    const floorPg0 = await pgCpu();
    const floorTimes: number[] = [];
    for (let i = 0; i < samples * 5; i++) floorTimes.push(await floorGet());
    const floorSingle = {
      p50: pct(floorTimes, 50),
      p95: pct(floorTimes, 95),
      node: (cpuMs(floorPid) - floorCpu0) / floorTimes.length,
      pg: ((await pgCpu()) - floorPg0) / floorTimes.length,
    };
    console.log(`floor page p50 ${f1(floorSingle.p50)} ms`);
    const floorClosed = await closedLoop(connections, closedLoopSeconds, async () => (await floorGet(), 200));
    const floorWrites = await closedLoop(10, writeSeconds, floorWrite);
    console.log(`floor closed loop ${f1(floorClosed.throughput)}/s, writes ${f1(floorWrites.throughput)}/s`);

    // --- Every page, one user at a time.
    type PageCase = { name: string; email: string; url: string; report?: boolean };
    const q = encodeURIComponent;
    const pages: PageCase[] = [
      { name: 'Home (worktray), social worker', email: sw.email, url: '/' },
      { name: 'Home (worktray), team manager', email: manager.email, url: '/' },
      { name: 'Home (worktray), MASH practitioner', email: mash.email, url: '/' },
      { name: 'Child’s record', email: sw.email, url: `/people/${swChild.child}` },
      { name: 'Chronology', email: sw.email, url: `/people/${swChild.child}/chronology` },
      { name: 'Family', email: sw.email, url: `/people/${swChild.child}/family` },
      { name: 'Case notes', email: sw.email, url: `/people/${swChild.child}/case-notes` },
      { name: 'Documents', email: sw.email, url: `/people/${swChild.child}/documents` },
      {
        name: 'Who saw this record (access log)',
        email: manager.email,
        url: `/people/${swChild.child}/access-log`,
      },
      { name: 'Search: name', email: mash.email, url: `/people?name=${q(searchNames[0]!)}` },
      { name: 'Social care list', email: sw.email, url: '/social-care' },
      { name: 'Social care episode', email: sw.email, url: `/social-care/episodes/${swChild.episode}` },
      { name: 'Assessment', email: sw.email, url: `/social-care/assessments/${assessment.id}` },
      { name: 'Child protection plan', email: cpPlan.email, url: `/social-care/cp-plans/${cpPlan.id}` },
      { name: 'Child in need plan', email: cinPlan.email, url: `/social-care/cin-plans/${cinPlan.id}` },
      {
        name: 'Allocate (team manager)',
        email: manager.email,
        url: `/social-care/episodes/${swChild.episode}/allocate`,
      },
      { name: 'Front door list', email: mash.email, url: '/front-door' },
      { name: 'Contact', email: mash.email, url: `/front-door/contacts/${contacts[0]}` },
      ...(openContact
        ? [
            {
              name: 'Decision form',
              email: mash.email,
              url: `/front-door/contacts/${openContact.id}/decision`,
            },
          ]
        : []),
      {
        name: 'Information requests (police)',
        email: 'police.officer@demo.threshold.test',
        url: '/information-requests',
      },
      { name: 'MASH meetings', email: mash.email, url: '/front-door/meetings' },
      { name: 'Early help list', email: eh.email, url: '/early-help' },
      { name: 'Early help episode', email: eh.email, url: `/early-help/episodes/${eh.episode}` },
      { name: 'New contact form', email: mash.email, url: '/front-door/contacts/new' },
      { name: 'Account', email: sw.email, url: '/account' },
      {
        name: 'Report: front-door performance',
        email: analyst,
        url: '/front-door/performance',
        report: true,
      },
      {
        name: 'Report: contacts (performance)',
        email: analyst,
        url: '/front-door/performance/contacts',
        report: true,
      },
      { name: 'Report: early help impact', email: serviceManager, url: '/early-help/impact', report: true },
      { name: 'Report: performance dashboard', email: analyst, url: '/performance', report: true },
      {
        name: 'Report: assessments in 45 working days',
        email: analyst,
        url: '/performance/measures/assessment-timeliness',
        report: true,
      },
      { name: 'Report: the pathway', email: analyst, url: '/performance/pathway', report: true },
      { name: 'Home, service manager', email: serviceManager, url: '/', report: true },
      {
        name: 'Report: early help impact, episodes',
        email: serviceManager,
        url: '/early-help/impact/episodes',
        report: true,
      },
    ];
    const pageResults: {
      name: string;
      report: boolean;
      status: number;
      p50: number;
      p95: number;
      node: number;
      pg: number;
    }[] = [];
    for (const page of pages) {
      const s = await as(page.email);
      const warm = await s.get(page.url);
      const times: number[] = [];
      const n = page.report ? Math.max(3, Math.round(samples / 3)) : samples;
      const c0 = cpuMs(appPid);
      const p0 = await pgCpu();
      let status = warm.status;
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const r = await s.get(page.url);
        times.push(performance.now() - t);
        if (r.status !== 200) status = r.status;
      }
      const result = {
        name: page.name,
        report: !!page.report,
        status,
        p50: pct(times, 50),
        p95: pct(times, 95),
        node: (cpuMs(appPid) - c0) / n,
        // Backends can come and go between the two readings: never below zero.
        pg: Math.max(0, ((await pgCpu()) - p0) / n),
      };
      pageResults.push(result);
      console.log(`${page.name}: ${status} p50 ${f1(result.p50)} p95 ${f1(result.p95)} ms`);
    }
    rss.app.push(rssMiB(appPid));

    // --- Closed loop: 50 connections, a mix of pages.
    const mixPages = pages.filter((p) => !p.report && !p.url.includes('/decision'));
    const closed = await closedLoop(connections, closedLoopSeconds, async () => {
      const p = mixPages[Math.floor(Math.random() * mixPages.length)]!;
      return (await (await as(p.email)).get(p.url)).status;
    });
    rss.app.push(rssMiB(appPid));
    console.log(`closed loop ${f1(closed.throughput)}/s, errors ${closed.errors}`);

    // --- API writes.
    let seq = 0;
    const apiWrite = async () => {
      const res = await fetch(`${app.base}/api/v1/contacts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: apiCredentials[seq % apiCredentials.length]!,
        },
        body: JSON.stringify(apiBody(la.id, ++seq)),
      });
      await res.text();
      return res.status === 201 ? 200 : res.status;
    };
    const writes = await closedLoop(10, writeSeconds, apiWrite);
    console.log(`API writes ${f1(writes.throughput)}/s, errors ${writes.errors}`);

    // --- Open loop: 30 requests a second, mixed, for the configured minutes.
    const kinds: [string, number, () => Promise<number>][] = [
      ['worktray', 20, async () => (await (await as(pickOf(socialWorkers).email)).get('/')).status],
      [
        'record',
        15,
        async () => {
          const w = pickOf(socialWorkers);
          return (await (await as(w.email)).get(`/people/${pickOf(childrenOf.get(w.email)!).child}`)).status;
        },
      ],
      [
        'chronology',
        10,
        async () => {
          const w = pickOf(socialWorkers);
          return (
            await (await as(w.email)).get(`/people/${pickOf(childrenOf.get(w.email)!).child}/chronology`)
          ).status;
        },
      ],
      [
        'search',
        15,
        async () => (await (await as(mash.email)).get(`/people?name=${q(pickOf(searchNames))}`)).status,
      ],
      [
        'contact',
        10,
        async () => (await (await as(mash.email)).get(`/front-door/contacts/${pickOf(contacts)}`)).status,
      ],
      ['front door list', 8, async () => (await (await as(mash.email)).get('/front-door')).status],
      [
        'episode',
        7,
        async () => {
          const w = pickOf(socialWorkers);
          return (
            await (await as(w.email)).get(`/social-care/episodes/${pickOf(childrenOf.get(w.email)!).episode}`)
          ).status;
        },
      ],
      ['API write', 10, apiWrite],
      ['report', 5, async () => (await (await as(analyst)).get('/front-door/performance')).status],
    ];
    const open = await openLoop(rate, openLoopSeconds, kinds, () => rss.app.push(rssMiB(appPid)));
    rss.floor.push(rssMiB(floorPid));
    console.log(`open loop p95 ${f1(open.all.p95)} ms, errors ${open.errors}`);

    await stopProcess(app.child);
    await stopProcess(floor.child);

    // --- The returns on the whole history: the CIN census and Ofsted's Annex A, built by the CLI as an operator would.
    const returnsBuilds = await measureReturns();

    // --- The embedded default (PGlite) on its demo data: memory after the same pages.
    let embedded: { rss: number; note: string } | null = null;
    if (!args['no-embedded']) embedded = await measureEmbedded();

    write({
      started,
      loadBefore,
      loadAfter: os.loadavg(),
      generation,
      dataSize,
      counts,
      floorSingle,
      floorClosed,
      floorWrites,
      pageResults,
      closed,
      writes,
      open,
      rss,
      embedded,
      returnsBuilds,
    });
  } finally {
    await stopProcess(app.child);
    await stopProcess(floor.child);
  }
}

const pickOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function closedLoop(
  workers: number,
  seconds: number,
  request: () => Promise<number>,
): Promise<{
  throughput: number;
  p50: number;
  p95: number;
  errors: number;
  count: number;
  samples: string[];
}> {
  const end = Date.now() + seconds * 1000;
  const times: number[] = [];
  let errors = 0;
  const samples: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        try {
          const status = await request();
          if (status >= 400) {
            errors++;
            if (samples.length < 5) samples.push(`HTTP ${status}`);
          }
        } catch (error) {
          errors++;
          if (samples.length < 5) samples.push((error as Error).message);
        }
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  if (samples.length) console.log(`errors, e.g.: ${samples.join('; ')}`);
  return {
    // Only answered requests count: a refusal (4xx/5xx, e.g. a rate limit's 429) is an error, not throughput.
    throughput: (times.length - errors) / elapsed,
    p50: pct(times, 50),
    p95: pct(times, 95),
    errors,
    count: times.length,
    samples,
  };
}

interface OpenLoopResult {
  seconds: number;
  rate: number;
  sent: number;
  errors: number;
  errorSamples: string[];
  all: { p50: number; p95: number };
  byKind: { kind: string; n: number; p50: number; p95: number; errors: number }[];
}

async function openLoop(
  perSecond: number,
  seconds: number,
  kinds: [string, number, () => Promise<number>][],
  sample: () => void,
): Promise<OpenLoopResult> {
  // Requests start on a fixed schedule whatever the responses do (open loop): latency includes any queueing.
  const total = Math.round(perSecond * seconds);
  const interval = 1000 / perSecond;
  const weights = kinds.reduce((s, [, w]) => s + w, 0);
  const times = new Map<string, number[]>();
  const errorsOf = new Map<string, number>();
  const errorSamples: string[] = [];
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  const sampler = setInterval(sample, 5000);
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    let r = Math.random() * weights;
    const [kind, , run] = kinds.find(([, w]) => (r -= w) < 0) ?? kinds[0]!;
    inFlight.push(
      (async () => {
        const t = performance.now();
        let ok = false;
        try {
          const status = await run();
          ok = status < 400;
          if (!ok && errorSamples.length < 5) errorSamples.push(`${kind}: HTTP ${status}`);
        } catch (error) {
          if (errorSamples.length < 5) errorSamples.push(`${kind}: ${(error as Error).message}`);
        }
        const list = times.get(kind) ?? [];
        list.push(performance.now() - t);
        times.set(kind, list);
        if (!ok) errorsOf.set(kind, (errorsOf.get(kind) ?? 0) + 1);
      })(),
    );
  }
  await Promise.all(inFlight);
  clearInterval(sampler);
  sample();
  const all = [...times.values()].flat();
  return {
    seconds,
    rate: perSecond,
    sent: total,
    errors: [...errorsOf.values()].reduce((s, n) => s + n, 0),
    errorSamples,
    all: { p50: pct(all, 50), p95: pct(all, 95) },
    byKind: kinds.map(([kind]) => ({
      kind,
      n: times.get(kind)?.length ?? 0,
      p50: pct(times.get(kind) ?? [], 50),
      p95: pct(times.get(kind) ?? [], 95),
      errors: errorsOf.get(kind) ?? 0,
    })),
  };
}

type ReturnBuild = { name: string; seconds: number; cpuSeconds: number; peakMiB: number; outcome: string };

/**
 * Builds the CIN census for the last complete census year and Annex A for the last six months with the CLI (its own
 * process, as an operator or a cron job runs them), timing each: wall-clock, the process's CPU and its peak memory
 * (from /usr/bin/time when present). A census with validation errors still counts as built (exit 1 says so).
 */
async function measureReturns(): Promise<ReturnBuild[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-bench-returns-'));
  const today = new Date();
  // The census year ends on 31 March: the last complete one is the year that ended before today.
  const endYear = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  const censusYear = `${endYear - 1}-${String(endYear).slice(2)}`;
  const largest = await new pg.Client({ connectionString: dbUrl });
  await largest.connect();
  const laCode = (
    await largest.query(`select la.la_code from local_authorities la join people p on p.local_authority_id = la.id
       join cin_episodes e on e.child_id = p.id group by la.la_code order by count(*) desc limit 1`)
  ).rows[0]?.la_code as string;
  await largest.end();
  const builds: [string, string[]][] = [
    [
      `CIN census ${censusYear} for the authority with the most work (XML and validation report)`,
      [
        'census',
        '--la-code',
        laCode,
        '--year',
        censusYear,
        '--out',
        path.join(dir, 'census.xml'),
        '--report',
        path.join(dir, 'census.csv'),
      ],
    ],
    [
      'Annex A, last six months (workbook)',
      ['annex-a', '--la-code', laCode, '--out', path.join(dir, 'annex-a.xlsx')],
    ],
  ];
  const results: ReturnBuild[] = [];
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  try {
    for (const [name, cliArgs] of builds) {
      const t0 = performance.now();
      const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', ...cliArgs];
      const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
        const child = spawn(timeBin ?? command[0]!, timeBin ? ['-v', ...command] : command.slice(1), {
          cwd: root,
          env: { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: 'development' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (c) => resolve({ code: c ?? 1, output: out }));
      });
      const seconds = (performance.now() - t0) / 1000;
      const num = (re: RegExp) => Number(re.exec(output)?.[1] ?? Number.NaN);
      const cpuSeconds = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
      const peakMiB = num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
      const said = output.split('\tCommand being timed')[0]!;
      const summary =
        said
          .split('\n')
          .map((l) => l.trim())
          .find((l) => /^(Wrote|.*children, \d+ errors)/.test(l)) ?? '';
      const outcome =
        code === 0 ? summary : `exit ${code}: ${summary || said.trim().split('\n').slice(-3).join(' ')}`;
      console.log(`${name}: ${seconds.toFixed(1)} s (${outcome})`);
      results.push({ name, seconds, cpuSeconds, peakMiB, outcome });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------

function write(r: {
  started: Date;
  loadBefore: number[];
  loadAfter: number[];
  generation: string;
  dataSize: string;
  counts: Record<string, number>;
  floorSingle: { p50: number; p95: number; node: number; pg: number };
  floorClosed: { throughput: number; p50: number; p95: number };
  floorWrites: { throughput: number };
  pageResults: {
    name: string;
    report: boolean;
    status: number;
    p50: number;
    p95: number;
    node: number;
    pg: number;
  }[];
  closed: { throughput: number; p50: number; p95: number; errors: number; count: number };
  writes: { throughput: number; errors: number; p95: number };
  open: OpenLoopResult;
  rss: { app: number[]; floor: number[] };
  embedded: { rss: number; note: string } | null;
  returnsBuilds: ReturnBuild[];
}): void {
  const cpu = os.cpus();
  const fs1 = r.floorSingle;
  const lines: string[] = [];
  const met = (ok: boolean, by: string) => (ok ? '**met**' : `**missed** (${by})`);
  const pagesOnly = r.pageResults.filter((p) => !p.report);
  const reports = r.pageResults.filter((p) => p.report);
  const worstPage = pagesOnly.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const worstReport = reports.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const search = r.open.byKind.find((k) => k.kind === 'search')!;
  const appPeak = Math.max(...r.rss.app);
  const appFirst = r.rss.app.slice(1, 4);
  const appLast = r.rss.app.slice(-3);
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  lines.push(
    `<!-- result:suite:${profile}:${years} -->`,
    `## The benchmark suite: a ${profile} authority, ${years} years of work${quick ? ' (quick run)' : ''}`,
    '',
    `Run ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${cpu.length} CPUs × ${cpu[0]?.model ?? 'unknown'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}; PostgreSQL on the same machine.`,
    `The machine is shared with other engineers' test runs: 1-minute load average ${r.loadBefore[0]!.toFixed(2)} (5-minute ${r.loadBefore[1]!.toFixed(2)}) at the start and ${r.loadAfter[0]!.toFixed(2)} (5-minute ${r.loadAfter[1]!.toFixed(2)}) at the end, on ${cpu.length} CPUs. Wall-clock figures include that contention; the CPU figures (time the request used in the app's Node process and in its PostgreSQL backends) do not depend on it.`,
    `${r.generation} Data size ${r.dataSize}; rows (planner estimates): ${Object.entries(r.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
      .join(', ')}.`,
    '',
    '### The floor (measured in this run)',
    '',
    'Bare Fastify + Nunjucks rendering the GOV.UK template with one component around one indexed select (a person by id), in its own Node process; writes are one bare INSERT of the JSON body. Every figure below is also given as a ratio to it.',
    '',
    '| Floor | p50 ms | p95 ms | Node CPU ms | PostgreSQL CPU ms | throughput /s |',
    '|---|---:|---:|---:|---:|---:|',
    `| page, one user | ${f1(fs1.p50)} | ${f1(fs1.p95)} | ${f1(fs1.node)} | ${f1(fs1.pg)} | |`,
    `| page, ${connections} connections (closed loop, ${closedLoopSeconds} s) | ${f1(r.floorClosed.p50)} | ${f1(r.floorClosed.p95)} | | | ${f1(r.floorClosed.throughput)} |`,
    `| insert, 10 writers (${writeSeconds} s) | | | | | ${f1(r.floorWrites.throughput)} |`,
    '',
    `### Every page, one user at a time (${samples} requests each after a warm-up; reports ${Math.max(3, Math.round(samples / 3))})`,
    '',
    '| Page | status | p50 ms | p95 ms | p95 ÷ floor | Node CPU ms | PostgreSQL CPU ms | CPU ÷ floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.pageResults.map(
      (p) =>
        `| ${p.name} | ${p.status} | ${f1(p.p50)} | ${f1(p.p95)} | ${ratio(p.p95, fs1.p95)} | ${f1(p.node)} | ${f1(p.pg)} | ${ratio(p.node + p.pg, fs1.node + fs1.pg)} |`,
    ),
    '',
    `### Closed loop: ${connections} connections, ${closedLoopSeconds} s, a mix of the pages above`,
    '',
    `${f1(r.closed.throughput)} requests a second (${ratio(r.closed.throughput, r.floorClosed.throughput)} the floor's ${f1(r.floorClosed.throughput)}), p50 ${f1(r.closed.p50)} ms, p95 ${f1(r.closed.p95)} ms, ${r.closed.errors} errors in ${r.closed.count} requests.`,
    '',
    `### API writes: POST /api/v1/contacts, 10 writers, ${writeSeconds} s`,
    '',
    `${f1(r.writes.throughput)} contacts a second (${ratio(r.writes.throughput, r.floorWrites.throughput)} the bare insert's ${f1(r.floorWrites.throughput)}), p95 ${f1(r.writes.p95)} ms, ${r.writes.errors} errors.`,
    '',
    `### Open loop: ${r.open.rate} requests a second for ${(r.open.seconds / 60).toFixed(1)} minutes (${r.open.sent} requests)`,
    '',
    `All: p50 ${f1(r.open.all.p50)} ms, p95 ${f1(r.open.all.p95)} ms (${ratio(r.open.all.p95, fs1.p95)} the floor page's p95), ${r.open.errors} errors${r.open.errorSamples.length ? ` (e.g. ${r.open.errorSamples.join('; ')})` : ''}. App memory (RSS) ${f1(avg(appFirst))} MiB early in the run, ${f1(avg(appLast))} MiB at the end, peak ${f1(appPeak)} MiB.`,
    '',
    '| Request | n | p50 ms | p95 ms | errors |',
    '|---|---:|---:|---:|---:|',
    ...r.open.byKind.map((k) => `| ${k.kind} | ${k.n} | ${f1(k.p50)} | ${f1(k.p95)} | ${k.errors} |`),
    '',
    '### Targets (issue 16)',
    '',
    '| Target | Result | |',
    '|---|---|---|',
    `| One user: every page p95 ≤ 100 ms | worst ${worstPage.name} ${f1(worstPage.p95)} ms | ${met(worstPage.p95 <= 100, `${f1(worstPage.p95 - 100)} ms over`)} |`,
    `| One user: report pages p95 ≤ 500 ms | worst ${worstReport.name} ${f1(worstReport.p95)} ms | ${met(worstReport.p95 <= 500, `${f1(worstReport.p95 - 500)} ms over`)} |`,
    `| Open loop ${r.open.rate}/s: p95 ≤ 150 ms | ${f1(r.open.all.p95)} ms | ${met(r.open.all.p95 <= 150, `${f1(r.open.all.p95 - 150)} ms over`)} |`,
    `| Open loop: 0 errors | ${r.open.errors} | ${met(r.open.errors === 0, `${r.open.errors} errors`)} |`,
    `| Open loop: memory flat | ${f1(avg(appFirst))} → ${f1(avg(appLast))} MiB | ${met(avg(appLast) <= avg(appFirst) * 1.15 + 10, 'grew more than 15%')} |`,
    `| Closed loop ${connections} connections: ≥ 0.3× the page floor | ${ratio(r.closed.throughput, r.floorClosed.throughput)} | ${met(r.closed.throughput >= 0.3 * r.floorClosed.throughput, `${ratio(0.3 * r.floorClosed.throughput - r.closed.throughput, r.floorClosed.throughput)} of the floor short`)} |`,
    `| API writes ≥ 0.5× the insert floor | ${ratio(r.writes.throughput, r.floorWrites.throughput)} | ${met(r.writes.throughput >= 0.5 * r.floorWrites.throughput, `${ratio(0.5 * r.floorWrites.throughput - r.writes.throughput, r.floorWrites.throughput)} of the floor short`)} |`,
    `| Search p95 ≤ 50 ms under the mixed load | ${f1(search.p95)} ms | ${met(search.p95 <= 50, `${f1(search.p95 - 50)} ms over`)} |`,
    `| RSS ≤ 512 MiB per process (PostgreSQL) | peak ${f1(appPeak)} MiB | ${met(appPeak <= 512, `${f1(appPeak - 512)} MiB over`)} |`,
    r.embedded
      ? `| RSS ≤ 512 MiB (embedded default) | peak ${f1(r.embedded.rss)} MiB, ${r.embedded.note} | ${met(r.embedded.rss <= 512, `${f1(r.embedded.rss - 512)} MiB over`)} |`
      : '| RSS ≤ 512 MiB (embedded default) | not measured (--no-embedded) | |',
    ...r.returnsBuilds.map(
      (b) =>
        `| ${b.name} on ${years} years of data | ${b.seconds.toFixed(1)} s wall-clock, ${Number.isFinite(b.cpuSeconds) ? `${b.cpuSeconds.toFixed(1)} s CPU in its process, ` : ''}${Number.isFinite(b.peakMiB) ? `peak ${f1(b.peakMiB)} MiB` : ''} (${b.outcome}) | ${b.outcome.startsWith('exit') && !/errors/.test(b.outcome) ? '**failed**' : 'built'} |`,
    ),
    '',
    '<!-- /result -->',
  );
  const section = lines.join('\n');
  const existing = fs.existsSync(args.out!) ? fs.readFileSync(args.out!, 'utf8') : '# Benchmarks\n';
  const marker = `<!-- result:suite:${profile}:${years} -->`;
  const start = existing.indexOf(marker);
  const next =
    start >= 0
      ? existing.slice(0, start) +
        section +
        existing.slice(existing.indexOf('<!-- /result -->', start) + '<!-- /result -->'.length)
      : `${existing.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(args.out!, next);
  console.log(`Wrote ${path.relative(process.cwd(), args.out!)}`);
}

await main();
