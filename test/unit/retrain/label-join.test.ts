/** Predictions joined to their labels by eventId, in the model's feature order, oldest first. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { joinLabels } from '../../../pipeline/retrain/label-join.ts';
import type { InferenceEvent } from '../../../pipeline/serde/inference-event.ts';
import type { Label } from '../../../pipeline/serde/label.ts';

const event = (eventId: string, eventTime: number, features: InferenceEvent['features'], modelId = 'm'): InferenceEvent => ({
  eventId, modelId, modelVersion: 'v1', eventTime, features, prediction: 'B', score: 0.1, latencyMs: 0.01,
});
const label = (eventId: string, value: string, modelId = 'm'): Label => ({ eventId, modelId, label: value, eventTime: 0, labeledAt: 1 });

describe('joinLabels', () => {
  test('joins by eventId, lays the map out in feature order and sorts by event time', () => {
    const events = [event('b', 20, { y: 2, x: 1 }), event('a', 10, { x: 3, y: 4, extra: 9 }), event('c', 10, { x: 5, y: 6 })];
    const { rows, unlabeled, incomplete } = joinLabels('m', ['x', 'y'], events, [label('c', 'M'), label('a', 'B'), label('b', 'M')]);
    assert.deepEqual(rows.map((r) => [r.id, r.label, r.values, r.eventTime]), [
      ['a', 'B', [3, 4], 10],
      ['c', 'M', [5, 6], 10],
      ['b', 'M', [1, 2], 20],
    ]);
    assert.equal(unlabeled, 0);
    assert.equal(incomplete, 0);
  });

  test('leaves out unlabelled events, missing or non-numeric features, other models and unknown classes', () => {
    const events = [
      event('nolabel', 1, { x: 1, y: 1 }),
      event('missing', 2, { x: 1 }),
      event('null', 3, { x: null, y: 1 }),
      event('text', 4, { x: 'big', y: 1 }),
      event('other', 5, { x: 1, y: 1 }, 'n'),
      event('badclass', 6, { x: 1, y: 1 }),
      event('ok', 7, { x: 1, y: 1 }),
    ];
    const labels = ['missing', 'null', 'text', 'other', 'ok'].map((id) => label(id, 'B')).concat(label('badclass', 'X'), label('ok2', 'M', 'n'));
    const { rows, unlabeled, incomplete } = joinLabels('m', ['x', 'y'], events, labels);
    assert.deepEqual(rows.map((r) => r.id), ['ok']);
    assert.equal(unlabeled, 2, 'nolabel and badclass');
    assert.equal(incomplete, 3, 'missing, null and text');
  });
});
