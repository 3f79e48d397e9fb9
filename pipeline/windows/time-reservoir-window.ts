/**
 * Time-based window with bounded memory: the events of the last `spanMs`,
 * and when there are more than `capacity` of them, a uniform sample of them.
 *
 * The span is cut into `buckets` equal slices. Each slice keeps a reservoir
 * (Vitter's Algorithm R) of at most capacity/(buckets+1) rows and the true
 * count of rows it saw; a snapshot draws from each live slice in proportion to
 * its true count (scaled down until every slice can supply its share), so every
 * event of the span has, up to rounding, the same chance to be in it. Memory is
 * fixed by `capacity`, whatever the rate.
 */
import type { EventWindow, WindowSnapshot } from './event-window.ts';

interface Bucket {
  start: number;
  seen: number;
  times: Float64Array;
  rows: Float64Array;
  held: number;
}

export class TimeReservoirWindow implements EventWindow {
  private readonly slice: number;
  private readonly perBucket: number;
  private readonly live: Bucket[] = [];

  /** @param random uniform [0, 1) source, injectable for reproducible tests */
  constructor(
    readonly width: number,
    readonly spanMs: number,
    readonly capacity: number,
    private readonly random: () => number,
    readonly buckets = 10,
  ) {
    if (!(spanMs > 0)) throw new RangeError(`window span must be positive, got ${spanMs}`);
    if (!Number.isInteger(capacity) || capacity < buckets) {
      throw new RangeError(`window capacity must be an integer of at least ${buckets}, got ${capacity}`);
    }
    this.slice = spanMs / buckets;
    // +1: a partly expired slice and a new one can both be live.
    this.perBucket = Math.floor(capacity / (buckets + 1));
  }

  get size(): number {
    return this.live.reduce((s, b) => s + b.held, 0);
  }

  /** Events seen in the live span (not just those held). */
  get seen(): number {
    return this.live.reduce((s, b) => s + b.seen, 0);
  }

  push(time: number, row: ArrayLike<number>): void {
    if (row.length !== this.width) throw new RangeError(`row has ${row.length} values, window expects ${this.width}`);
    this.expire(time);
    const start = Math.floor(time / this.slice) * this.slice;
    let bucket = this.live.find((b) => b.start === start);
    if (!bucket) {
      bucket = {
        start,
        seen: 0,
        held: 0,
        times: new Float64Array(this.perBucket),
        rows: new Float64Array(this.perBucket * this.width),
      };
      this.live.push(bucket);
      this.live.sort((a, b) => a.start - b.start);
    }
    bucket.seen++;
    let slot: number;
    if (bucket.held < this.perBucket) {
      slot = bucket.held++;
    } else {
      slot = Math.floor(this.random() * bucket.seen);
      if (slot >= this.perBucket) return;
    }
    bucket.times[slot] = time;
    for (let c = 0; c < this.width; c++) bucket.rows[slot * this.width + c] = row[c];
  }

  expire(now: number): void {
    const oldest = now - this.spanMs;
    while (this.live.length && this.live[0].start + this.slice <= oldest) this.live.shift();
  }

  snapshot(): WindowSnapshot {
    const total = this.seen;
    // The largest sample that every slice can supply in proportion to its true count.
    const n = Math.min(this.capacity, ...this.live.map((b) => (b.held * total) / b.seen));
    const picks = this.live.map((b) => Math.min(b.held, Math.round((n * b.seen) / total)));
    const size = picks.reduce((s, k) => s + k, 0);
    const times = new Float64Array(size);
    const columns = Array.from({ length: this.width }, () => new Float64Array(size));
    let at = 0;
    this.live.forEach((b, i) => {
      // A random subset of the reservoir's slots: a prefix of Algorithm R's slots is not uniform.
      const order = Array.from({ length: b.held }, (_, j) => j);
      for (let j = 0; j < picks[i]; j++, at++) {
        const k = j + Math.floor(this.random() * (b.held - j));
        [order[j], order[k]] = [order[k], order[j]];
        const slot = order[j];
        times[at] = b.times[slot];
        for (let c = 0; c < this.width; c++) columns[c][at] = b.rows[slot * this.width + c];
      }
    });
    return { times, columns };
  }
}
