/**
 * A background job run every `minutes` inside the app (and, when `firstAfterMs` is given, once soon after start-up),
 * never two runs of it at once: a tick while the last run is still going is skipped. Errors are logged, never thrown.
 * Returns the stop function: it cancels a run in progress through the run's AbortSignal (a job checks it between
 * steps and stops at the next one, leaving nothing half-done) and waits for that run to end, so the app closes its
 * database only afterwards. A run cancelled this way is not an error; the job does that work on its next run.
 */
export function scheduleRepeating(options: {
  minutes: number;
  firstAfterMs?: number;
  run: (signal: AbortSignal) => Promise<void>;
  onError: (err: unknown) => void;
}): () => Promise<void> {
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running || stopping.signal.aborted) return;
    running = options
      .run(stopping.signal)
      .catch((err: unknown) => {
        if (!stopping.signal.aborted || !isAbort(err)) options.onError(err);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.minutes * 60_000);
  timer.unref();
  const first = options.firstAfterMs === undefined ? null : setTimeout(tick, options.firstAfterMs);
  first?.unref();
  return async () => {
    if (first) clearTimeout(first);
    clearInterval(timer);
    stopping.abort();
    if (running) await running;
  };
}

/** The error `signal.throwIfAborted()` throws once the schedule is stopped. */
function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
