import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './oidc-provider.ts';

/**
 * `npm start` as a newcomer runs it: a real process on the embedded database in a fresh data folder. Checks
 * first start (create, migrate, demo data, sign-in page), a second process refused on the same folder, a
 * clear message when the port is taken, refusal of production without PostgreSQL, and graceful shutdown
 * that releases the lock.
 */

const root = path.resolve(new URL('..', import.meta.url).pathname);
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const children: ChildProcess[] = [];
const dirs: string[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      DATABASE_URL: '',
      TEST_DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts on a fresh folder with demo data, refuses a second process and a taken port, and shuts down cleanly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-start-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'nested', 'data');
    const port = await freePort();
    const first = start({ THRESHOLD_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(() => first.output().includes('Threshold is running'), 150_000, 'the first start');
    expect(first.output()).toContain('Created synthetic demonstration data');
    // A first start is not silent while it builds the demo data: it says what it is doing.
    expect(first.output()).toContain(
      'Creating synthetic demonstration data: families, children and their records',
    );
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in to Threshold');
    // The lock names the server process (tsx runs it as its child).
    // The lock file holds `pid host`.
    const holder = Number(
      fs.readFileSync(path.join(dataDir, 'threshold.lock'), 'utf8').trim().split(/\s+/)[0],
    );
    expect(() => process.kill(holder, 0)).not.toThrow();

    // A second process on the same data folder refuses, naming the first.
    const second = start({ THRESHOLD_DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `Another Threshold process (pid ${holder}) is already using the data folder`,
    );

    // Another folder, same port: a clear message instead of a stack trace.
    const otherDir = path.join(dir, 'other');
    const third = start({ THRESHOLD_DATA_DIR: otherDir, PORT: String(port), THRESHOLD_DEMO_DATA: 'false' });
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`Port ${port} is already in use`);
    // …and it released its own lock on the way out.
    expect(fs.existsSync(path.join(otherDir, 'threshold.lock'))).toBe(false);

    // SIGTERM: requests finish, the database closes, the lock is released.
    // (tsx passes the signal on to the server and then reports it: 143 = terminated by SIGTERM.)
    first.child.kill('SIGTERM');
    expect([0, 143]).toContain(await first.exited);
    expect(first.output()).not.toMatch(/killed by timeout|Error/);
    // The launcher can exit a moment before the server process has finished closing and removed its lock. Closing
    // waits for a background job already running (the first start makes last month's performance reports), which
    // under a loaded CI machine took longer than 15 s.
    await waitFor(
      () => !fs.existsSync(path.join(dataDir, 'threshold.lock')),
      90_000,
      'the lock to be released',
    );

    // The next start reuses the data without seeding again.
    const again = start({ THRESHOLD_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(() => again.output().includes('Threshold is running'), 90_000, 'the restart');
    expect(again.output()).not.toContain('Created synthetic demonstration data');
    again.child.kill('SIGTERM');
    expect([0, 143]).toContain(await again.exited);
    await waitFor(
      () => !fs.existsSync(path.join(dataDir, 'threshold.lock')),
      15_000,
      'the lock to be released',
    );
  }, 330_000);

  it('refuses production without PostgreSQL, and a bad setting, naming the key', async () => {
    const prod = start({
      NODE_ENV: 'production',
      THRESHOLD_DATA_DIR: path.join(os.tmpdir(), 'never-created'),
    });
    expect(await prod.exited).toBe(1);
    expect(prod.output()).toContain('DATABASE_URL is required when NODE_ENV=production');
    const bad = start({ PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('PORT must be a number');
  }, 60_000);
});
