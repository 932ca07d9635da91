import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import properLockfile from 'proper-lockfile';

/**
 * PGlite has no cross-process lock: two processes on one data folder corrupt it. We take two locks:
 *
 * - a heartbeat lock (proper-lockfile: an atomically created folder whose modification time the holder refreshes
 *   every few seconds). It works across containers and machines sharing the folder, where a process id means
 *   nothing: a lock refreshed within the last minute is live, whoever holds it; one left unrefreshed for a minute
 *   (its holder was killed, or its container stopped) is taken over;
 * - a lock file naming the holder (`pid host`), for the message and for a quick takeover on the same machine: a
 *   lock whose process on this host no longer exists is taken over at once, without waiting the minute.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly host: string = os.hostname(),
  ) {
    super(
      `Another Threshold process (pid ${pid}${host === os.hostname() ? '' : ` on ${host}`}) is already using the data folder ${dataDir}. ` +
        'Stop that process first, or set THRESHOLD_DATA_DIR to a different folder. ' +
        'Two processes on one embedded database would corrupt it.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** How long an unrefreshed heartbeat lock stays live, and how often the holder refreshes it. */
export const HEARTBEAT = { staleMs: 60_000, updateMs: 10_000 } as const;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder {
  pid: number;
  host: string;
}

function readHolder(file: string): Holder | null {
  try {
    const [pid, host] = fs.readFileSync(file, 'utf8').trim().split(/\s+/);
    const n = Number.parseInt(pid ?? '', 10);
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host || os.hostname() } : null;
  } catch {
    return null;
  }
}

/** Whether the holder named in the lock file is a process that may still be running. */
function holderMayBeAlive(holder: Holder | null): holder is Holder {
  if (!holder) return false;
  if (holder.host !== os.hostname()) return true; // cannot tell from here: the heartbeat decides
  return holder.pid !== process.pid && processIsAlive(holder.pid);
}

function takeHeartbeat(dataDir: string, file: string): () => void {
  const options = {
    lockfilePath: path.join(dataDir, 'threshold.heartbeat'),
    realpath: false,
    stale: HEARTBEAT.staleMs,
    update: HEARTBEAT.updateMs,
    onCompromised: (error: Error) => {
      // The heartbeat was not refreshed in time (the event loop was blocked for a minute) and another process may
      // have taken the folder over. Say so loudly; stopping here could lose work in flight.
      process.stderr.write(`Threshold: the lock on the data folder ${dataDir} was lost: ${error.message}\n`);
    },
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return properLockfile.lockSync(dataDir, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = readHolder(file);
      if (attempt === 0 && holder && !holderMayBeAlive(holder)) {
        // Its process on this machine is gone (killed before it could release): take it over now.
        fs.rmSync(options.lockfilePath, { recursive: true, force: true });
        continue;
      }
      throw new DataDirLockedError(dataDir, holder?.pid ?? 0, holder?.host);
    }
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'threshold.lock');
  const releaseHeartbeat = takeHeartbeat(dataDir, file);
  const stamp = `${process.pid} ${os.hostname()}`;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        fs.writeSync(fd, `${stamp}\n`);
        fs.closeSync(fd);
        let released = false;
        return {
          file,
          release() {
            if (released) return;
            released = true;
            try {
              if (fs.readFileSync(file, 'utf8').trim() === stamp) fs.unlinkSync(file);
            } catch {
              // already gone
            }
            try {
              releaseHeartbeat();
            } catch {
              // already released or taken over
            }
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(file);
        // We hold the heartbeat, so a holder on another machine has stopped refreshing it: only a live process
        // on this machine can still be using the folder.
        if (holder && holder.host === os.hostname() && holderMayBeAlive(holder)) {
          throw new DataDirLockedError(dataDir, holder.pid, holder.host);
        }
        // Stale: its process is gone (or the file is unreadable). Take it over.
        fs.rmSync(file, { force: true });
      }
    }
    throw new Error(`Could not take the lock on the data folder ${dataDir}`);
  } catch (error) {
    releaseHeartbeat();
    throw error;
  }
}
