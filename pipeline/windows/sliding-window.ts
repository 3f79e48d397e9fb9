/**
 * Count-based sliding window: the last `capacity` rows, stored column-wise in
 * typed arrays used as a ring buffer, so memory is fixed at
 * (width + 1) × capacity × 8 bytes whatever the traffic.
 */
import type { EventWindow, WindowSnapshot } from './event-window.ts';

export class SlidingWindow implements EventWindow {
  private readonly times: Float64Array;
  private readonly columns: Float64Array[];
  private next = 0;
  private count = 0;

  constructor(
    readonly width: number,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`window width must be a positive integer, got ${width}`);
    this.times = new Float64Array(capacity);
    this.columns = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  get size(): number {
    return this.count;
  }

  push(time: number, row: ArrayLike<number>): void {
    if (row.length !== this.width) throw new RangeError(`row has ${row.length} values, window expects ${this.width}`);
    const i = this.next;
    this.times[i] = time;
    for (let c = 0; c < this.width; c++) this.columns[c][i] = row[c];
    this.next = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  expire(): void {}

  snapshot(): WindowSnapshot {
    const n = this.count;
    const start = n < this.capacity ? 0 : this.next;
    const copy = (src: Float64Array) => {
      const out = new Float64Array(n);
      const head = Math.min(n, this.capacity - start);
      out.set(src.subarray(start, start + head), 0);
      if (head < n) out.set(src.subarray(0, n - head), head);
      return out;
    };
    return { times: copy(this.times), columns: this.columns.map(copy) };
  }
}
