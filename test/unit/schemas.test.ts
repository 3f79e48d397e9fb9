/**
 * The Avro schemas are the source of truth: each TypeScript interface is
 * checked against its .avsc here, field by field.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type avro from 'avsc';
import { avroType, invalidPaths, schemaText } from '../../pipeline/serde/schemas.ts';
import { WDBC_FEATURES, type InferenceEvent } from '../../pipeline/serde/inference-event.ts';

function fieldNames(type: avro.Type): string[] {
  return (type as avro.types.RecordType).fields.map((f) => f.name);
}

describe('inference-event.avsc', () => {
  const type = avroType('inference-event');
  const sample: InferenceEvent = {
    eventId: '6f1c1f8e-3c7e-4c55-9a38-0a4c4b0a3a11',
    modelId: 'wdbc-cart',
    modelVersion: 'abc123',
    eventTime: Date.UTC(2026, 10, 29),
    features: Object.fromEntries(WDBC_FEATURES.map((f, i) => [f, i === 3 ? null : i + 0.5])) as InferenceEvent['features'],
    predictedClass: 'M',
    score: 0.9,
    latencyMs: 0.25,
  };

  test('the TypeScript interface has exactly the schema fields', () => {
    assert.deepEqual(fieldNames(type).sort(), Object.keys(sample).sort());
    assert.deepEqual(invalidPaths(type, sample), []);
  });

  test('features are the 30 data-set columns, in order, each nullable with a null default', () => {
    const features = (type as avro.types.RecordType).field('features')!.type as avro.types.RecordType;
    assert.deepEqual(fieldNames(features), [...WDBC_FEATURES]);
    const raw = JSON.parse(schemaText('inference-event'));
    const rawFeatures = raw.fields.find((f: { name: string }) => f.name === 'features').type.fields;
    for (const f of rawFeatures) {
      assert.deepEqual(f.type, ['null', 'double'], f.name);
      assert.equal(f.default, null, f.name);
      assert.ok(f.doc, `${f.name} has a doc`);
    }
  });

  test('every field is documented and the record has a namespace', () => {
    const raw = JSON.parse(schemaText('inference-event'));
    assert.ok(raw.namespace);
    for (const f of raw.fields) assert.ok(f.doc, `${f.name} has a doc`);
  });

  test('invalid events are rejected with the path of the bad field', () => {
    assert.deepEqual(invalidPaths(type, { ...sample, score: 'high' }), ['score']);
    const features = { ...sample.features, worst_radius: 'x' };
    assert.deepEqual(invalidPaths(type, { ...sample, features }), ['features.worst_radius']);
  });

  test('values survive an Avro round trip, NaN and null included', () => {
    const withNaN = { ...sample, features: { ...sample.features, mean_perimeter: Number.NaN } };
    const back = type.fromBuffer(type.toBuffer(withNaN)) as InferenceEvent;
    assert.ok(Number.isNaN(back.features.mean_perimeter));
    assert.equal(back.features.mean_area, null);
    assert.equal(back.features.worst_radius, sample.features.worst_radius);
  });
});
