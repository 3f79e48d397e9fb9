/**
 * Synthetic production traffic: each event resamples (uniformly, with
 * replacement) a row of the traffic pool, multiplies every value by
 * (1 + noise·z), z ~ N(0, 1) — small measurement noise, so replayed rows are
 * not exact copies — and then lets the scenario change it. Sampling, noise
 * and the scenario draw from three streams derived from one seed, so the same
 * seed gives the same rows and noise whatever the scenario, and a scenario's
 * effect is exactly the difference from a healthy run.
 */
import { deriveSeed, gaussian, mulberry32, randomIndex } from '../random.ts';
import type { LabeledRow } from '../model/dataset.ts';
import type { Observation, Scenario } from './scenarios.ts';

export interface TrafficSample extends Observation {
  /** 0-based event number. */
  index: number;
  /** Id of the pool row it was drawn from. */
  sourceId: string;
  scenarioActive: boolean;
}

export interface TrafficGeneratorOptions {
  rows: readonly LabeledRow[];
  /** Standard deviation of the multiplicative noise (0.01 = 1 %). */
  noise: number;
  scenario: Scenario;
  seed: number;
}

export interface TrafficGenerator {
  /** The next event's sample. */
  next(): TrafficSample;
  /** Number of the event next() returns next. */
  readonly index: number;
}

export function createTrafficGenerator({ rows, noise, scenario, seed }: TrafficGeneratorOptions): TrafficGenerator {
  if (rows.length === 0) throw new Error('the traffic pool is empty');
  if (!(noise >= 0)) throw new RangeError(`noise must be non-negative, got ${noise}`);
  const sampling = mulberry32(deriveSeed(seed, 0));
  const jitter = mulberry32(deriveSeed(seed, 1));
  const scenarioRng = mulberry32(deriveSeed(seed, 2));
  let index = 0;
  return {
    get index() {
      return index;
    },
    next() {
      const row = rows[randomIndex(sampling, rows.length)];
      const values = row.values.map((v) => v * (1 + noise * gaussian(jitter)));
      const i = index++;
      const changed = scenario.apply(i, { values, label: row.label }, scenarioRng);
      return { ...changed, index: i, sourceId: row.id, scenarioActive: scenario.isActive(i) };
    },
  };
}
