/**
 * A lookup of the most recent `capacity` keys (e.g. predictions by event id,
 * waiting for their ground-truth label): inserting beyond the capacity forgets
 * the oldest key. The insertion order lives in a ring of keys, so eviction is
 * O(1) — unlike asking a Map for its first key, which walks past every
 * deleted entry.
 */
export class RecentIndex<V> {
  private readonly map = new Map<string, V>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.map.size;
  }

  set(key: string, value: V): void {
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.map.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
    this.map.set(key, value);
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Removes and returns the value of `key`. */
  take(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) this.map.delete(key);
    return v;
  }
}
