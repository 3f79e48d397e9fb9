/**
 * The evaluation on synthetic models whose truth we set: healthy windows stay
 * GREEN, a stuck feature goes RED and only it, missing and out-of-range values
 * become integrity findings naming the feature.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateWindow, type EvaluationContext } from '../../../pipeline/drift/evaluate-window.ts';
import { DEFAULT_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { WindowLayout } from '../../../pipeline/drift/window-layout.ts';
import { buildProfile, numericFeatureProfile } from '../../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32, type Rng } from '../../../pipeline/random.ts';
import { SlidingWindow } from '../../../pipeline/windows/sliding-window.ts';
import type { ReferenceProfile } from '../../../pipeline/serde/reference-profile.ts';
import type { InferenceEvent } from '../../../pipeline/serde/inference-event.ts';

/** The window row of an event. */
function cells(layout: WindowLayout, e: InferenceEvent): Float64Array {
  const out = new Float64Array(layout.width);
  layout.row(e, out);
  return out;
}

const FEATURES = ['alpha', 'beta', 'gamma', 'delta'];
const MEANS = [10, 100, 0, 5];
const SDS = [1, 20, 3, 0.5];

function sampleRow(rng: Rng): number[] {
  return FEATURES.map((_, i) => gaussian(rng, MEANS[i], SDS[i]));
}

function makeProfile(rng: Rng, rows = 300): ReferenceProfile {
  const data = Array.from({ length: rows }, () => sampleRow(rng));
  const scores = Array.from({ length: rows }, () => rng()).sort((a, b) => a - b);
  const malignant = scores.filter((s) => s >= 0.5).length;
  return {
    modelId: 'synthetic',
    modelVersion: 'v1',
    createdAt: 0,
    rowCount: rows,
    features: FEATURES.map((name, j) => numericFeatureProfile(name, data.map((r) => r[j]), 10_000)),
    prediction: {
      classes: [
        { label: 'B', share: (rows - malignant) / rows, count: rows - malignant },
        { label: 'M', share: malignant / rows, count: malignant },
      ],
      scores,
    },
    performance: { rows, positiveLabel: 'M', accuracy: 0.9, precision: 0.9, recall: 0.9 },
  };
}

function event(values: (number | null)[], rng: Rng, t: number): InferenceEvent {
  const score = rng();
  return {
    eventId: `e${t}`,
    modelId: 'synthetic',
    modelVersion: 'v1',
    eventTime: t,
    features: Object.fromEntries(FEATURES.map((f, i) => [f, values[i]])),
    prediction: score >= 0.5 ? 'M' : 'B',
    score,
    latencyMs: 0.05 + rng() * 0.1,
  };
}

const ctx: EvaluationContext = {
  reportId: 'r1',
  evaluatedAt: 10_000,
  invalidEvents: 2,
  invalidEventsTotal: 7,
  eventsSinceLastReport: 500,
  secondsSinceLastReport: 5,
};

function run(seed: number, mutate: (row: (number | null)[], i: number) => void = () => {}, n = 1000) {
  const rng = mulberry32(seed);
  const profile = makeProfile(rng);
  const layout = new WindowLayout(profile);
  const window = new SlidingWindow(layout.width, 1000);
  for (let i = 0; i < n; i++) {
    const row: (number | null)[] = sampleRow(rng);
    mutate(row, i);
    window.push(i, cells(layout, event(row, rng, i)));
  }
  return evaluateWindow(profile, layout, window.snapshot(), DEFAULT_POLICY, ctx);
}

