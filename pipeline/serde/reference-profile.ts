/** TypeScript view of schemas/reference-profile.avsc (checked against it in test/unit/schemas.test.ts). */

export interface FeatureProfile {
  name: string;
  /** Non-missing reference values, sorted ascending. */
  values: number[];
  missingShare: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  binEdges: number[];
}

export interface ProfileClassShare {
  label: string;
  share: number;
  count: number;
}

export interface ReferenceProfile {
  modelId: string;
  modelVersion: string;
  /** timestamp-millis */
  createdAt: number;
  rowCount: number;
  features: FeatureProfile[];
  prediction: {
    classes: ProfileClassShare[];
    /** Reference scores, sorted ascending. */
    scores: number[];
  };
  performance: ReferencePerformance | null;
}

export interface ReferencePerformance {
  rows: number;
  positiveLabel: string;
  accuracy: number;
  precision: number;
  recall: number;
}
