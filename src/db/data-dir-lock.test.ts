import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, HEARTBEAT, lockDataDir } from './data-dir-lock.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('creates missing parent folders and writes our pid', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(`${process.pid} ${os.hostname()}`);
    expect(fs.existsSync(path.join(dir, 'threshold.heartbeat'))).toBe(true);
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'threshold.heartbeat'))).toBe(false);
  });

  it('refuses a folder held by another live process, naming it', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      fs.writeFileSync(path.join(dir, 'threshold.lock'), `${child.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${child.pid}.*already using the data folder`));
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock whose process has gone', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    fs.writeFileSync(path.join(dir, 'threshold.lock'), `${child.pid}\n`);
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(`${process.pid} ${os.hostname()}`);
    lock.release();
  });

  it('takes over at once a heartbeat left by a killed process on this machine', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    fs.writeFileSync(path.join(dir, 'threshold.lock'), `${child.pid} ${os.hostname()}\n`);
    fs.mkdirSync(path.join(dir, 'threshold.heartbeat'));
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(`${process.pid} ${os.hostname()}`);
    lock.release();
  });

  it('refuses a folder whose heartbeat another machine (or container) keeps fresh, and takes it over once the heartbeat is stale', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'threshold.lock'), '4242 another-container\n');
    const heartbeat = path.join(dir, 'threshold.heartbeat');
    fs.mkdirSync(heartbeat);
    expect(() => lockDataDir(dir)).toThrow(/pid 4242 on another-container.*already using the data folder/);
    const old = new Date(Date.now() - HEARTBEAT.staleMs - 5_000);
    fs.utimesSync(heartbeat, old, old);
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(`${process.pid} ${os.hostname()}`);
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'threshold.lock'), 'garbage');
    const lock = lockDataDir(dir);
    expect(fs.existsSync(lock.file)).toBe(true);
    lock.release();
  });
});
