import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { anApiClient, localAuthorityId as richmondId } from './builders/organisation.ts';
import { pgliteTemplate, testDb } from './support/test-db.ts';

/**
 * Crash test (security issue 15): the real server process on its own database, partner systems sending contacts
 * to the JSON API from several connections at once, `kill -9` in the middle of the stream, a restart on the same
 * data. Every write the server acknowledged (201) must be there after the restart, whole (its children and its
 * audit event committed with it), the restarted server must take new writes, and `threshold audit verify` must
 * pass (it seals what the killed process left unsealed, then checks the chain).
 *
 * Each leg of CI crashes its own engine: without TEST_DATABASE_URL (the PGlite leg, and `npm test` on the
 * embedded database) a PGlite data folder on disk; with it (the PostgreSQL leg) a fresh PostgreSQL database copied
 * from the migrated template. The server is `node --import tsx src/main.ts` itself, not a launcher, so the signal
 * kills the process holding the database.
 */

const root = path.resolve(new URL('..', import.meta.url).pathname);
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const WORKERS = 6;
/** Stop once this many writes were acknowledged (or after STREAM_MS): enough to span several seals. */
const ACKNOWLEDGED_BEFORE_KILL = 40;
const STREAM_MS = 15_000;

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnTsx(script: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, TEST_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function startServer(env: Record<string, string>): Promise<Spawned & { baseUrl: string }> {
  const port = await freePort();
  const server = spawnTsx('src/main.ts', [], { ...env, PORT: String(port) });
  const until = Date.now() + 90_000;
  while (!server.output().includes('Threshold is running')) {
    if (server.child.exitCode !== null) throw new Error(`The server stopped:\n${server.output()}`);
    if (Date.now() > until) throw new Error(`The server did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...server, baseUrl: `http://127.0.0.1:${port}` };
}

interface Client {
  clientId: string;
  secret: string;
}

/** The database of this leg, with two partner API clients; returns how the server and the checks reach it. */
async function prepare(dir: string): Promise<{
  env: Record<string, string>;
  clients: Client[];
  localAuthorityId: string;
  reopen: () => Promise<DatabaseHandle>;
  dispose: () => Promise<void>;
}> {
  const dataDir = path.join(dir, 'data');
  let handle: DatabaseHandle;
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  let reopen: () => Promise<DatabaseHandle>;
  if (onPostgres) {
    const copy = await testDb();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${copy.name}`;
    handle = copy;
    env = { DATABASE_URL: url.href };
    reopen = async () => ({ ...copy, close: async () => undefined });
    dispose = () => copy.close();
  } else {
    handle = await openDatabase({ dataDir, loadDataDir: pgliteTemplate() });
    env = { DATABASE_URL: '' };
    reopen = () => openDatabase({ dataDir });
    dispose = async () => undefined;
  }
  const localAuthorityId = await richmondId(handle.db);
  const clients: Client[] = [];
  for (const kind of ['police', 'health'] as const)
    clients.push(await anApiClient(handle.db, new Date(), { name: `Crash test ${kind}`, agencyKind: kind }));
  if (!onPostgres) await handle.close(); // the server takes the folder's lock
  return {
    env: {
      ...env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      THRESHOLD_DATA_DIR: dataDir,
      THRESHOLD_DEMO_DATA: 'false',
      AUDIT_SEAL_SECONDS: '1',
    },
    clients,
    localAuthorityId,
    reopen,
    dispose,
  };
}

function postContact(baseUrl: string, client: Client, externalReference: string, localAuthorityId: string) {
  return fetch(`${baseUrl}/api/v1/contacts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${client.clientId}.${client.secret}`,
    },
    body: JSON.stringify({
      localAuthorityId,
      externalReference,
      referralSource: '6',
      referrer: { name: 'PC Crash Test' },
      concernCategories: ['domestic-abuse'],
      reason: 'Police attended a domestic incident. Two children were in the house.',
      consent: 'dispensed',
      consentRationale: 'Police notification',
      urgency: 'urgent',
      children: [
        { givenName: 'Kit', familyName: `Crashtest${externalReference.replace(/\D/g, '')}` },
        { givenName: 'Lou', familyName: `Crashtest${externalReference.replace(/\D/g, '')}` },
      ],
    }),
  });
}

describe(`kill -9 during concurrent writes (${onPostgres ? 'PostgreSQL' : 'PGlite data folder'})`, () => {
  it('loses no acknowledged write, leaves none half-done, restarts, and the audit chain verifies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-crash-'));
    dirs.push(dir);
    const leg = await prepare(dir);
    try {
      const server = await startServer(leg.env);

      // Several connections writing at once; a write counts only when the server answered 201.
      const acknowledged = new Map<string, string>(); // external reference → Threshold reference
      const byFirstClient: string[] = [];
      let sent = 0;
      let inFlight = 0;
      let inFlightAtKill = -1;
      let failedByKill = 0;
      let killed = false;
      const started = Date.now();
      const worker = async (w: number) => {
        const client = leg.clients[w % leg.clients.length]!;
        while (!killed) {
          const externalReference = `CRASH-${w}-${++sent}`;
          inFlight++;
          try {
            const res = await postContact(server.baseUrl, client, externalReference, leg.localAuthorityId);
            if (res.status === 201) {
              const { reference } = (await res.json()) as { reference: string };
              acknowledged.set(externalReference, reference);
              if (client === leg.clients[0]) byFirstClient.push(reference);
            } else if (!killed) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
          } catch (error) {
            if (!killed) throw error;
            failedByKill++;
          } finally {
            inFlight--;
          }
          if (acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL || Date.now() - started > STREAM_MS) {
            if (!killed) {
              inFlightAtKill = inFlight; // the others still waiting on the server
              killed = true;
              server.child.kill('SIGKILL');
            }
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(acknowledged.size).toBeGreaterThanOrEqual(10);
      expect(inFlightAtKill).toBeGreaterThan(0); // killed mid-stream, not between writes
      console.log(
        `crash test (${onPostgres ? 'PostgreSQL' : 'PGlite'}): ${acknowledged.size} acknowledged, ${sent} sent, ${inFlightAtKill} in flight at the kill, ${failedByKill} cut off, ${Date.now() - started} ms of writing`,
      );

      // Restart on the same data: it comes up (taking over the dead process's lock) and takes new writes.
      const again = await startServer(leg.env);
      const after = await postContact(again.baseUrl, leg.clients[0]!, 'CRASH-AFTER', leg.localAuthorityId);
      expect(after.status).toBe(201);
      const read = await fetch(`${again.baseUrl}/api/v1/contacts/${byFirstClient[0]}`, {
        headers: { authorization: `Bearer ${leg.clients[0]!.clientId}.${leg.clients[0]!.secret}` },
      });
      expect(read.status).toBe(200);
      again.child.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);

      // Every acknowledged write is there, whole: the contact, its two children and its audit event.
      const handle = await leg.reopen();
      try {
        const rows = await handle.db
          .selectFrom('contacts')
          .select(['id', 'reference', 'externalReference'])
          .where('externalReference', 'like', 'CRASH-%')
          .execute();
        const present = new Map(rows.map((r) => [r.externalReference!, r.reference]));
        const lost = [...acknowledged].filter(([ext, ref]) => present.get(ext) !== ref).map(([ext]) => ext);
        expect(lost).toEqual([]);
        expect(present.has('CRASH-AFTER')).toBe(true);
        const ids = rows.map((r) => r.id);
        const childCounts = await handle.db
          .selectFrom('contactChildren')
          .select(['contactId', (eb) => eb.fn.countAll<number>().as('n')])
          .where('contactId', 'in', ids)
          .groupBy('contactId')
          .execute();
        const audited = await handle.db
          .selectFrom('auditEvents')
          .select('subjectId')
          .where('action', '=', 'contact.created')
          .where('subjectId', 'in', ids)
          .execute();
        expect(childCounts.filter((c) => Number(c.n) === 2).length).toBe(rows.length);
        expect(new Set(audited.map((a) => a.subjectId)).size).toBe(rows.length);
      } finally {
        await handle.close();
      }

      // `threshold audit verify`: seals what the killed process left unsealed, then checks every row.
      const verify = spawnTsx('src/cli.ts', ['audit', 'verify'], leg.env);
      const { code } = await verify.exited;
      expect(verify.output()).toMatch(/The audit trail is intact: \d+ rows checked/);
      expect(code).toBe(0);
    } finally {
      await leg.dispose();
    }
  }, 180_000);
});
