import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleRepeating } from './schedule.ts';

afterEach(() => vi.useRealTimers());

describe('scheduleRepeating', () => {
  it('runs first after start-up and then each interval, skips a tick while a run is going, and stop waits for it', async () => {
    vi.useFakeTimers();
    let release: () => void = () => undefined;
    const starts: number[] = [];
    const errors: unknown[] = [];
    const stop = scheduleRepeating({
      minutes: 1,
      firstAfterMs: 1_000,
      run: () => {
        starts.push(Date.now());
        return new Promise<void>((resolve) => (release = resolve));
      },
      onError: (err) => errors.push(err),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000); // the interval ticks while the first run is still going: skipped
    expect(starts).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts).toHaveLength(2);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(starts).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('stop cancels a run in progress through its signal, waits for it to end, and does not log the cancellation', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const steps: number[] = [];
    const stop = scheduleRepeating({
      minutes: 1,
      firstAfterMs: 1_000,
      run: async (signal) => {
        // A job of many steps, each a second long, checking the signal between them.
        for (let step = 0; step < 100; step++) {
          signal.throwIfAborted();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          steps.push(step);
        }
      },
      onError: (err) => errors.push(err),
    });
    await vi.advanceTimersByTimeAsync(3_500);
    expect(steps).toEqual([0, 1]);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false); // the step under way finishes…
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping; // …and the run ends at the next check, not after its hundred steps
    expect(steps).toEqual([0, 1, 2]);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(steps).toEqual([0, 1, 2]);
  });

  it('logs a failed run and goes on', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const stop = scheduleRepeating({
      minutes: 1,
      run: async () => {
        calls += 1;
        throw new Error('down');
      },
      onError: (err) => errors.push(err),
    });
    await vi.advanceTimersByTimeAsync(120_000);
    await stop();
    expect(calls).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['down', 'down']);
  });
});
