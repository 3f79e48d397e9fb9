/**
 * The Avro schemas are the source of truth: each TypeScript interface is
 * checked against its .avsc here, field by field.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type avro from 'avsc';
import { avroType, invalidPaths, schemaText } from '../../pipeline/serde/schemas.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { DriftReport, TestResult } from '../../pipeline/serde/drift-report.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { DeadLetter } from '../../pipeline/serde/dead-letter.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import type { RetrainRequest } from '../../pipeline/serde/retrain-request.ts';
import type { RetrainDecision } from '../../pipeline/serde/retrain-decision.ts';
import type { NotifyDeadLetter } from '../../pipeline/serde/notify-dead-letter.ts';

function fieldNames(type: avro.Type): string[] {
  return (type as avro.types.RecordType).fields.map((f) => f.name);
}

describe('inference-event.avsc', () => {
  const type = avroType('inference-event');
  const sample: InferenceEvent = {
    eventId: '6f1c1f8e-3c7e-4c55-9a38-0a4c4b0a3a11',
    modelId: 'loan-approval',
    modelVersion: 'abc123',
    eventTime: Date.UTC(2026, 10, 29),
    features: { income: 52_000.5, age: 31, region: 'north', employed: true, notes: null },
    prediction: 'approve',
    score: 0.9,
    latencyMs: 0.25,
  };

  test('the TypeScript interface has exactly the schema fields', () => {
    assert.deepEqual(fieldNames(type).sort(), Object.keys(sample).sort());
    assert.deepEqual(invalidPaths(type, sample), []);
  });

  test('features are one map for every model: null, boolean, double or string values', () => {
    const raw = JSON.parse(schemaText('inference-event'));
    const features = raw.fields.find((f: { name: string }) => f.name === 'features');
    assert.equal(features.type.type, 'map');
    assert.deepEqual(features.type.values, ['null', 'boolean', 'double', 'string']);
  });

  test('every field is documented and the record has a namespace', () => {
    const raw = JSON.parse(schemaText('inference-event'));
    assert.ok(raw.namespace);
    for (const f of raw.fields) assert.ok(f.doc, `${f.name} has a doc`);
  });

  test('invalid events are rejected with the path of the bad field', () => {
    assert.deepEqual(invalidPaths(type, { ...sample, score: 'high' }), ['score']);
    assert.deepEqual(invalidPaths(type, { ...sample, features: { ...sample.features, worst_radius: { x: 1 } } }), ['features.worst_radius']);
  });

  test('each value keeps its kind through an Avro round trip, NaN and null included', () => {
    const withNaN = { ...sample, features: { ...sample.features, income: Number.NaN } };
    const back = type.fromBuffer(type.toBuffer(withNaN)) as InferenceEvent;
    assert.ok(Number.isNaN(back.features.income as number));
    assert.equal(back.features.notes, null);
    assert.equal(back.features.age, 31);
    assert.equal(back.features.region, 'north');
    assert.equal(back.features.employed, true);
    assert.equal(back.prediction, 'approve');
  });

  test('a prediction, score and latency may be absent (null)', () => {
    const bare = { ...sample, prediction: null, score: null, latencyMs: null };
    assert.deepEqual({ ...(type.fromBuffer(type.toBuffer(bare)) as object) }, bare);
  });
});

const testResult: TestResult = { test: 'ks', statistic: 0.3, pValue: 0.001, adjustedPValue: 0.01, threshold: 0.05, drifted: true };

const report: DriftReport = {
  reportId: '6f1c1f8e-3c7e-4c55-9a38-0a4c4b0a3a12',
  modelId: 'wdbc-cart',
  modelVersion: 'abc',
  evaluatedAt: 3,
  windowStart: 1,
  windowEnd: 2,
  eventCount: 10,
  status: 'RED',
  reason: 'worst_radius drifted',
  features: [
    {
      name: 'worst_radius',
      kind: 'NUMERIC',
      status: 'RED',
      drifted: true,
      reason: 'KS D 0.8',
      severity: 'RED: mean moved 3.4 σ (≥ 0.75 σ): 16 → 0',
      tests: [testResult, { ...testResult, test: 'psi', pValue: null, adjustedPValue: null, threshold: 0.25 }],
      decidingTest: 'ks',
      nReference: 100,
      nCurrent: 10,
      missingShare: 0,
      outOfRangeShare: 0.5,
      invalidShare: 0.01,
      referenceMean: 16,
      currentMean: 0,
      histogram: { edges: [0, 1, 2], reference: [3, 4], current: [5, 6] },
      categories: [{ value: 'north', reference: 0.25, current: 0.8, seen: true }],
    },
  ],
  dataset: { drifted: 1, total: 30, share: 1 / 30, threshold: 0.5, detected: false, correction: 'bh' },
  prediction: {
    classes: [{ label: 'B', reference: 0.6, current: 0.9 }],
    classTest: { ...testResult, test: 'chi_square' },
    scoreTest: testResult,
    drifted: true,
  },
  integrity: { missingShare: 0, outOfRangeShare: 0.1, invalidEvents: 2, invalidEventsTotal: 5, unknownFeatures: [{ name: 'new_input', events: 3 }] },
  latency: { p50: 0.1, p95: 0.2, p99: 0.3 },
  throughput: { eventsPerSecond: 400, eventsSinceLastReport: 800 },
  engineLag: { records: 120, seconds: 0.4 },
  performance: { labeled: 500, accuracy: 0.7, precision: 0.6, recall: null, referenceAccuracy: 0.93, status: 'RED', reason: 'accuracy 70%' },
};

const alert: Alert = {
  alertId: '6f1c1f8e-3c7e-4c55-9a38-0a4c4b0a3a13',
  modelId: 'wdbc-cart',
  modelVersion: 'abc',
  scope: 'FEATURE',
  feature: 'worst_radius',
  previousStatus: 'GREEN',
  status: 'RED',
  reason: 'worst_radius drifted',
  raisedAt: 5,
  reportId: report.reportId,
};

const deadLetter: DeadLetter = {
  sourceTopic: 'aegis.inference.v1',
  partition: 0,
  offset: 42,
  key: Buffer.from('wdbc-cart'),
  value: Buffer.from([1, 2, 3]),
  reason: 'not Confluent-framed Avro: magic byte 1',
  errorKind: 'UNDECODABLE',
  consumerGroup: 'aegis-engine',
  failedAt: 7,
};

const profile: ReferenceProfile = {
  modelId: 'wdbc-cart',
  modelVersion: 'abc',
  createdAt: 1,
  rowCount: 3,
  features: [
    { name: 'mean_radius', kind: 'NUMERIC', count: 3, values: [1, 2, 3], exact: true, missingShare: 0, min: 1, max: 3, mean: 2, std: 0.8, categories: [{ value: 'x', count: 1 }] },
  ],
  prediction: { classes: [{ label: 'B', share: 1, count: 3 }], scores: [0, 0.1, 0.2] },
  performance: { rows: 3, positiveLabel: 'M', accuracy: 1, precision: 1, recall: 1 },
};

const label: Label = { eventId: alert.alertId, modelId: 'wdbc-cart', label: 'M', eventTime: 1, labeledAt: 2 };

const retrainRequest: RetrainRequest = {
  requestId: '6f1c1f8e-3c7e-4c55-9a38-0a4c4b0a3a14',
  modelId: 'wdbc-cart',
  modelVersion: 'abc',
  incidentId: report.reportId,
  rule: 'DATA_DRIFT',
  reason: 'RED with data drift in worst_radius',
  consecutiveEvaluations: 3,
  driftedFeatures: ['worst_radius'],
  accuracy: 0.9,
  referenceAccuracy: null,
  labeled: 300,
  reportId: report.reportId,
  evaluatedAt: 3,
  requestedAt: 4,
};

const retrainDecision: RetrainDecision = {
  decisionId: '0b6f5c59-7a53-4c4e-8f0e-2f4f6f1d9c21',
  requestId: retrainRequest.requestId,
  modelId: 'wdbc-cart',
  currentVersion: 'abc',
  candidateVersion: 'def',
  promoted: true,
  currentAccuracy: 0.4,
  candidateAccuracy: 0.9,
  trainingRows: 500,
  holdoutRows: 500,
  trafficFrom: 1,
  reason: 'candidate 0.900 >= current 0.400',
  decidedAt: 5,
};

const notifyDeadLetter: NotifyDeadLetter = {
  deliveryId: `${report.reportId}:opened`,
  destination: 'ops',
  destinationKind: 'webhook',
  event: 'opened',
  modelId: 'wdbc-cart',
  incidentId: report.reportId,
  alertId: alert.alertId,
  payload: '{}',
  attempts: 8,
  lastError: '8 attempts: HTTP 503',
  lastStatusCode: 503,
  retriable: true,
  sourceTopic: 'aegis.alerts.v1',
  partition: 0,
  offset: 12,
  alert: Buffer.from([0, 1]),
  failedAt: 9,
};

/** Field names of a record type, recursively, as dotted paths. */
function paths(type: avro.Type, prefix = ''): string[] {
  if (type.typeName === 'record') {
    return (type as avro.types.RecordType).fields.flatMap((f) => [prefix + f.name, ...paths(f.type, `${prefix}${f.name}.`)]);
  }
  if (type.typeName === 'array') return paths((type as avro.types.ArrayType).itemsType, prefix);
  if (type.typeName.startsWith('union')) return (type as avro.types.UnwrappedUnionType).types.flatMap((t: avro.Type) => paths(t, prefix));
  return [];
}

function valuePaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length && typeof value[0] === 'object' ? valuePaths(value[0], prefix) : [];
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.entries(value).flatMap(([k, v]) => [prefix + k, ...valuePaths(v, `${prefix}${k}.`)]);
  }
  return [];
}

for (const [name, sample] of [
  ['drift-report', report],
  ['alert', alert],
  ['dead-letter', deadLetter],
  ['reference-profile', profile],
  ['label', label],
  ['retrain-request', retrainRequest],
  ['notify-dead-letter', notifyDeadLetter],
  ['retrain-decision', retrainDecision],
] as const) {
  describe(`${name}.avsc`, () => {
    const type = avroType(name);
    test('its TypeScript interface has exactly the schema fields, at every depth', () => {
      assert.deepEqual(valuePaths(sample).sort(), paths(type).sort());
      assert.deepEqual(invalidPaths(type, sample), []);
    });
    test('every field is documented', () => {
      const undocumented: string[] = [];
      const walk = (schema: unknown): void => {
        if (Array.isArray(schema)) return schema.forEach(walk);
        if (!schema || typeof schema !== 'object') return;
        const s = schema as { type?: unknown; fields?: { name: string; doc?: string; type: unknown }[]; items?: unknown };
        for (const f of s.fields ?? []) {
          if (!f.doc) undocumented.push(f.name);
          walk(f.type);
        }
        walk(s.items);
        if (typeof s.type === 'object') walk(s.type);
      };
      const raw = JSON.parse(schemaText(name));
      assert.ok(raw.namespace, 'namespace');
      walk(raw);
      assert.deepEqual(undocumented, []);
    });
    test('a record of the wrong shape is rejected', () => {
      const first = (type as avro.types.RecordType).fields[0].name;
      assert.deepEqual(invalidPaths(type, { ...sample, [first]: { not: 'a string' } }), [first]);
    });
  });
}