describe('evaluateWindow', () => {
  test('healthy windows are GREEN with no feature drifted, across seeds', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = run(seed);
      assert.equal(r.status, 'GREEN', `seed ${seed}: ${r.reason}`);
      assert.equal(r.reason, 'no drift');
      assert.equal(r.dataset.drifted, 0);
      assert.ok(r.features.every((f) => f.status === 'GREEN' && !f.drifted));
    }
  });

  test('a feature stuck at 0 is RED and named; the others are not drifted', () => {
    const r = run(11, (row) => (row[1] = 0));
    assert.equal(r.status, 'RED');
    const beta = r.features.find((f) => f.name === 'beta')!;
    assert.equal(beta.status, 'RED');
    assert.ok(beta.drifted);
    assert.ok(beta.tests[0].statistic > 0.9);
    assert.equal(beta.currentMean, 0);
    assert.ok(r.reason.startsWith('beta RED'), r.reason);
    assert.deepEqual(
      r.features.filter((f) => f.drifted).map((f) => f.name),
      ['beta'],
    );
  });

  // RED means act: a drifted feature is RED from a mean shift of 0.75 reference σ (DEFAULT_POLICY.redShift).
  test('a small but significant shift is AMBER, a large one RED, each with its one-line rule', () => {
    const amber = run(12, (row) => (row[0] = (row[0] as number) + 0.5 * SDS[0]));
    assert.equal(amber.features[0].status, 'AMBER', amber.reason);
    assert.match(amber.features[0].severity, /^AMBER, not RED: mean moved 0\.\d+ σ \(< 0\.75 σ\): [\d.]+ → [\d.]+; spread ×[\d.]+ \(within ×2\): σ [\d.]+ → [\d.]+; D 0\.\d+ \(< 0\.5\)$/);
    const red = run(12, (row) => (row[0] = (row[0] as number) + 3 * SDS[0]));
    assert.equal(red.features[0].status, 'RED', red.reason);
    assert.match(red.features[0].severity, /^RED: mean moved [23][\d.]* σ \(≥ 0\.75 σ\): [\d.]+ → 1[23][\d.]*; D 0\.\d+ \(≥ 0\.5\)/);
    assert.equal(run(12).features[0].severity, '', 'GREEN has no severity line');
  });

  test('missing values are an integrity finding naming the feature, not a distribution test', () => {
    const r = run(13, (row, i) => {
      if (i % 10 < 3) row[2] = null;
    });
    const gamma = r.features.find((f) => f.name === 'gamma')!;
    assert.ok(Math.abs(gamma.missingShare - 0.3) < 1e-9);
    assert.equal(gamma.status, 'RED');
    assert.equal(gamma.drifted, false);
    assert.match(gamma.reason, /missing 30\.0%/);
    assert.match(r.reason, /gamma RED/);
    assert.ok(Math.abs(r.integrity.missingShare - 0.3 / FEATURES.length) < 1e-9);
    assert.equal(gamma.nCurrent, 700);
  });

  test('values outside the reference range are counted per feature', () => {
    const r = run(14, (row, i) => {
      if (i % 10 === 0) row[3] = 1e6;
    });
    const delta = r.features.find((f) => f.name === 'delta')!;
    assert.ok(delta.outOfRangeShare >= 0.1 && delta.outOfRangeShare < 0.12, String(delta.outOfRangeShare));
    assert.notEqual(delta.status, 'GREEN');
    assert.match(delta.reason, /out of reference range/);
  });

  test('dataset drift: most features drifted makes the model RED with the share', () => {
    const r = run(15, (row) => {
      for (let j = 0; j < 3; j++) row[j] = (row[j] as number) + 5 * SDS[j];
    });
    assert.equal(r.dataset.drifted, 3);
    assert.equal(r.dataset.detected, true);
    assert.equal(r.status, 'RED');
    assert.match(r.reason, /^dataset drift: 3\/4/);
  });

  test('report carries histograms on the reference bins, latency, throughput and counters', () => {
    const r = run(16);
    for (const f of r.features) {
      assert.equal(f.histogram.reference.length, f.histogram.edges.length - 1);
      assert.equal(f.histogram.current.length, f.histogram.edges.length - 1);
      assert.equal(
        f.histogram.reference.reduce((s, c) => s + c, 0),
        f.nReference,
      );
      // Calibrated: KS or Welch's mean test decides (Bonferroni over the two), the other tests follow.
      assert.equal(f.decidingTest, 'ks_mean');
      assert.equal(f.tests.map((t) => t.test).join(','), 'ks_mean,ks,psi,wasserstein_norm,jensen_shannon');
    }
    assert.ok(r.latency.p50 > 0.05 && r.latency.p50 < r.latency.p95 && r.latency.p95 <= r.latency.p99 && r.latency.p99 < 0.15);
    assert.equal(r.throughput.eventsPerSecond, 100);
    assert.equal(r.integrity.invalidEvents, 2);
    assert.equal(r.integrity.invalidEventsTotal, 7);
    assert.equal(r.eventCount, 1000);
    assert.equal(r.windowStart, 0);
    assert.equal(r.windowEnd, 999);
  });

  test('prediction drift: a class-share shift makes a healthy-feature model AMBER', () => {
    const rng = mulberry32(17);
    const profile = makeProfile(rng);
    const layout = new WindowLayout(profile);
    const window = new SlidingWindow(layout.width, 1000);
    for (let i = 0; i < 1000; i++) {
      const e = event(sampleRow(rng), rng, i);
      e.score = 0.9 + 0.1 * rng();
      e.prediction = 'M';
      window.push(i, cells(layout, e));
    }
    const r = evaluateWindow(profile, layout, window.snapshot(), DEFAULT_POLICY, ctx);
    assert.equal(r.prediction.drifted, true);
    assert.equal(r.status, 'AMBER');
    assert.equal(r.prediction.classes.find((c) => c.label === 'M')!.current, 1);
    assert.match(r.reason, /prediction drift/);
  });
});

