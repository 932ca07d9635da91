import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failures.ts';

describe('AuthFailureLimiter', () => {
  it('refuses an address after max failures in the window, and lets it try again when the window ends', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
      limiter.recordFailure('192.0.2.1');
    }
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(60);
    now += 45_000;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(15);
    // Another address is counted on its own.
    expect(limiter.retryAfterSeconds('192.0.2.2')).toBe(0);
    now += 15_000;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
  });

  it('forgets ended windows when many addresses have failed', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(1, 1_000, () => now);
    for (let i = 0; i < 10_001; i++) limiter.recordFailure(`a${i}`);
    now += 1_000;
    limiter.recordFailure('late');
    expect(limiter.retryAfterSeconds('a0')).toBe(0);
    expect(limiter.retryAfterSeconds('late')).toBe(1);
  });
});
