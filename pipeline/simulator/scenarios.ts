/**
 * Failure scenarios for the traffic simulator. A scenario changes an
 * observation (feature values + ground-truth label) from event `after` on —
 * events are numbered from 0, so events 0 … after−1 are never touched — and
 * may multiply the send rate. Each one imitates a way production data breaks:
 *
 * - healthy:        nothing changes.
 * - sensor-failure: the features read exactly 0 (a dead sensor).
 * - nan-burst:      each of the features is missing (null) with probability `share`.
 * - scale-shift:    the features are multiplied by `scale` (10: a unit change, e.g. mm → cm⁻¹).
 * - gradual-shift:  the features move by k·σ·min(1, (i − after + 1) / duration), σ each feature's
 *                   reference standard deviation: a drift that reaches k·σ after `duration` events.
 * - concept-shift:  the features stay healthy, the label flips with probability `share`:
 *                   the input→label relation changes, visible only through labels.
 * - traffic-spike:  the observation is untouched; the send rate is multiplied by `spike` (10).
 */
import type { Rng } from '../random.ts';
import type { Diagnosis } from '../model/dataset.ts';

export const SCENARIO_NAMES = [
  'healthy',
  'sensor-failure',
  'nan-burst',
  'scale-shift',
  'gradual-shift',
  'concept-shift',
  'traffic-spike',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** One event's inputs (in the model's feature order, null = missing) and its ground truth. */
export interface Observation {
  values: (number | null)[];
  label: Diagnosis;
}

export interface ScenarioSettings {
  /** Index of the first affected event. */
  after: number;
  /** Indices of the affected features. */
  features: number[];
  /** nan-burst: share of missing values; concept-shift: share of flipped labels. */
  share: number;
  /** gradual-shift: the final shift in reference standard deviations (k). */
  sigma: number;
  /** gradual-shift: events until the full shift is reached. */
  duration: number;
  /** gradual-shift: reference standard deviation per feature index (the whole feature vector). */
  stds: readonly number[];
  /** scale-shift factor. */
  scale: number;
  /** traffic-spike rate factor. */
  spike: number;
}

export const DEFAULT_SCENARIO_SETTINGS: Omit<ScenarioSettings, 'features' | 'stds'> = {
  after: 0,
  share: 0.3,
  sigma: 2,
  duration: 2000,
  scale: 10,
  spike: 10,
};

export interface Scenario {
  name: ScenarioName;
  after: number;
  isActive(index: number): boolean;
  /** The observation of event `index`, changed when active; the input is never mutated. */
  apply(index: number, observation: Observation, rng: Rng): Observation;
  /** Factor on the base send rate while event `index` is next. */
  rateMultiplier(index: number): number;
}

const flip = (label: Diagnosis): Diagnosis => (label === 'M' ? 'B' : 'M');

type Change = (observation: Observation, index: number, rng: Rng) => Observation;

function mapFeatures(s: ScenarioSettings, fn: (value: number | null, feature: number, index: number, rng: Rng) => number | null): Change {
  return (o, index, rng) => {
    const values = o.values.slice();
    for (const f of s.features) values[f] = fn(values[f], f, index, rng);
    return { values, label: o.label };
  };
}

function change(name: ScenarioName, s: ScenarioSettings): Change | undefined {
  switch (name) {
    case 'healthy':
    case 'traffic-spike':
      return undefined;
    case 'sensor-failure':
      return mapFeatures(s, () => 0);
    case 'nan-burst':
      return mapFeatures(s, (v, _f, _i, rng) => (rng() < s.share ? null : v));
    case 'scale-shift':
      return mapFeatures(s, (v) => (v === null ? null : v * s.scale));
    case 'gradual-shift':
      return mapFeatures(s, (v, f, i) => {
        if (v === null) return null;
        const progress = Math.min(1, (i - s.after + 1) / s.duration);
        return v + s.sigma * (s.stds[f] ?? 0) * progress;
      });
    case 'concept-shift':
      return (o, _i, rng) => (rng() < s.share ? { values: o.values.slice(), label: flip(o.label) } : o);
  }
}

/** Builds a scenario; throws when a setting is out of range (the caller names the flag). */
export function createScenario(name: ScenarioName, settings: ScenarioSettings): Scenario {
  const s = settings;
  if (!(Number.isInteger(s.after) && s.after >= 0)) throw new RangeError(`after must be a non-negative integer, got ${s.after}`);
  if (!(s.share >= 0 && s.share <= 1)) throw new RangeError(`share must be in [0, 1], got ${s.share}`);
  if (!(s.duration >= 1)) throw new RangeError(`duration must be at least 1, got ${s.duration}`);
  if (name === 'gradual-shift' && s.features.some((f) => !Number.isFinite(s.stds[f]))) throw new RangeError('gradual-shift needs a std per feature');
  const isActive = (index: number) => name !== 'healthy' && index >= s.after;
  const changeFn = change(name, s);
  return {
    name,
    after: s.after,
    isActive,
    apply: (index, observation, rng) => (changeFn && isActive(index) ? changeFn(observation, index, rng) : observation),
    rateMultiplier: (index) => (name === 'traffic-spike' && isActive(index) ? s.spike : 1),
  };
}
