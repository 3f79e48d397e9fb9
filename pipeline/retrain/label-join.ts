/**
 * Recent traffic as training rows: each inference event joined by eventId to
 * its ground-truth label, the event's feature map laid out in the model's
 * feature order. An event without a label yet, a label for another model or
 * class, and an event with a missing or non-numeric feature are left out (the
 * tree trains on complete numeric rows; counted, so the caller can report
 * them). Rows come back oldest first by event time (ties by eventId, so the
 * order does not depend on partition interleaving).
 */
import type { InferenceEvent } from '../serde/inference-event.ts';
import type { Label } from '../serde/label.ts';
import { CLASSES, type Diagnosis, type LabeledRow } from '../model/dataset.ts';

export interface TimedRow extends LabeledRow {
  /** The prediction's event time (timestamp-millis). */
  eventTime: number;
}

export interface LabelJoin {
  rows: TimedRow[];
  unlabeled: number;
  incomplete: number;
}

export function joinLabels(modelId: string, features: readonly string[], events: readonly InferenceEvent[], labels: readonly Label[]): LabelJoin {
  const truth = new Map<string, Diagnosis>();
  for (const l of labels) {
    if (l.modelId === modelId && (CLASSES as readonly string[]).includes(l.label)) truth.set(l.eventId, l.label as Diagnosis);
  }
  const rows: TimedRow[] = [];
  let unlabeled = 0;
  let incomplete = 0;
  for (const e of events) {
    if (e.modelId !== modelId) continue;
    const label = truth.get(e.eventId);
    if (label === undefined) {
      unlabeled++;
      continue;
    }
    const values = features.map((f) => e.features[f]);
    if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) {
      incomplete++;
      continue;
    }
    rows.push({ id: e.eventId, label, values, eventTime: e.eventTime });
  }
  rows.sort((a, b) => a.eventTime - b.eventTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rows, unlabeled, incomplete };
}
