/**
 * Items that become due after a delay — ground-truth labels that arrive some
 * time after the prediction, as a clinician's diagnosis would. Items are
 * taken in due order; with one constant delay that is insertion order.
 */
export class DelayQueue<T> {
  private items: { dueAt: number; item: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  /** When the earliest item is due, or undefined when empty. */
  get nextDueAt(): number | undefined {
    return this.items[0]?.dueAt;
  }

  push(dueAt: number, item: T): void {
    let i = this.items.length;
    while (i > 0 && this.items[i - 1].dueAt > dueAt) i--;
    this.items.splice(i, 0, { dueAt, item });
  }

  /** Removes and returns the items due at or before `now`. */
  takeDue(now: number): T[] {
    let n = 0;
    while (n < this.items.length && this.items[n].dueAt <= now) n++;
    return this.items.splice(0, n).map((e) => e.item);
  }

  /** Removes and returns everything, due or not. */
  drain(): T[] {
    return this.items.splice(0).map((e) => e.item);
  }
}
