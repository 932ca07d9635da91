/**
 * A background job run every `minutes` inside the app (and, when `firstAfterMs` is given, once soon after start-up),
 * never two runs of it at once: a tick while the last run is still going is skipped. Errors are logged, never thrown.
 * Returns the stop function, which waits for a run in progress, so the app closes its database only afterwards.
 */
export function scheduleRepeating(options: {
  minutes: number;
  firstAfterMs?: number;
  run: () => Promise<void>;
  onError: (err: unknown) => void;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .catch(options.onError)
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
    if (running) await running;
  };
}