describe('performance from ground-truth labels', () => {
  const labeledWindow = (n: number, wrong: number) => {
    const w = new SlidingWindow(2, 1000);
    // classes are [B, M]; `wrong` of the n labels disagree with the prediction
    for (let i = 0; i < n; i++) w.push(i, [i % 3 === 0 ? 1 : 0, i < wrong ? (i % 3 === 0 ? 0 : 1) : i % 3 === 0 ? 1 : 0]);
    return w.snapshot();
  };

  function runWith(labels: ReturnType<typeof labeledWindow>) {
    const rng = mulberry32(21);
    const profile = makeProfile(rng);
    const layout = new WindowLayout(profile);
    const window = new SlidingWindow(layout.width, 1000);
    for (let i = 0; i < 1000; i++) window.push(i, cells(layout, event(sampleRow(rng), rng, i)));
    return evaluateWindow(profile, layout, window.snapshot(), DEFAULT_POLICY, ctx, labels);
  }

  test('accuracy at the reference level is GREEN; precision and recall count M as positive', () => {
    const r = runWith(labeledWindow(600, 60));
    assert.equal(r.performance!.labeled, 600);
    assert.ok(Math.abs(r.performance!.accuracy! - 0.9) < 1e-12);
    assert.equal(r.performance!.status, 'GREEN');
    assert.equal(r.status, 'GREEN', r.reason);
    assert.ok(r.performance!.precision! > 0 && r.performance!.recall! > 0);
  });

  test('a concept shift (accuracy 0.3 below the reference) makes the model RED though every feature is GREEN', () => {
    const r = runWith(labeledWindow(600, 360));
    assert.ok(Math.abs(r.performance!.accuracy! - 0.4) < 1e-12);
    assert.equal(r.performance!.status, 'RED');
    assert.equal(r.status, 'RED');
    assert.ok(r.features.every((f) => f.status === 'GREEN'));
    assert.match(r.reason, /^performance RED: accuracy 40\.0% on 600 labels \(reference 90\.0%\)/);
  });

  test('a moderate drop is AMBER; too few labels are not judged; no labels, no performance', () => {
    assert.equal(runWith(labeledWindow(600, 150)).performance!.status, 'AMBER');
    const few = runWith(labeledWindow(100, 90));
    assert.equal(few.performance!.status, 'GREEN');
    assert.equal(few.status, 'GREEN');
    assert.equal(runWith(labeledWindow(0, 0)).performance, null);
  });
});

