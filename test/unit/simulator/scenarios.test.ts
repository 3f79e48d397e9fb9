/**
 * Each scenario against a healthy run with the same seed: identical before
 * event `after`; from `after` on, exactly the change the scenario names, on
 * the chosen features only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { DEFAULT_SEED, splitPools } from '../../../pipeline/model/training-run.ts';
import { numericFeatureProfile } from '../../../pipeline/reference/build-profile.ts';
import {
  createScenario,
  DEFAULT_SCENARIO_SETTINGS,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioSettings,
} from '../../../pipeline/simulator/scenarios.ts';
import { createTrafficGenerator, type TrafficSample } from '../../../pipeline/simulator/traffic-generator.ts';

const dataset = parseWdbcCsv(readFileSync(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const pools = splitPools(dataset, DEFAULT_SEED);
const stds = dataset.features.map((name, j) => numericFeatureProfile(name, pools.reference.map((r) => r.values[j]), 10_000).std);
const featureIndex = (name: string) => dataset.features.indexOf(name);
const CHOSEN = [featureIndex('worst_radius'), featureIndex('mean_texture')];
const AFTER = 100;
const N = 600;
const SEED = 424242;

function settings(over: Partial<ScenarioSettings> = {}): ScenarioSettings {
  return { ...DEFAULT_SCENARIO_SETTINGS, after: AFTER, features: CHOSEN, stds, duration: 200, ...over };
}

function stream(name: ScenarioName, over: Partial<ScenarioSettings> = {}): TrafficSample[] {
  const scenario = createScenario(name, settings(over));
  const generator = createTrafficGenerator({ rows: pools.traffic, noise: 0.01, scenario, seed: SEED });
  return Array.from({ length: N }, () => generator.next());
}

const healthy = stream('healthy');
const untouched = (j: number) => !CHOSEN.includes(j);

/** Checks the shared contract and returns the affected events for scenario-specific checks. */
function checkShape(name: ScenarioName, events: TrafficSample[]) {
  events.forEach((e, i) => {
    assert.equal(e.index, i);
    assert.equal(e.sourceId, healthy[i].sourceId, 'same rows drawn');
    if (i < AFTER) {
      assert.deepEqual(e, { ...healthy[i], scenarioActive: false }, `${name}: event ${i} before 'after' is healthy`);
    } else {
      assert.equal(e.scenarioActive, true, `${name}: event ${i} is active`);
      e.values.forEach((v, j) => {
        if (untouched(j)) assert.equal(v, healthy[i].values[j], `${name}: feature ${dataset.features[j]} untouched`);
      });
    }
  });
  return events.slice(AFTER).map((e) => ({ e, h: healthy[e.index] }));
}

describe('scenarios', () => {
  test('healthy changes nothing and is never active', () => {
    const scenario = createScenario('healthy', settings());
    assert.ok(healthy.every((e) => !e.scenarioActive));
    assert.ok([0, AFTER, N].every((i) => scenario.rateMultiplier(i) === 1));
    assert.ok(healthy.every((e) => e.values.every((v) => v !== null && Number.isFinite(v))));
  });

  test('sensor-failure: the chosen features read exactly 0 from event after on', () => {
    for (const { e, h } of checkShape('sensor-failure', stream('sensor-failure'))) {
      for (const j of CHOSEN) assert.equal(e.values[j], 0);
      assert.equal(e.label, h.label);
    }
    assert.ok(healthy.slice(0, AFTER).every((e) => CHOSEN.every((j) => e.values[j] !== 0)));
  });

  test('nan-burst: about share of the chosen values are null, the rest unchanged', () => {
    const share = 0.3;
    let nulls = 0;
    const affected = checkShape('nan-burst', stream('nan-burst', { share }));
    for (const { e, h } of affected) {
      for (const j of CHOSEN) {
        if (e.values[j] === null) nulls++;
        else assert.equal(e.values[j], h.values[j]);
      }
    }
    const draws = affected.length * CHOSEN.length;
    const sd = Math.sqrt(draws * share * (1 - share));
    assert.ok(Math.abs(nulls - draws * share) < 4 * sd, `${nulls} nulls of ${draws} draws, share ${share}`);
  });

  test('scale-shift: the chosen features are multiplied by 10', () => {
    for (const { e, h } of checkShape('scale-shift', stream('scale-shift'))) {
      for (const j of CHOSEN) assert.equal(e.values[j], h.values[j]! * DEFAULT_SCENARIO_SETTINGS.scale);
    }
  });

  test('gradual-shift: the shift grows linearly to k·σ over duration events, then stays', () => {
    const sigma = 2;
    const duration = 200;
    for (const { e, h } of checkShape('gradual-shift', stream('gradual-shift', { sigma, duration }))) {
      const progress = Math.min(1, (e.index - AFTER + 1) / duration);
      for (const j of CHOSEN) {
        const shift = e.values[j]! - h.values[j]!;
        assert.ok(Math.abs(shift - sigma * stds[j] * progress) < 1e-9 * Math.max(1, Math.abs(h.values[j]!)), `event ${e.index}`);
        assert.ok(shift > 0);
      }
    }
    const last = stream('gradual-shift', { sigma, duration })[AFTER + duration - 1];
    for (const j of CHOSEN) assert.ok(Math.abs(last.values[j]! - healthy[AFTER + duration - 1].values[j]! - sigma * stds[j]) < 1e-9);
  });

  test('concept-shift: features stay healthy, about share of labels flip', () => {
    const share = 0.3;
    const events = stream('concept-shift', { share });
    const affected = checkShape('concept-shift', events);
    let flipped = 0;
    for (const { e, h } of affected) {
      assert.deepEqual(e.values, h.values);
      if (e.label !== h.label) flipped++;
    }
    const sd = Math.sqrt(affected.length * share * (1 - share));
    assert.ok(Math.abs(flipped - affected.length * share) < 4 * sd, `${flipped} of ${affected.length} labels flipped`);
  });

  test('traffic-spike: observations untouched, the rate ×10 from event after on', () => {
    const spike = createScenario('traffic-spike', settings());
    for (const { e, h } of checkShape('traffic-spike', stream('traffic-spike'))) assert.deepEqual(e.values, h.values);
    assert.equal(spike.rateMultiplier(AFTER - 1), 1);
    assert.equal(spike.rateMultiplier(AFTER), DEFAULT_SCENARIO_SETTINGS.spike);
    assert.equal(spike.rateMultiplier(N * 10), DEFAULT_SCENARIO_SETTINGS.spike);
  });

  test('only traffic-spike changes the rate', () => {
    for (const name of SCENARIO_NAMES.filter((n) => n !== 'traffic-spike')) {
      assert.equal(createScenario(name, settings()).rateMultiplier(AFTER + 1), 1, name);
    }
  });

  test('apply never mutates its input', () => {
    const input = { values: [...pools.traffic[0].values], label: pools.traffic[0].label };
    const copy = structuredClone(input);
    for (const name of SCENARIO_NAMES) createScenario(name, settings({ after: 0 })).apply(0, input, () => 0.01);
    assert.deepEqual(input, copy);
  });

  test('bad settings are rejected', () => {
    assert.throws(() => createScenario('nan-burst', settings({ share: 1.5 })), /share/);
    assert.throws(() => createScenario('sensor-failure', settings({ after: -1 })), /after/);
    assert.throws(() => createScenario('gradual-shift', settings({ duration: 0 })), /duration/);
    assert.throws(() => createScenario('gradual-shift', settings({ stds: [] })), /std/);
  });
});
