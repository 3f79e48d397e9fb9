/**
 * Every window size `aegis engine --window` accepts can be evaluated: a window
 * of MAX_WINDOW events once overflowed the call stack (Math.min(...times)),
 * so every evaluation threw and the engine only logged "evaluation failed".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateWindow } from '../../../pipeline/drift/evaluate-window.ts';
import { DEFAULT_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { WindowLayout } from '../../../pipeline/drift/window-layout.ts';
import { numericFeatureProfile } from '../../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import { ENGINE_OPTIONS, MAX_WINDOW } from '../../../services/cli/commands/engine.ts';
import type { ReferenceProfile } from '../../../pipeline/serde/reference-profile.ts';

test(`a window of --window's maximum (${MAX_WINDOW.toLocaleString('en-US')} events) is evaluated`, () => {
  assert.equal(ENGINE_OPTIONS.table.window.max, MAX_WINDOW);
  const rng = mulberry32(7);
  const features = ['a', 'b'];
  const reference = features.map(() => Array.from({ length: 300 }, () => gaussian(rng, 0, 1)));
  const scores = Array.from({ length: 300 }, () => rng()).sort((x, y) => x - y);
  const profile: ReferenceProfile = {
    modelId: 'big',
    modelVersion: 'v1',
    createdAt: 0,
    rowCount: 300,
    features: features.map((name, j) => numericFeatureProfile(name, reference[j], 10_000)),
    prediction: { classes: [{ label: 'B', share: 0.5, count: 150 }, { label: 'M', share: 0.5, count: 150 }], scores },
    performance: null,
  };
  const layout = new WindowLayout(profile);
  const n = MAX_WINDOW;
  const start = 1_700_000_000_000;
  const times = new Float64Array(n);
  // out of order by a little, as events arrive: the first and last are not the extremes
  for (let i = 0; i < n; i++) times[i] = start + i + (i % 2 ? -1 : 1);
  const columns = Array.from({ length: layout.width }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    columns[0][i] = gaussian(rng, 0, 1);
    columns[1][i] = gaussian(rng, 3, 1);
    columns[layout.scoreColumn][i] = rng();
    columns[layout.classColumn][i] = columns[layout.scoreColumn][i] >= 0.5 ? 1 : 0;
    columns[layout.latencyColumn][i] = 0.1;
  }
  const report = evaluateWindow(profile, layout, { times, columns }, DEFAULT_POLICY, {
    reportId: 'r',
    evaluatedAt: start + n,
    invalidEvents: 0,
    invalidEventsTotal: 0,
    eventsSinceLastReport: n,
    secondsSinceLastReport: 1,
  });
  assert.equal(report.eventCount, n);
  assert.equal(report.windowStart, start);
  assert.equal(report.windowEnd, start + n - 1);
  assert.equal(report.features.find((f) => f.name === 'b')!.status, 'RED');
  assert.equal(report.features.find((f) => f.name === 'a')!.drifted, false);
});