describe('feature kinds: categorical features, invalid values', () => {
  const REGIONS = ['north', 'south', 'east', 'west'];
  const pick = (rng: Rng, shares: number[]) => {
    let u = rng();
    for (let k = 0; k < shares.length; k++) if ((u -= shares[k]) < 0) return REGIONS[k];
    return REGIONS[REGIONS.length - 1];
  };
  const even = [0.25, 0.25, 0.25, 0.25];

  function mixedProfile(rng: Rng, rows = 500) {
    return buildProfile({
      modelId: 'mixed',
      modelVersion: 'v1',
      createdAt: 0,
      features: [
        { name: 'income', kind: 'NUMERIC', values: Array.from({ length: rows }, () => gaussian(rng, 50, 10)) },
        { name: 'region', kind: 'CATEGORICAL', values: Array.from({ length: rows }, () => pick(rng, even)) },
        { name: 'employed', kind: 'CATEGORICAL', values: Array.from({ length: rows }, () => rng() < 0.7) },
      ],
    });
  }

  function runMixed(seed: number, make: (rng: Rng, i: number) => Record<string, unknown>) {
    const rng = mulberry32(seed);
    const profile = mixedProfile(rng);
    const layout = new WindowLayout(profile);
    const window = new SlidingWindow(layout.width, 1000);
    for (let i = 0; i < 1000; i++) {
      const e: InferenceEvent = { eventId: `e${i}`, modelId: 'mixed', modelVersion: 'v1', eventTime: i, features: make(rng, i) as InferenceEvent['features'], prediction: null, score: null, latencyMs: null };
      window.push(i, cells(layout, e));
    }
    return evaluateWindow(profile, layout, window.snapshot(), DEFAULT_POLICY, ctx);
  }
  const healthy = (rng: Rng) => ({ income: gaussian(rng, 50, 10), region: pick(rng, even), employed: rng() < 0.7 });

  test('healthy mixed traffic is GREEN; categorical features are tested by chi-square homogeneity with their shares', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const r = runMixed(seed, healthy);
      assert.equal(r.status, 'GREEN', `seed ${seed}: ${r.reason}`);
      const region = r.features.find((f) => f.name === 'region')!;
      assert.equal(region.kind, 'CATEGORICAL');
      assert.equal(region.decidingTest, 'chi_square_homogeneity');
      assert.deepEqual(region.tests.map((t) => t.test).sort(), ['chi_square', 'chi_square_homogeneity', 'jensen_shannon', 'psi']);
      assert.deepEqual(region.categories.map((c) => c.value).sort(), [...REGIONS].sort());
      assert.ok(region.categories.every((c) => Math.abs(c.reference - 0.25) < 0.06 && Math.abs(c.current - 0.25) < 0.06));
      assert.equal(r.features.find((f) => f.name === 'employed')!.decidingTest, 'chi_square_homogeneity');
    }
  });

  test("a category's share moving makes the feature RED, named with the category that moved", () => {
    const r = runMixed(5, (rng) => ({ ...healthy(rng), region: pick(rng, [0.85, 0.05, 0.05, 0.05]) }));
    const region = r.features.find((f) => f.name === 'region')!;
    assert.equal(region.status, 'RED', region.reason);
    assert.ok(region.drifted);
    assert.match(region.reason, /^chi_square_homogeneity TV=0\.\d+ .*'north' 2\d\.\d% → 8\d\.\d%/);
    assert.deepEqual(r.features.filter((f) => f.drifted).map((f) => f.name), ['region']);
    assert.match(r.reason, /region RED/);
  });

  test('unseen categories are an integrity finding, listed with seen=false', () => {
    const r = runMixed(6, (rng, i) => ({ ...healthy(rng), region: i % 5 === 0 ? 'atlantis' : pick(rng, even) }));
    const region = r.features.find((f) => f.name === 'region')!;
    assert.ok(Math.abs(region.outOfRangeShare - 0.2) < 1e-9, String(region.outOfRangeShare));
    assert.match(region.reason, /unseen categories 20\.0%/);
    const atlantis = region.categories.find((c) => c.value === 'atlantis')!;
    assert.equal(atlantis.seen, false);
    assert.equal(atlantis.reference, 0);
  });

  test('a wrong-kind or non-finite value is counted as invalid for its feature, never thrown', () => {
    const r = runMixed(7, (rng, i) => ({
      ...healthy(rng),
      income: i % 4 === 0 ? 'n/a' : i % 4 === 1 ? Number.POSITIVE_INFINITY : gaussian(rng, 50, 10),
    }));
    const income = r.features.find((f) => f.name === 'income')!;
    assert.ok(Math.abs(income.invalidShare - 0.5) < 1e-9, String(income.invalidShare));
    assert.equal(income.missingShare, 0);
    assert.equal(income.nCurrent, 500);
    assert.equal(income.status, 'RED');
    assert.match(income.reason, /invalid values 50\.0%/);
    assert.equal(r.features.find((f) => f.name === 'region')!.status, 'GREEN');
  });
});
