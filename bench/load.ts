/**
 * The load test (`npm run bench:load`, not CI): 50 signed-in users at once, for 10 minutes, on the mixed workload.
 *
 *   npm run bench:load                                  # small authority, 50 users, 10 minutes
 *   npm run bench:load -- --minutes 3 --users 20        # shorter, fewer
 *   npm run bench:load -- --profile large --years 1     # on the large authority (generated earlier by the suite)
 *   npm run bench:load -- --think-ms 0                  # no pause between a user's requests (a stress test)
 *
 * 1. Uses (or generates) the same database as `npm run bench` (`threshold_bench_<profile>_<years>y` on
 *    BENCH_DATABASE_URL's server) and starts Threshold as production does (its own process and pool).
 * 2. Signs in the users: social workers (the generated workers with the most children), their team managers, MASH
 *    practitioners, early help practitioners, performance analysts and a service manager, and partner systems on the
 *    API. Each user, on their own, repeats what their role does (worktray, child records, chronology, case notes, a
 *    case note written, search, contacts, decision forms, the front door list, early help episodes and plans,
 *    contacts sent on the API, reports), pausing a think time between requests (uniform 0.5–1.5 × `--think-ms`,
 *    default 2000: a person reading the page), until the time is up.
 * 3. Counts as an error any response other than 2xx and 3xx, a redirect to the sign-in page (a lost session) and any
 *    request that fails; records each request's latency (p50, p95, p99 by kind), and samples the app's memory (RSS)
 *    and the load average every `--sample-seconds` (default 5). Memory is flat when the last minute's average RSS is
 *    within 15% (+10 MiB) of the first minute's.
 * 4. Writes its own section of bench/RESULTS.md (other sections kept): machine, load average, data size, figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  apiBody,
  benchDatabase,
  createBenchApiClients,
  ensureAuthority,
  f1,
  pct,
  root,
  rssMiB,
  Session,
  startProductionApp,
  stopProcess,
} from './support.ts';

const { values: args } = parseArgs({
  options: {
    profile: { type: 'string', default: 'small' },
    years: { type: 'string' },
    seed: { type: 'string', default: '1' },
    minutes: { type: 'string', default: '10' },
    users: { type: 'string', default: '50' },
    'think-ms': { type: 'string', default: '2000' },
    'sample-seconds': { type: 'string', default: '5' },
    regenerate: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'RESULTS.md') },
  },
});
const profile = args.profile === 'large' ? 'large' : 'small';
const years = Number(args.years ?? (profile === 'large' ? 5 : 2));
const seed = Number(args.seed);
const seconds = Math.round(Number(args.minutes) * 60);
const userCount = Number(args.users);
const thinkMs = Number(args['think-ms']);
const sampleSeconds = Number(args['sample-seconds']);
const authority = { ...benchDatabase(profile, years), profile, years, seed, regenerate: args.regenerate! };
const { password, dbName, dbUrl } = authority;
if (!(seconds > 0) || !(userCount > 0) || !(thinkMs >= 0) || !(sampleSeconds > 0))
  throw new Error('--minutes, --users and --sample-seconds must be above 0, --think-ms 0 or more');

const pickOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const q = encodeURIComponent;

/** What a request came back as: its status, and where a redirect went. */
interface Outcome {
  status: number;
  location?: string | null;
}
/** One thing a user does: a kind (for the figures), a weight among their role's actions, and the request(s). */
type Action = [kind: string, weight: number, run: () => Promise<Outcome>];
interface SimulatedUser {
  role: string;
  actions: Action[];
}

interface Samples {
  at: number[];
  rss: number[];
  load: number[];
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  const generation = await ensureAuthority(authority);

  // --- The data: its size, and who does what to which records.
  const db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const rows = async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
  const sizeRow = (await rows<{ b: string }>('select pg_database_size(current_database())::bigint as b'))[0]!;
  const dataSize = `${(Number(sizeRow.b) / 1024 ** 3).toFixed(2)} GiB`;
  const counts: Record<string, number> = {};
  for (const t of ['people', 'contacts', 'cin_episodes', 'early_help_episodes', 'case_notes', 'audit_events'])
    counts[t] = Number((await rows<{ n: string }>(`select count(*) as n from ${t}`))[0]!.n);

