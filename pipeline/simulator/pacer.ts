/**
 * Rate control for a ticking sender: each tick asks how many events are due
 * since the last one, as accrued credit = elapsed seconds × rate × multiplier,
 * sending its whole part and carrying the fraction. Credit is capped at
 * `maxBurstSeconds` of traffic so a stalled sender does not flood on resume.
 */
export class Pacer {
  private credit = 0;
  private last: number | undefined;

  constructor(
    readonly rate: number,
    private readonly maxBurstSeconds = 1,
  ) {
    if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`rate must be a positive number, got ${rate}`);
  }

  /** Events due at `nowMs` (a monotonic clock in ms) given the current rate multiplier. */
  due(nowMs: number, multiplier = 1): number {
    const elapsed = this.last === undefined ? 0 : Math.max(0, nowMs - this.last) / 1000;
    this.last = nowMs;
    const rate = this.rate * multiplier;
    this.credit = Math.min(this.credit + elapsed * rate, Math.max(1, rate * this.maxBurstSeconds));
    const n = Math.floor(this.credit);
    this.credit -= n;
    return n;
  }
}
