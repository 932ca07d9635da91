/**
 * Failed API authentications counted per calling address, in fixed windows. The route's rate limit is keyed on
 * the address and the client id the caller claims, so a caller rotating made-up ids would never meet it; this
 * limit is keyed on the address alone and counts only failures. Once an address has failed `max` times in a
 * window, further calls from it are refused with 429 before any credential is checked, so they cost no database
 * work and write no audit row (a wrong secret for a real client is audited each time it is checked).
 *
 * Held in the process's memory: with several processes each counts its own share, which still bounds the audit
 * rows and the hashing work one address can cause per process.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (!window || window.failures < this.max) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const window = this.current(address);
    if (window) window.failures += 1;
    else this.windows.set(address, { startedAt: this.now(), failures: 1 });
    if (this.windows.size > 10_000) this.prune();
  }

  private current(address: string) {
    const window = this.windows.get(address);
    if (window && this.now() - window.startedAt >= this.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private prune(): void {
    const now = this.now();
    for (const [address, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(address);
    }
  }
}
