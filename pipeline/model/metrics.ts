/**
 * Binary classification metrics with one class taken as positive:
 * accuracy = (TP+TN)/n, precision = TP/(TP+FP), recall = TP/(TP+FN).
 * A ratio with an empty denominator is reported as 0.
 */
export interface ConfusionCounts {
  truePositive: number;
  falsePositive: number;
  trueNegative: number;
  falseNegative: number;
}

export interface ClassificationMetrics extends ConfusionCounts {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
}

export function confusion<L>(actual: readonly L[], predicted: readonly L[], positive: L): ConfusionCounts {
  if (actual.length !== predicted.length) throw new Error(`${actual.length} labels but ${predicted.length} predictions`);
  const counts: ConfusionCounts = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (p === positive) counts[a === positive ? 'truePositive' : 'falsePositive']++;
    else counts[a === positive ? 'falseNegative' : 'trueNegative']++;
  });
  return counts;
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);

export function classificationMetrics<L>(actual: readonly L[], predicted: readonly L[], positive: L): ClassificationMetrics {
  const c = confusion(actual, predicted, positive);
  return {
    ...c,
    n: actual.length,
    accuracy: ratio(c.truePositive + c.trueNegative, actual.length),
    precision: ratio(c.truePositive, c.truePositive + c.falsePositive),
    recall: ratio(c.truePositive, c.truePositive + c.falseNegative),
  };
}
