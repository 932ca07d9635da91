import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { sealAuditTrail, signAuditAnchor, type AuditAnchor, type ChainHead } from './audit-trail.ts';

type Log = { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

/**
 * Signs the chain's head with the chain's key and keeps it outside the database: appended as one JSON line to
 * `file` (when given) and written to the log. `threshold audit verify --anchors <file>` checks the chain still
 * passes through every anchor, which catches rows removed from the end.
 */
export async function writeAuditAnchor(options: {
  key: string;
  head: ChainHead;
  at: Date;
  file?: string | null;
  log?: Log;
}): Promise<AuditAnchor> {
  const anchor = signAuditAnchor(options.key, options.head, options.at);
  if (options.file) {
    await mkdir(dirname(options.file), { recursive: true });
    await appendFile(options.file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  }
  options.log?.info({ auditAnchor: anchor }, 'audit chain head');
  return anchor;
}

/**
 * Runs the sealer every `sealSeconds` and anchors the head every `anchorMinutes` (when it has moved). Safe in
 * several processes: a run finding another sealer at work leaves the rows to it. The returned function stops
 * the timer and seals and anchors one last time.
 */
export function scheduleAuditSealer(options: {
  db: Kysely<DB>;
  key: string;
  sealSeconds: number;
  anchorMinutes: number;
  anchorFile: string | null;
  now: () => Date;
  log: Log;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let lastAnchorAt = 0;
  let anchored: ChainHead | null = null;
  const run = async (final: boolean) => {
    const { head } = await sealAuditTrail(options.db, { key: options.key, wait: final });
    const now = options.now();
    const due = final || now.getTime() - lastAnchorAt >= options.anchorMinutes * 60_000;
    if (head && due && options.anchorMinutes > 0 && head.hash !== anchored?.hash) {
      await writeAuditAnchor({ key: options.key, head, at: now, file: options.anchorFile, log: options.log });
      anchored = head;
      lastAnchorAt = now.getTime();
    }
  };
  const tick = () => {
    if (running) return;
    running = run(false)
      .catch((err: unknown) => options.log.error({ err }, 'sealing the audit trail failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.sealSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (running) await running;
    await run(true).catch((err: unknown) => options.log.error({ err }, 'sealing the audit trail failed'));
  };
}
