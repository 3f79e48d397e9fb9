/**
 * TypeScript view of schemas/inference-event.avsc (checked against it in
 * test/unit/schemas.test.ts): one contract for every model, its features a
 * map from name to value.
 */

/** A feature value as the contract carries it: null is missing. */
export type FeatureValue = null | boolean | number | string;

export interface InferenceEvent {
  eventId: string;
  modelId: string;
  modelVersion: string;
  /** timestamp-millis */
  eventTime: number;
  features: Record<string, FeatureValue>;
  /** Class label (or a regressor's value); null when not reported. */
  prediction: FeatureValue;
  score: number | null;
  latencyMs: number | null;
}
