/**
 * What the benchmark scripts share (`run.ts`, the suite; `load.ts`, the load test): the generated authority's
 * database, starting and stopping Threshold, its memory and CPU from /proc, a signed-in browser session, statistics,
 * and partner-system API clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// ---------------------------------------------------------------------------------------------------------------
// Processes: CPU and memory from /proc (Linux).

const TICK_MS = 1000 / 100;
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startProcess(
  label: string,
  argv: string[],
  env: Record<string, string>,
  ready: string,
  options: { onSpawn?: (child: ChildProcess) => void; timeoutMs?: number } = {},
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // An empty value removes the variable (the embedded run must not inherit DATABASE_URL).
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [k, v] of Object.entries(env)) if (v === '') delete merged[k];
  const child = spawn(process.execPath, ['--import', 'tsx', ...argv], {
    cwd: root,
    env: merged,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  options.onSpawn?.(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${base}${ready}`);
      await res.arrayBuffer();
      if (res.status < 500) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Threshold as production runs it (its own process and pool) on `dbUrl`, with no demo data and no reminder sweep. */
export function startProductionApp(dbUrl: string) {
  return startProcess(
    'Threshold',
    ['src/main.ts'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl,
      SESSION_SECRET: randomBytes(24).toString('hex'),
      // Production refuses to start without the key that seals the audit trail (any key will do for a benchmark).
      AUDIT_CHAIN_KEY: process.env.AUDIT_CHAIN_KEY ?? randomBytes(24).toString('hex'),
      THRESHOLD_DEMO_DATA: 'false',
      REMINDER_SWEEP_MINUTES: '0',
    },
    '/sign-in',
  );
}

