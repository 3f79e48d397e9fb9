/**
 * Live performance from ground truth: accuracy, precision and recall over the
 * window of labelled predictions, judged against the model's accuracy on its
 * reference rows. A concept shift leaves the inputs healthy and only shows
 * here. The labelled window holds two columns per label: the predicted and
 * the true class, as indices into the profile's classes (NaN if unknown).
 */
import type { WindowSnapshot } from '../windows/event-window.ts';
import type { ReferencePerformance } from '../serde/reference-profile.ts';
import type { Performance, Status } from '../serde/drift-report.ts';
import type { DriftPolicy } from './drift-policy.ts';

export const PREDICTED_COLUMN = 0;
export const ACTUAL_COLUMN = 1;
export const LABELED_WIDTH = 2;

export function evaluatePerformance(
  reference: ReferencePerformance | null,
  classes: readonly string[],
  labeled: WindowSnapshot,
  policy: DriftPolicy,
): Performance | null {
  const predicted = labeled.columns[PREDICTED_COLUMN];
  const actual = labeled.columns[ACTUAL_COLUMN];
  const n = predicted.length;
  if (n === 0) return null;
  const positive = reference ? classes.indexOf(reference.positiveLabel) : -1;
  let correct = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] === actual[i]) correct++;
    if (positive >= 0) {
      if (predicted[i] === positive && actual[i] === positive) tp++;
      else if (predicted[i] === positive) fp++;
      else if (actual[i] === positive) fn++;
    }
  }
  const accuracy = correct / n;
  const referenceAccuracy = reference?.accuracy ?? null;
  let status: Status = 'GREEN';
  let reason = '';
  if (referenceAccuracy !== null && n >= policy.minLabels) {
    const drop = referenceAccuracy - accuracy;
    if (drop >= policy.amberAccuracyDrop) {
      status = drop >= policy.redAccuracyDrop ? 'RED' : 'AMBER';
      reason = `accuracy ${(100 * accuracy).toFixed(1)}% on ${n} labels (reference ${(100 * referenceAccuracy).toFixed(1)}%)`;
    }
  }
  return {
    labeled: n,
    accuracy,
    precision: positive >= 0 && tp + fp > 0 ? tp / (tp + fp) : null,
    recall: positive >= 0 && tp + fn > 0 ? tp / (tp + fn) : null,
    referenceAccuracy,
    status,
    reason,
  };
}