  const socialWorkers = await rows<{ email: string; id: string }>(`
    select u.email, u.id from users u join allocations a on a.worker_id = u.id
    where a.ended_on is null and a.involvement_type = 'cin-episode' and u.email like '%@generated.threshold.test'
    group by u.id order by count(*) desc limit 20`);
  const casesOf = new Map<string, { child: string; episode: string }[]>();
  for (const w of socialWorkers)
    casesOf.set(
      w.email,
      await rows(
        `select a.child_id as child, a.involvement_id as episode from allocations a
         where a.worker_id = $1 and a.ended_on is null and a.involvement_type = 'cin-episode'`,
        [w.id],
      ),
    );
  const managers = await rows<{ email: string; child: string; episode: string }>(
    `select distinct on (m.email) m.email, a.child_id as child, a.involvement_id as episode
     from users u join teams t on t.id = u.team_id join users m on m.id = t.manager_user_id
     join allocations a on a.worker_id = u.id and a.ended_on is null and a.involvement_type = 'cin-episode'
     where u.id = any($1) order by m.email`,
    [socialWorkers.map((w) => w.id)],
  );
  const mash = await rows<{ email: string; la: string }>(
    `select u.email, u.local_authority_id as la from users u join user_roles r on r.user_id = u.id
     where r.role = 'mash-practitioner' and u.email like '%@generated.threshold.test' order by u.email limit 8`,
  );
  const contactsOf = new Map<string, string[]>();
  const openContactsOf = new Map<string, string[]>();
  for (const la of new Set(mash.map((m) => m.la))) {
    contactsOf.set(
      la,
      (
        await rows<{ id: string }>(
          'select id from contacts where local_authority_id = $1 order by received_at desc limit 200',
          [la],
        )
      ).map((r) => r.id),
    );
    openContactsOf.set(
      la,
      (
        await rows<{ id: string }>(
          `select id from contacts where local_authority_id = $1 and status <> 'completed'
           order by received_at desc limit 50`,
          [la],
        )
      ).map((r) => r.id),
    );
  }
  const earlyHelp = await rows<{ email: string; episodes: string[] }>(`
    select u.email, array_agg(e.id) as episodes from early_help_episodes e
    join users u on u.id = e.lead_practitioner_id
    where e.status = 'open' and u.email like '%@generated.threshold.test'
    group by u.email order by count(*) desc limit 6`);
  const searchNames = (
    await rows<{ name: string }>(
      `select given_name || ' ' || family_name as name from people where kind = 'child' order by la_child_id limit 200`,
    )
  ).map((r) => r.name);
  const la = (await rows<{ id: string }>(`select id from local_authorities where la_code = '318'`))[0]!;
  await db.end();
  if (!socialWorkers.length || !mash.length || !earlyHelp.length || !managers.length)
    throw new Error(`${dbName} has no generated workforce with work: generate the authority first`);

  // --- The users, by role, in these shares of --users (50: 18 social workers, 5 team managers, 8 MASH practitioners,
  // 6 early help practitioners, 8 partner systems on the API, 3 performance analysts, 2 service managers).
  const shares: [string, number][] = [
    ['social worker', 18],
    ['team manager', 5],
    ['MASH practitioner', 8],
    ['early help practitioner', 6],
    ['partner system (API)', 8],
    ['performance analyst', 3],
    ['service manager', 2],
  ];
  const totalShare = shares.reduce((s, [, n]) => s + n, 0);
  const plan: string[] = [];
  for (const [role, n] of shares)
    for (let i = 0; i < Math.max(1, Math.round((n * userCount) / totalShare)); i++) plan.push(role);
  while (plan.length > userCount) plan.splice(plan.lastIndexOf('social worker'), 1);
  while (plan.length < userCount) plan.push('social worker');
  const apiCredentials = await createBenchApiClients(
    dbUrl,
    plan.filter((r) => r === 'partner system (API)').length,
  );

