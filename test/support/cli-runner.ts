import { vi } from 'vitest';
import { runCli } from '../../src/cli.ts';

/**
 * Runs the `threshold` command in process (`runCli`, what bin/threshold.js calls) with `env` on top of the
 * environment the test file started with (`saved`), and returns its exit code and everything it printed. The
 * environment is put back afterwards, whatever happens; stderr (the progress bars) is silenced.
 */
export async function runThreshold(
  args: string[],
  env: Record<string, string | undefined>,
  saved: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  process.env = { ...saved, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  for (const [key, value] of Object.entries(env)) {
    // No DATABASE_URL (or an empty one) means the embedded database.
    if (value === undefined || (key === 'DATABASE_URL' && value === '')) delete process.env[key];
    else process.env[key] = value;
  }
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(['node', 'threshold', ...args]);
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    process.env = { ...saved };
  }
}
