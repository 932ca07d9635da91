import { DateTime } from 'luxon';
import { TIME_ZONE, isoDateOf } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';

/**
 * The one source of "now". Services and rules take a Clock instead of calling `new Date()`, so tests fix
 * time and every deadline is deterministic.
 */
export interface Clock {
  now(): Date;
}

/** A Clock you can set and move, for tests, seeds and demos. */
export interface FixedClock extends Clock {
  /** Moves the clock to another instant (same formats as `fixedClock`). */
  set(iso: string): void;
  /** Moves the clock forwards (or backwards, with a negative number) by `ms` milliseconds. */
  advance(ms: number): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Reads an ISO 8601 date-time. With `Z` or an offset ('2019-04-09T13:05:00Z', '…+01:00') it is that
 * instant; without one ('2019-04-09T14:05', '2019-04-09') it is Europe/London wall-clock time.
 * Throws a RangeError for anything else.
 */
export function parseInstant(iso: string): Date {
  if (typeof iso !== 'string' || !ISO_DATE_TIME.test(iso)) {
    throw new RangeError(`Expected an ISO 8601 date-time like 2019-04-09T14:05:00Z, but was ${String(iso)}`);
  }
  const parsed = DateTime.fromISO(iso, { zone: TIME_ZONE });
  if (!parsed.isValid) {
    throw new RangeError(`${iso} is not a real date and time (${parsed.invalidExplanation ?? 'invalid'})`);
  }
  return new Date(parsed.toMillis());
}

/** A clock stopped at `isoInstant` (see `parseInstant` for the formats) until you `set` or `advance` it. */
export function fixedClock(isoInstant: string): FixedClock {
  let current = parseInstant(isoInstant).getTime();
  return {
    // A fresh Date each time, so a caller mutating the result cannot move the clock.
    now: () => new Date(current),
    set(iso: string) {
      current = parseInstant(iso).getTime();
    },
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`Cannot advance the clock by ${ms} milliseconds`);
      current += ms;
    },
  };
}

/** Today's date in Europe/London, as 'YYYY-MM-DD'. */
export function todayIn(clock: Clock): IsoDate {
  return isoDateOf(clock.now());
}
