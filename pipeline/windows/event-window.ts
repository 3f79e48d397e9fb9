/**
 * What the drift engine keeps per model: a bounded window of recent events,
 * each a row of numbers (features, score, class index, latency) with its event
 * time. Implementations differ in what "recent" means.
 */
export interface WindowSnapshot {
  /** Event times of the rows, in arrival order. */
  times: Float64Array;
  /** One column per row position, each `times.length` long. */
  columns: Float64Array[];
}

export interface EventWindow {
  readonly width: number;
  /** Rows currently held. */
  readonly size: number;
  /** Adds one row (length `width`); NaN marks a missing value. */
  push(time: number, row: ArrayLike<number>): void;
  /** Drops what has aged out as of `now` (a no-op for count-based windows). */
  expire(now: number): void;
  /** A copy of the held rows, column by column. */
  snapshot(): WindowSnapshot;
}