  const app = await startProductionApp(dbUrl);
  const appPid = app.child.pid!;
  try {
    // Sign-in allows 30 attempts a minute from one address: past that, wait and try again.
    const signIn = async (email: string): Promise<Session> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await new Session(app.base, email).signIn(email, password);
        } catch (error) {
          if (attempt >= 12 || !/\(429\)/.test((error as Error).message)) throw error;
          await sleep(10_000);
        }
      }
    };
    const get =
      (s: Session) =>
      async (url: string): Promise<Outcome> =>
        s.get(url);
    let counter = 0;
    const users: SimulatedUser[] = [];
    const indexOf = new Map<string, number>();
    for (const role of plan) {
      const i = indexOf.get(role) ?? 0;
      indexOf.set(role, i + 1);
      if (role === 'partner system (API)') {
        const credential = apiCredentials[i]!;
        users.push({
          role,
          actions: [
            [
              'API: send a contact',
              1,
              async () => {
                const res = await fetch(`${app.base}/api/v1/contacts`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', authorization: credential },
                  body: JSON.stringify(apiBody(la.id, ++counter)),
                });
                await res.text();
                return { status: res.status };
              },
            ],
          ],
        });
        continue;
      }
      if (role === 'social worker') {
        const w = socialWorkers[i % socialWorkers.length]!;
        const s = await signIn(w.email);
        const g = get(s);
        const cases = casesOf.get(w.email)!;
        users.push({
          role,
          actions: [
            ['worktray', 4, () => g('/')],
            ['child’s record', 4, () => g(`/people/${pickOf(cases).child}`)],
            ['chronology', 3, () => g(`/people/${pickOf(cases).child}/chronology`)],
            ['case notes', 2, () => g(`/people/${pickOf(cases).child}/case-notes`)],
            ['social care episode', 3, () => g(`/social-care/episodes/${pickOf(cases).episode}`)],
            ['search', 2, () => g(`/people?name=${q(pickOf(searchNames))}`)],
            [
              'write: case note (form, then save)',
              1,
              async () => {
                const url = `/people/${pickOf(cases).child}/case-notes/new`;
                const today = new Date();
                const r = await s.post(url, {
                  noteType: 'phone-call',
                  'occurredOn-day': String(today.getDate()),
                  'occurredOn-month': String(today.getMonth() + 1),
                  'occurredOn-year': String(today.getFullYear()),
                  title: 'Phone call with mum (load test)',
                  body: 'Mum said the week has been calmer. Agreed to visit on Thursday.',
                });
                return r;
              },
            ],
          ],
        });
      } else if (role === 'team manager') {
        const m = managers[i % managers.length]!;
        const g = get(await signIn(m.email));
        users.push({
          role,
          actions: [
            ['worktray', 4, () => g('/')],
            ['child’s record', 2, () => g(`/people/${m.child}`)],
            ['social care episode', 2, () => g(`/social-care/episodes/${m.episode}`)],
            ['allocate form', 1, () => g(`/social-care/episodes/${m.episode}/allocate`)],
            ['who saw this record', 1, () => g(`/people/${m.child}/access-log`)],
          ],
        });
      } else if (role === 'MASH practitioner') {
        const m = mash[i % mash.length]!;
        const g = get(await signIn(m.email));
        const contacts = contactsOf.get(m.la)!;
        const open = openContactsOf.get(m.la)!;
        users.push({
          role,
          actions: [
            ['front door list', 3, () => g('/front-door')],
            ['contact', 4, () => g(`/front-door/contacts/${pickOf(contacts)}`)],
            ...(open.length
              ? ([['decision form', 2, () => g(`/front-door/contacts/${pickOf(open)}/decision`)]] as Action[])
              : []),
            ['search', 4, () => g(`/people?name=${q(pickOf(searchNames))}`)],
            ['worktray', 2, () => g('/')],
            ['new contact form', 1, () => g('/front-door/contacts/new')],
          ],
        });
      } else if (role === 'early help practitioner') {
        const e = earlyHelp[i % earlyHelp.length]!;
        const g = get(await signIn(e.email));
        users.push({
          role,
          actions: [
            ['worktray', 3, () => g('/')],
            ['early help list', 2, () => g('/early-help')],
            ['early help episode', 4, () => g(`/early-help/episodes/${pickOf(e.episodes)}`)],
            ['early help plan', 2, () => g(`/early-help/episodes/${pickOf(e.episodes)}/plan`)],
          ],
        });
      } else if (role === 'performance analyst') {
        const g = get(await signIn('performance.analyst@demo.threshold.test'));
        users.push({
          role,
          actions: [
            ['report: front-door performance', 2, () => g('/front-door/performance')],
            ['report: contacts', 1, () => g('/front-door/performance/contacts')],
          ],
        });
      } else {
        const g = get(await signIn('service.manager@demo.threshold.test'));
        users.push({
          role,
          actions: [
            ['report: early help impact', 2, () => g('/early-help/impact')],
            ['worktray', 1, () => g('/')],
          ],
        });
      }
    }
    console.log(`${users.length} users signed in; running for ${(seconds / 60).toFixed(1)} minutes …`);

    // --- The run.
    const times = new Map<string, number[]>();
    const errorsOf = new Map<string, number>();
    const errorSamples: string[] = [];
    const samples: Samples = { at: [], rss: [], load: [] };
    const t0 = performance.now();
    const sample = () => {
      samples.at.push((performance.now() - t0) / 1000);
      samples.rss.push(rssMiB(appPid));
      samples.load.push(os.loadavg()[0]!);
    };
    sample();
    const sampler = setInterval(sample, sampleSeconds * 1000);
    const end = Date.now() + seconds * 1000;
    const progress = setInterval(() => {
      const n = [...times.values()].reduce((s, l) => s + l.length, 0);
      const e = [...errorsOf.values()].reduce((s, x) => s + x, 0);
      console.log(
        `${Math.round((performance.now() - t0) / 1000)} s: ${n} requests, ${e} errors, RSS ${f1(samples.rss.at(-1)!)} MiB, load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }, 60_000);
    const record = (kind: string, ms: number, problem: string | null) => {
      const list = times.get(kind) ?? [];
      list.push(ms);
      times.set(kind, list);
      if (problem) {
        errorsOf.set(kind, (errorsOf.get(kind) ?? 0) + 1);
        if (errorSamples.length < 10) errorSamples.push(`${kind}: ${problem}`);
      }
    };
    await Promise.all(
      users.map(async (user, n) => {
        // Users start spread over the first think time, not all at once.
        await sleep((n / users.length) * thinkMs);
        const weights = user.actions.reduce((s, [, w]) => s + w, 0);
        while (Date.now() < end) {
          let r = Math.random() * weights;
          const [kind, , run] = user.actions.find(([, w]) => (r -= w) < 0) ?? user.actions[0]!;
          const t = performance.now();
          let problem: string | null = null;
          try {
            const outcome = await run();
            if (outcome.status >= 400 || outcome.status < 200) problem = `HTTP ${outcome.status}`;
            else if (outcome.location?.startsWith('/sign-in')) problem = 'sent to sign in (session lost)';
          } catch (error) {
            problem = (error as Error).message;
          }
          record(kind, performance.now() - t, problem);
          if (thinkMs > 0) await sleep(thinkMs * (0.5 + Math.random()));
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    clearInterval(progress);
    sample();

    const all = [...times.values()].flat();
    const errors = [...errorsOf.values()].reduce((s, n) => s + n, 0);
    const byKind = [...times.keys()].sort().map((kind) => ({
      kind,
      n: times.get(kind)!.length,
      p50: pct(times.get(kind)!, 50),
      p95: pct(times.get(kind)!, 95),
      p99: pct(times.get(kind)!, 99),
      errors: errorsOf.get(kind) ?? 0,
    }));
    write({
      started,
      loadBefore,
      loadAfter: os.loadavg(),
      generation,
      dataSize,
      counts,
      users: shares
        .map(([role]) => [role, users.filter((u) => u.role === role).length] as const)
        .filter(([, n]) => n > 0),
      elapsed,
      requests: all.length,
      errors,
      errorSamples,
      all: { p50: pct(all, 50), p95: pct(all, 95), p99: pct(all, 99) },
      byKind,
      samples,
    });
    console.log(`${all.length} requests, ${errors} errors, p95 ${f1(pct(all, 95))} ms`);
  } finally {
    await stopProcess(app.child);
  }
}

function write(r: {
  started: Date;
  loadBefore: number[];
  loadAfter: number[];
  generation: string;
  dataSize: string;
  counts: Record<string, number>;
  users: (readonly [string, number])[];
  elapsed: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  all: { p50: number; p95: number; p99: number };
  byKind: { kind: string; n: number; p50: number; p95: number; p99: number; errors: number }[];
  samples: Samples;
}): void {
  const cpu = os.cpus();
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const within = (from: number, to: number) =>
    r.samples.rss.filter((_, i) => r.samples.at[i]! >= from && r.samples.at[i]! < to);
  const firstMinute = avg(within(0, 60));
  const lastMinute = avg(within(r.elapsed - 60, r.elapsed + 1));
  const peak = Math.max(...r.samples.rss);
  const flat = lastMinute <= firstMinute * 1.15 + 10;
  const loads = r.samples.load;
  const minute = (m: number) => avg(within(m * 60, (m + 1) * 60));
  const minutes = Math.ceil(r.elapsed / 60);
  const lines = [
    `<!-- result:load:${profile}:${years} -->`,
    `## Load test: ${r.users.reduce((s, [, n]) => s + n, 0)} users at once for ${(r.elapsed / 60).toFixed(1)} minutes, a ${profile} authority (${years} years)`,
    '',
    `Run ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:load${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` on ${cpu.length} CPUs × ${cpu[0]?.model ?? 'unknown'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}; Threshold as in production (\`NODE_ENV=production\`, its own process) on PostgreSQL on the same machine; the load generator in a third process.`,
    `The machine is shared with other engineers' test runs: 1-minute load average ${r.loadBefore[0]!.toFixed(2)} (5-minute ${r.loadBefore[1]!.toFixed(2)}) at the start, ${f1(avg(loads))} on average during the run (lowest ${f1(Math.min(...loads))}, highest ${f1(Math.max(...loads))}) and ${r.loadAfter[0]!.toFixed(2)} (5-minute ${r.loadAfter[1]!.toFixed(2)}) at the end, on ${cpu.length} CPUs. Latencies are wall-clock and include that contention.`,
    `${r.generation} Data size ${r.dataSize}; rows at the start: ${Object.entries(r.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
      .join(', ')}.`,
    '',
    `Users: ${r.users.map(([role, n]) => `${n} ${role}${n > 1 && !role.endsWith(')') ? 's' : ''}`).join(', ')}, each signed in with their own session (partner systems with their own API client) and repeating what their role does, with a think time of ${thinkMs} ms on average between requests (uniform 0.5–1.5×). An error is any response but 2xx and 3xx, a redirect to sign-in, or a failed request.`,
    '',
    `**${r.requests.toLocaleString('en-GB')} requests (${f1(r.requests / r.elapsed)} a second), ${r.errors} errors${r.errorSamples.length ? ` (e.g. ${r.errorSamples.join('; ')})` : ''}; p50 ${f1(r.all.p50)} ms, p95 ${f1(r.all.p95)} ms, p99 ${f1(r.all.p99)} ms.**`,
    `App memory (RSS, sampled every ${sampleSeconds} s): first minute ${f1(firstMinute)} MiB on average, last minute ${f1(lastMinute)} MiB, peak ${f1(peak)} MiB: ${flat ? '**flat**' : '**grew** (more than 15% + 10 MiB)'}. By minute: ${Array.from({ length: minutes }, (_, m) => f1(minute(m))).join(', ')} MiB.`,
    '',
    '| Request | n | p50 ms | p95 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.byKind.map(
      (k) => `| ${k.kind} | ${k.n} | ${f1(k.p50)} | ${f1(k.p95)} | ${f1(k.p99)} | ${k.errors} |`,
    ),
    '',
    '| Target (issue 15) | Result | |',
    '|---|---|---|',
    `| 0 errors | ${r.errors} | ${r.errors === 0 ? '**met**' : '**missed**'} |`,
    `| Memory flat (last minute within 15% + 10 MiB of the first) | ${f1(firstMinute)} → ${f1(lastMinute)} MiB | ${flat ? '**met**' : '**missed**'} |`,
    '',
    '<!-- /result -->',
  ];
  const section = lines.join('\n');
  const existing = fs.existsSync(args.out!) ? fs.readFileSync(args.out!, 'utf8') : '# Benchmarks\n';
  const marker = lines[0]!;
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
