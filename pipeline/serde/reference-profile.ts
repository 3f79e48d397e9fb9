/** TypeScript view of schemas/reference-profile.avsc (checked against it in test/unit/schemas.test.ts). */

export type ProfileFeatureKind = 'NUMERIC' | 'CATEGORICAL';

export interface CategoryCount {
  value: string;
  count: number;
}

export interface FeatureProfile {
  name: string;
  kind: ProfileFeatureKind;
  /** Reference rows with a value. */
  count: number;
  missingShare: number;
  /** NUMERIC: sorted values, all of them when `exact`, else evenly spaced quantiles. */
  values: number[];
  exact: boolean;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** CATEGORICAL: categories with their reference counts, most frequent first. */
  categories: CategoryCount[];
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
