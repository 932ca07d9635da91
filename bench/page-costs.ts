/**
 * What each measured page costs inside the app: Node CPU (process.cpuUsage), the number of SQL statements and the
 * time spent waiting for them, one user at a time, on a generated authority (`threshold generate authority`). The
 * app is built in this process (buildApp) and asked through Fastify's inject, so nothing else shares the figures;
 * the pages and users are the suite's (bench/run.ts). Issue 16's "page costs before and after" were taken with it.
 *
 *   DATABASE_URL=postgres://…/bench_b npx tsx bench/page-costs.ts [--samples 20] [--only <name part>] [--json out.json]
 *   add --cpu-prof to node (NODE_OPTIONS='--cpu-prof') to profile the same requests.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { DB } from '../src/db/schema.ts';
import { systemClock } from '../src/kernel/time/index.ts';
import { createSession, SESSION_COOKIE } from '../src/modules/identity/index.ts';
import '../src/db/database.ts';

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '20' },
    only: { type: 'string' },
    json: { type: 'string' },
    'show-queries': { type: 'boolean', default: false },
    /** Write each page's HTML (CSRF tokens and nonces blanked) to this folder, to compare two versions' output. */
    dump: { type: 'string' },
  },
});
const dbUrl = process.env.DATABASE_URL;
if (!dbUrl) throw new Error('Set DATABASE_URL to a generated authority');
const samples = Number(args.samples);

let queries = 0;
let queryMs = 0;
let shown: { ms: number; sql: string }[] | null = null;
const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  plugins: [new CamelCasePlugin()],
  log: (event) => {
    queries++;
    queryMs += event.queryDurationMillis;
    shown?.push({ ms: event.queryDurationMillis, sql: event.query.sql.replace(/\s+/g, ' ').slice(0, 160) });
  },
});
const one = async <T>(q: string, p: unknown[] = []) => (await pool.query(q, p)).rows[0] as T;

const sw = await one<{ email: string; id: string }>(`
  select u.email, u.id from users u join allocations a on a.worker_id = u.id
  where a.ended_on is null and a.involvement_type = 'cin-episode' and u.email like '%@generated.threshold.test'
  group by u.id order by count(*) desc, u.email limit 1`);
const swChild = await one<{ child: string; episode: string }>(
  `select a.child_id as child, a.involvement_id as episode from allocations a
   where a.worker_id = $1 and a.ended_on is null and a.involvement_type = 'cin-episode' order by a.child_id limit 1`,
  [sw.id],
);
const manager = await one<{ email: string }>(
  `select m.email from users u join teams t on t.id = u.team_id join users m on m.id = t.manager_user_id where u.id = $1`,
  [sw.id],
);
const mash = await one<{ email: string; la: string }>(
  `select u.email, u.local_authority_id as la from users u join user_roles r on r.user_id = u.id
   where r.role = 'mash-practitioner' and u.email like '%@generated.threshold.test' order by u.email limit 1`,
);
const contact = await one<{ id: string }>(
  `select id from contacts where local_authority_id = $1 order by received_at desc limit 1`,
  [mash.la],
);
const openContact = await one<{ id: string } | undefined>(
  `select id from contacts where local_authority_id = $1 and status <> 'completed' order by received_at desc limit 1`,
  [mash.la],
);
const analyst = 'performance.analyst@demo.threshold.test';
const serviceManager = 'service.manager@demo.threshold.test';

