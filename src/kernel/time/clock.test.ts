import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock, parseInstant, systemClock, todayIn } from './index.ts';

describe('fixedClock', () => {
  it('stays at the instant it was given', () => {
    const clock = fixedClock('2019-04-09T13:05:00Z');
    expect(clock.now().toISOString()).toBe('2019-04-09T13:05:00.000Z');
    expect(clock.now().toISOString()).toBe('2019-04-09T13:05:00.000Z');
  });

  it('can be set and advanced', () => {
    const clock = fixedClock('2019-04-09T13:05:00Z');
    clock.advance(60 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2019-04-09T14:05:00.000Z');
    clock.advance(-30 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2019-04-09T13:35:00.000Z');
    clock.set('2020-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  it('hands out copies, so mutating a Date it returned does not move the clock', () => {
    const clock = fixedClock('2019-04-09T13:05:00Z');
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2019-04-09T13:05:00.000Z');
  });

  it('reads a date-time without an offset as London time (BST in April)', () => {
    expect(fixedClock('2019-04-09T14:05').now().toISOString()).toBe('2019-04-09T13:05:00.000Z');
    expect(fixedClock('2019-01-09T14:05').now().toISOString()).toBe('2019-01-09T14:05:00.000Z');
    expect(fixedClock('2019-04-09').now().toISOString()).toBe('2019-04-08T23:00:00.000Z');
  });

  it('honours an explicit offset', () => {
    expect(fixedClock('2019-04-09T14:05:00+01:00').now().toISOString()).toBe('2019-04-09T13:05:00.000Z');
  });

  it.each([
    '',
    'yesterday',
    '2019-02-30T10:00:00Z',
    '2019-04-09 14:05',
    '2019-04-09T25:00:00Z',
    '1554815100000',
  ])('refuses %j', (bad) => {
    expect(() => fixedClock(bad)).toThrow(RangeError);
  });

  it('refuses to advance by a non-number', () => {
    expect(() => fixedClock('2019-04-09T13:05:00Z').advance(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips any UTC instant written by toISOString', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => parseInstant(d.toISOString()).getTime() === d.getTime(),
      ),
    );
  });
});

describe('systemClock', () => {
  it('tells the real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('todayIn', () => {
  it('is the London date, which runs an hour ahead of UTC in summer', () => {
    expect(todayIn(fixedClock('2019-07-01T22:59:59Z'))).toBe('2019-07-01');
    expect(todayIn(fixedClock('2019-07-01T23:00:00Z'))).toBe('2019-07-02');
  });

  it('is the UTC date in winter', () => {
    expect(todayIn(fixedClock('2019-12-31T23:59:59Z'))).toBe('2019-12-31');
    expect(todayIn(fixedClock('2020-01-01T00:00:00Z'))).toBe('2020-01-01');
  });

  it('follows the clock as it moves', () => {
    const clock = fixedClock('2019-04-09T22:30:00Z');
    expect(todayIn(clock)).toBe('2019-04-09');
    clock.advance(31 * 60 * 1000); // 00:01 BST on the 10th
    expect(todayIn(clock)).toBe('2019-04-10');
  });
});
