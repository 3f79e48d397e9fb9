/** The feature grid's order and filter: worst first, then by the deciding statistic; a name filter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bySeverity, filtered } from '../../../dashboard/src/feature-grid.ts';
import type { FeatureReport } from '../../../pipeline/serde/drift-report.ts';

function f(name: string, status: FeatureReport['status'], statistic: number, decidingTest = 'ks'): FeatureReport {
  return {
    name,
    kind: 'NUMERIC',
    status,
    drifted: status !== 'GREEN',
    reason: '',
    severity: '',
    tests: [{ test: 'psi', statistic: 9, pValue: null, adjustedPValue: null, threshold: 0.1, drifted: false }, { test: decidingTest, statistic, pValue: 0.5, adjustedPValue: 0.5, threshold: 0.05, drifted: false }],
    decidingTest,
    nReference: 1,
    nCurrent: 1,
    missingShare: 0,
    outOfRangeShare: 0,
    invalidShare: 0,
    referenceMean: null,
    currentMean: null,
    histogram: { edges: [], reference: [], current: [] },
    categories: [],
  };
}

test('features are ordered RED, AMBER, GREEN, each by the deciding test statistic (not the first listed test)', () => {
  const features = [f('a', 'GREEN', 0.9), f('b', 'RED', 0.3), f('c', 'AMBER', 0.2), f('d', 'RED', 0.8), f('e', 'GREEN', 0.1)];
  assert.deepEqual(bySeverity(features).map((x) => x.name), ['d', 'b', 'c', 'a', 'e']);
});

test('300 features: the filter keeps names containing the text, case-insensitively', () => {
  const features = Array.from({ length: 300 }, (_, i) => f(`sensor_${i}`, i === 217 ? 'RED' : 'GREEN', i / 300));
  assert.equal(bySeverity(features)[0].name, 'sensor_217');
  assert.deepEqual(filtered(features, ' SENSOR_21 ').map((x) => x.name), ['sensor_21', ...Array.from({ length: 10 }, (_, i) => `sensor_21${i}`)]);
  assert.equal(filtered(features, '').length, 300);
});