type PageCase = { name: string; email: string; url: string };
const pages: PageCase[] = [
  { name: 'Home (worktray), social worker', email: sw.email, url: '/' },
  { name: 'Home (worktray), team manager', email: manager.email, url: '/' },
  { name: 'Child’s record', email: sw.email, url: `/people/${swChild.child}` },
  { name: 'Social care episode', email: sw.email, url: `/social-care/episodes/${swChild.episode}` },
  {
    name: 'Allocate (team manager)',
    email: manager.email,
    url: `/social-care/episodes/${swChild.episode}/allocate`,
  },
  { name: 'Contact', email: mash.email, url: `/front-door/contacts/${contact.id}` },
  ...(openContact
    ? [{ name: 'Decision form', email: mash.email, url: `/front-door/contacts/${openContact.id}/decision` }]
    : []),
  { name: 'New contact form', email: mash.email, url: '/front-door/contacts/new' },
  { name: 'Front door list', email: mash.email, url: '/front-door' },
  { name: 'Account', email: sw.email, url: '/account' },
  { name: 'Report: front-door performance', email: analyst, url: '/front-door/performance' },
  { name: 'Report: early help impact', email: serviceManager, url: '/early-help/impact' },
].filter((p) => !args.only || p.name.toLowerCase().includes(args.only.toLowerCase()));

const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: dbUrl,
  SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
  LOG_LEVEL: 'silent',
  THRESHOLD_DEMO_DATA: 'false',
});
// Templates compiled once and cached, as in production (@fastify/view reads NODE_ENV; the rest of the configuration
// is a test one so that no production secrets are needed).
process.env.NODE_ENV = 'production';
const app = await buildApp({ config, db, clock: systemClock, logger: false });
await app.ready();

const cookies = new Map<string, string>();
async function cookieFor(email: string) {
  if (!cookies.has(email)) {
    const user = await one<{ id: string }>('select id from users where email = $1', [email]);
    const { token } = await createSession(db, { userId: user.id, stage: 'active' }, new Date(), config);
    cookies.set(email, `${SESSION_COOKIE}=${token}`);
  }
  return cookies.get(email)!;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average ${load}`);
const results = [];
for (const page of pages) {
  const cookie = await cookieFor(page.email);
  const get = () => app.inject({ method: 'GET', url: page.url, headers: { cookie } });
  const warm = await get();
  if (warm.statusCode !== 200) throw new Error(`${page.name}: ${warm.statusCode} ${warm.body.slice(0, 300)}`);
  if (args.dump) {
    fs.mkdirSync(args.dump, { recursive: true });
    const html = warm.body
      .replace(/(name="_csrf" value=")[^"]*/g, '$1')
      .replace(/nonce="[^"]*"/g, 'nonce=""')
      .replace(/data-csrf="[^"]*"/g, 'data-csrf=""');
    fs.writeFileSync(`${args.dump}/${page.name.replace(/[^a-z]+/gi, '-')}.html`, html);
  }
  const cpu: number[] = [];
  const wall: number[] = [];
  let q = 0;
  let qMs = 0;
  for (let i = 0; i < samples; i++) {
    const q0 = queries;
    const qm0 = queryMs;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await get();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    q += queries - q0;
    qMs += queryMs - qm0;
    if (res.statusCode !== 200) throw new Error(`${page.name}: ${res.statusCode}`);
  }
  const r = {
    name: page.name,
    cpuP50: pct(cpu, 50),
    cpuP95: pct(cpu, 95),
    wallP50: pct(wall, 50),
    queries: q / samples,
    queryMs: qMs / samples,
    kib: warm.body.length / 1024,
  };
  results.push(r);
  if (args['show-queries']) {
    shown = [];
    await get();
    for (const x of shown.sort((a, b) => b.ms - a.ms)) console.log(`  ${x.ms.toFixed(1)} ms  ${x.sql}`);
    shown = null;
  }
  console.log(
    `${r.name}: Node CPU p50 ${r.cpuP50.toFixed(1)} ms p95 ${r.cpuP95.toFixed(1)} ms, ${r.queries.toFixed(1)} queries ` +
      `(${r.queryMs.toFixed(1)} ms waiting), wall p50 ${r.wallP50.toFixed(1)} ms, ${r.kib.toFixed(0)} KiB`,
  );
}
console.log(
  `load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${os.cpus().length} CPUs`,
);
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ load, results }, null, 2));
await app.close();
await db.destroy();