/** The floor (bench/floor/floor-server.ts): a bare GOV.UK page around one indexed select, and a bare INSERT. */
export function startFloor(dbUrl: string) {
  return startProcess(
    'Floor',
    ['bench/floor/floor-server.ts'],
    { DATABASE_URL: dbUrl },
    '/floor/people/00000000-0000-0000-0000-000000000000',
  );
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: a session per user (cookies), CSRF token from the form.

export class Session {
  private cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly label: string,
  ) {}
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
    }
  }
  async get(url: string): Promise<{ status: number; body: string; location: string | null }> {
    const res = await fetch(this.base + url, { headers: { cookie: this.header() }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }
  /** Opens the form at `formUrl` (for its CSRF token) and posts `fields` to `url` (default the same address). */
  async post(
    formUrl: string,
    fields: Record<string, string>,
    url = formUrl,
  ): Promise<{ status: number; body: string; location: string | null }> {
    const form = await this.get(formUrl);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const res = await fetch(this.base + url, {
      method: 'POST',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }
  async signIn(email: string, password: string): Promise<this> {
    const form = await this.get('/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const res = await fetch(`${this.base}/sign-in`, {
      method: 'POST',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    await res.arrayBuffer();
    if (res.status !== 302 && res.status !== 303)
      throw new Error(`Signing in as ${email} failed (${res.status})`);
    const home = await this.get('/');
    if (home.status !== 200) throw new Error(`Signed in as ${email} but the home page gave ${home.status}`);
    return this;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

export const pct = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
export const ratio = (n: number, floor: number) =>
  Number.isFinite(n) && floor > 0 ? `${(n / floor).toFixed(1)}×` : '–';

// ---------------------------------------------------------------------------------------------------------------
// The generated authority and partner-system API clients.

/**
 * Where a bench's generated authority lives: the demo accounts' password, the server (BENCH_DATABASE_URL, as its
 * admin database) and on it the database named by the profile and years, so each run reuses the one it generated.
 */
export function benchDatabase(profile: string, years: number) {
  const password = process.env.THRESHOLD_DEMO_PASSWORD ?? 'Threshold-demo-2026';
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `threshold_bench_${profile}_${String(years).replace('.', '_')}y`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  return { password, adminUrl, dbName, dbUrl: dbUrl.href };
}

/**
 * The database `dbName` on `adminUrl`'s server, holding a generated authority of this profile, years and seed:
 * reused when it was generated before with the same ones, generated otherwise (`regenerate` drops it first).
 * Returns a sentence saying which, for RESULTS.md.
 */
export async function ensureAuthority(o: {
  adminUrl: string;
  dbName: string;
  dbUrl: string;
  profile: string;
  years: number;
  seed: number;
  regenerate: boolean;
  password: string;
}): Promise<string> {
  const { adminUrl, dbName, dbUrl, profile, years, seed, password } = o;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (o.regenerate) await admin.query(`drop database if exists ${dbName} with (force)`);
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount! > 0;
  if (!exists) await admin.query(`create database ${dbName}`);
  await admin.end();

  const db = new pg.Pool({ connectionString: dbUrl, max: 1 });
  const generated = await db
    .query("select details from audit_events where action = 'authority.generated' order by seq desc limit 1")
    .then((r) => r.rows[0]?.details as Record<string, unknown> | undefined)
    .catch(() => undefined);
  let generation: string;
  if (
    generated &&
    generated.profile === profile &&
    Number(generated.years) === years &&
    Number(generated.seed) === seed
  ) {
    generation = `Reused the authority generated earlier in ${dbName} (profile ${profile}, ${years} years, seed ${seed}).`;
  } else {
    if (generated) throw new Error(`${dbName} holds another authority: use --regenerate`);
    console.log(`Generating a ${profile} authority (${years} years, seed ${seed}) in ${dbName} …`);
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli.ts',
          'generate',
          'authority',
          '--profile',
          profile,
          '--years',
          String(years),
          '--seed',
          String(seed),
        ],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: dbUrl, THRESHOLD_DEMO_PASSWORD: password },
          stdio: 'inherit',
        },
      );
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generation failed (${code})`))));
    });
    generation = `Generated the authority for this run in ${((Date.now() - t0) / 60_000).toFixed(1)} minutes (\`threshold generate authority --profile ${profile} --years ${years} --seed ${seed}\`, including ANALYZE).`;
  }
  await db.end();
  return generation;
}

export function apiBody(localAuthorityId: string, n: number) {
  return {
    localAuthorityId,
    referralSource: '5A',
    referrer: { name: 'PC Bench' },
    concernCategories: ['domestic-abuse'],
    reason: 'Police attended a domestic incident; two children were in the house (benchmark).',
    consent: 'dispensed',
    consentRationale: 'Police notification',
    urgency: 'urgent',
    externalReference: `BENCH-${Date.now()}-${n}-${Math.random().toString(36).slice(2, 8)}`,
    children: [{ givenName: 'Bench', familyName: `Child${n % 1000}`, dateOfBirth: '2018-05-01' }],
  };
}

/**
 * API clients for the partner-system writes, made through the service as an administrator would. The API allows each
 * client 120 requests a minute from one address, so the writes are spread over many clients (partner systems).
 */
export async function createBenchApiClients(dbUrl: string, count: number): Promise<string[]> {
  const { openDatabase } = await import('../src/db/database.ts');
  const { createApiClient } = await import('../src/modules/front-door/index.ts');
  const { englandAndWalesCalendar: calendar } = await import('../src/kernel/working-days/index.ts');
  const { loadCurrentUser } = await import('../src/modules/identity/index.ts');
  const handle = await openDatabase({ url: dbUrl, poolSize: 2 });
  try {
    return await handle.db.transaction().execute(async (trx) => {
      const adminRow = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin@demo.threshold.test')
        .executeTakeFirstOrThrow();
      const user = (await loadCurrentUser(trx, adminRow.id, null))!;
      const agency = await trx
        .selectFrom('agencies')
        .select('id')
        .where('kind', '=', 'police')
        .orderBy('name')
        .executeTakeFirstOrThrow();
      const las = await trx.selectFrom('localAuthorities').select('id').execute();
      const clients: string[] = [];
      for (let i = 0; i < count; i++) {
        const client = await createApiClient(
          { db: trx, user, now: new Date(), calendar },
          {
            name: `Bench client ${Date.now()}-${i}`,
            agencyId: agency.id,
            localAuthorityIds: las.map((l) => l.id),
          },
        );
        clients.push(`Bearer ${client.clientId}.${client.secret}`);
      }
      return clients;
    });
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The embedded default (PGlite): memory after its first start and the suite's pages.

/**
 * The resident size of a process's WebAssembly memories. In a Threshold on PGlite that is PostgreSQL's whole heap
 * (shared buffers, catalogue caches, work memory). V8 reserves each 32-bit WebAssembly memory with gigabytes of
 * inaccessible guard pages after it, so it is found as a readable-writable mapping followed directly by a
 * no-access one of more than 4 GiB. Linux only (/proc/<pid>/smaps).
 */
export function wasmMemoryRssMiB(pid: number): number {
  try {
    const maps: { start: number; end: number; perm: string; size: number; rss: number }[] = [];
    for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
      if (header)
        maps.push({
          start: Number.parseInt(header[1]!, 16),
          end: Number.parseInt(header[2]!, 16),
          perm: header[3]!,
          size: 0,
          rss: 0,
        });
      else if (line.startsWith('Size:')) maps.at(-1)!.size = Number(/(\d+)/.exec(line)![1]);
      else if (line.startsWith('Rss:')) maps.at(-1)!.rss = Number(/(\d+)/.exec(line)![1]);
    }
    let kib = 0;
    maps.forEach((m, i) => {
      const next = maps[i + 1];
      if (
        m.perm.startsWith('rw') &&
        next &&
        next.start === m.end &&
        next.perm === '---p' &&
        next.size > 4 << 20
      )
        kib += m.rss;
    });
    return kib / 1024;
  } catch {
    return 0;
  }
}

export interface EmbeddedRun {
  label: string;
  startMs: number;
  /** The highest RSS while starting (migrations and the demo data on a first start). */
  startPeakRss: number;
  startedRss: number;
  afterRss: number;
  /** The highest RSS from the sign-in to the last page (what the suite's target is measured on). */
  peakRss: number;
  wasmRss: number;
}

/**
 * Threshold on the embedded database, as `npm start` runs it (no DATABASE_URL; a fresh data folder, so the first
 * start migrates and creates the demo data), signed in as the demo social worker, each of the suite's embedded pages
 * opened ten times, the RSS sampled every 200 ms from the start. With `restart`, the same folder is started a second
 * time (a later `npm start`) and measured the same way. The figure for the target is the highest RSS from sign-in to
 * the last page over the runs (as the suite has always measured it); the peak while starting is kept beside it.
 */
export async function measureEmbedded(
  options: { env?: Record<string, string>; restart?: boolean } = {},
): Promise<{ rss: number; note: string; runs: EmbeddedRun[] }> {
  const os = await import('node:os');
  const password = process.env.THRESHOLD_DEMO_PASSWORD ?? 'Threshold-demo-2026';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-bench-embedded-'));
  const runs: EmbeddedRun[] = [];
  try {
    for (const label of options.restart ? ['first start', 'second start'] : ['first start']) {
      let pid = 0;
      let peak = 0;
      const sampler = setInterval(() => {
        if (pid) peak = Math.max(peak, rssMiB(pid));
      }, 200);
      const t0 = Date.now();
      const startup = startProcess(
        'Threshold (embedded)',
        ['src/main.ts'],
        { ...options.env, THRESHOLD_DATA_DIR: dataDir, DATABASE_URL: '', THRESHOLD_DEMO_PASSWORD: password },
        '/sign-in',
        // A first start migrates and creates the demo data: minutes on a busy machine.
        { onSpawn: (child) => (pid = child.pid!), timeoutMs: 900_000 },
      );
      const app = await startup;
      const startMs = Date.now() - t0;
      const startedRss = rssMiB(pid);
      const startPeakRss = Math.max(peak, startedRss);
      peak = startedRss;
      try {
        const s = await new Session(app.base, 'social worker').signIn(
          'social.worker@demo.threshold.test',
          password,
        );
        for (const url of ['/', '/social-care', '/front-door', '/people?name=Marsh', '/early-help']) {
          for (let i = 0; i < 10; i++) await s.get(url);
          peak = Math.max(peak, rssMiB(pid));
        }
        const afterRss = rssMiB(pid);
        runs.push({
          label,
          startMs,
          startPeakRss,
          startedRss,
          afterRss,
          peakRss: Math.max(peak, afterRss),
          wasmRss: wasmMemoryRssMiB(pid),
        });
      } finally {
        clearInterval(sampler);
        await stopProcess(app.child);
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    rss: Math.max(...runs.map((r) => r.peakRss)),
    note: 'demo data (the embedded database is for demonstration, not a large authority)',
    runs,
  };
}
