/**
 * Calibrated detection: the level a false-alarm budget implies, the KS
 * threshold and the detectable shift it gives, hysteresis, and the streams
 * of issue 10 replayed through the engine's processor.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ksCriticalD, minimumDetectableShift, modelLevel, testLevel, TEST_FAMILIES } from '../../../pipeline/drift/calibration.ts';
import { DEFAULT_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { holdStatus, type HeldStatus } from '../../../pipeline/drift/status-hold.ts';
import { Replay } from '../../../pipeline/engine/replay.ts';
import { buildProfile } from '../../../pipeline/reference/build-profile.ts';
import { deriveSeed, gaussian, mulberry32 } from '../../../pipeline/random.ts';
import { ks2 } from '../../../pipeline/stats/ks.ts';
import type { Status } from '../../../pipeline/serde/drift-report.ts';

const policy = { ...DEFAULT_POLICY, evaluationsPerDay: 8640 };

describe('the level a budget implies', () => {
  test('F / (E · m · T) per test; the model-level threshold is m times that', () => {
    assert.equal(TEST_FAMILIES, 4);
    assert.ok(Math.abs(testLevel(policy, 30) - 1 / (8640 * 30 * 4)) < 1e-18);
    assert.ok(Math.abs(modelLevel({ falseAlarmsPerDay: 3, evaluationsPerDay: 86400 }) - 3 / (86400 * 4)) < 1e-18);
  });

  test("Smirnov's critical D is where the KS p-value crosses the level, and shrinks with the sample sizes", () => {
    const alpha = testLevel(policy, 30) / 2;
    const d = ksCriticalD(alpha, 1000, 1000);
    assert.ok(d > 0.12 && d < 0.125, String(d));
    assert.ok(ksCriticalD(alpha, 170, 1000) > 0.22);
    // Two samples whose D straddles the critical value.
    const below = ks2(Float64Array.from({ length: 1000 }, (_, i) => i), Float64Array.from({ length: 1000 }, (_, i) => i + Math.floor(0.9 * d * 1000)));
    const above = ks2(Float64Array.from({ length: 1000 }, (_, i) => i), Float64Array.from({ length: 1000 }, (_, i) => i + Math.ceil(1.1 * d * 1000)));
    assert.ok(below.pValue > alpha && above.pValue < alpha, `${below.pValue} ${above.pValue}`);
  });

  test('the minimum detectable mean shift for a reference size', () => {
    const alpha = testLevel(policy, 30) / 2;
    const at1000 = minimumDetectableShift(alpha, 1000, 1000);
    const at170 = minimumDetectableShift(alpha, 170, 1000);
    assert.ok(at1000 > 0.27 && at1000 < 0.29, String(at1000));
    assert.ok(at170 > 0.5 && at170 < 0.54, String(at170));
  });
});

describe('hysteresis', () => {
  const run = (enters: Status[], stays: Status[] = enters) => {
    let held: HeldStatus | undefined;
    return enters.map((e, i) => (held = holdStatus(held, e, stays[i], 3)).status);
  };

  test('raised at once, lowered after 3 calm evaluations in a row', () => {
    assert.deepEqual(run(['GREEN', 'RED', 'GREEN', 'GREEN', 'GREEN', 'GREEN']), ['GREEN', 'RED', 'RED', 'RED', 'GREEN', 'GREEN']);
  });

  test('a status flapping at its threshold is one incident', () => {
    const flapping: Status[] = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'AMBER' : 'GREEN'));
    const statuses = run(['GREEN', ...flapping]);
    assert.equal(statuses.filter((s, i) => i > 0 && s !== statuses[i - 1]).length, 1);
  });

  test('the stay verdict keeps a status the enter levels no longer reach', () => {
    assert.deepEqual(run(['RED', 'AMBER', 'AMBER', 'AMBER', 'AMBER'], ['RED', 'RED', 'RED', 'RED', 'AMBER']), ['RED', 'RED', 'RED', 'RED', 'RED']);
  });
});

describe('issue 10 streams through the processor (4 N(0,1) features, reference 1,000, window 1,000, every 500)', () => {
  const NAMES = ['x0', 'x1', 'x2', 'x3'];
  const profile = (seed: number) => {
    const rng = mulberry32(deriveSeed(seed, 1));
    return buildProfile({ modelId: 'm', modelVersion: 'v', createdAt: 0, features: NAMES.map((name) => ({ name, kind: 'NUMERIC' as const, values: Array.from({ length: 1000 }, () => gaussian(rng)) })) });
  };
  function statuses(seed: number, evaluations: number, fault: (x: (number | null)[], rng: () => number) => void, onset = 2000): Status[] {
    const replay = new Replay(profile(seed), { window: 1000, every: 500, minSamples: 1000, policy, intervalMs: 10_000 });
    const rng = mulberry32(deriveSeed(seed, 2));
    const out: Status[] = [];
    for (let i = 0; out.length < evaluations; i++) {
      const x: (number | null)[] = NAMES.map(() => gaussian(rng));
      if (i >= onset) fault(x, rng);
      const e = replay.push(Object.fromEntries(NAMES.map((n, j) => [n, x[j]])));
      if (e) out.push(e.status);
    }
    return out;
  }
  const changes = (xs: Status[]) => xs.filter((s, i) => i > 0 && s !== xs[i - 1]).length;

  test('stationary traffic: no alarm in 300 evaluations, across seeds', () => {
    for (const seed of [1, 2]) assert.deepEqual([...new Set(statuses(seed, 300, () => {}))], ['GREEN'], `seed ${seed}`);
  });

  test('5 % NaN is one AMBER incident: at most 2 status changes in 200 evaluations, never RED', () => {
    const s = statuses(3, 200, (x, rng) => void (rng() < 0.05 && (x[0] = null)));
    assert.ok(changes(s) <= 2, `${changes(s)} changes`);
    assert.ok(s.slice(5).every((x) => x === 'AMBER'), s.join(' '));
  });

  test('0.5 σ on one feature: AMBER within 3 evaluations of onset, never RED; 1 σ: RED within 3', () => {
    const half = statuses(4, 40, (x) => void (x[0] = (x[0] as number) + 0.5));
    // Evaluation 2 (endRow 2,500) is the first holding faulty rows.
    assert.ok(half.slice(2, 5).includes('AMBER'), half.join(' '));
    assert.ok(!half.includes('RED'));
    const one = statuses(4, 40, (x) => void (x[0] = (x[0] as number) + 1));
    assert.ok(one.slice(2, 5).includes('RED'), one.join(' '));
  });

  // Below KS' threshold (D ≈ 0.1); Welch's mean test finds it. (Shifting half the features would be dataset drift: RED.)
  test('0.25 σ on one feature: AMBER within 10 evaluations', () => {
    const s = statuses(5, 20, (x) => void (x[0] = (x[0] as number) + 0.25));
    assert.ok(s.slice(2, 12).includes('AMBER'), s.join(' '));
    assert.ok(!s.includes('RED'), s.join(' '));
  });
});
