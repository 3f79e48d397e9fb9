/**
 * The model service's one call: classify a feature vector and time it.
 * The latency is process.hrtime around the model call alone, in milliseconds.
 */
import { classify, type CartModel, type FeatureValues } from '../../pipeline/model/cart-model.ts';
import type { Diagnosis } from '../../pipeline/model/dataset.ts';

export interface Inference {
  predictedClass: Diagnosis;
  score: number;
  latencyMs: number;
}

export function infer(model: CartModel, values: FeatureValues): Inference {
  const start = process.hrtime.bigint();
  const { label, score } = classify(model, values);
  const latencyMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { predictedClass: label, score, latencyMs };
}
