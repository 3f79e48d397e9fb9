/**
 * A per-destination rate limit: a token bucket (`ratePerMinute` sustained,
 * `burst` at once) that hands out reservations — the caller is told how long
 * to wait for its turn rather than refused, so deliveries queue in order. A
 * receiver's 429 Retry-After pauses the whole bucket: the receiver said the
 * destination is busy, not that one message is.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly perMs: number;

  constructor(
    ratePerMinute: number,
    private readonly burst: number,
    now: number,
  ) {
    this.perMs = ratePerMinute / 60_000;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token and returns how many ms from `now` the caller must wait before using it. */
  reserve(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    const forToken = this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
    return Math.ceil(Math.max(forToken, this.pausedUntil - now));
  }

  /** Nothing is sent to this destination before `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}
