/**
 * TypeScript view of schemas/inference-event.avsc (checked against it in
 * test/unit/schemas.test.ts).
 */

/** The 30 Breast Cancer Wisconsin (Diagnostic) features, in the schema's order. */
export const WDBC_FEATURES = [
  'mean_radius', 'mean_texture', 'mean_perimeter', 'mean_area', 'mean_smoothness',
  'mean_compactness', 'mean_concavity', 'mean_concave_points', 'mean_symmetry', 'mean_fractal_dimension',
  'radius_error', 'texture_error', 'perimeter_error', 'area_error', 'smoothness_error',
  'compactness_error', 'concavity_error', 'concave_points_error', 'symmetry_error', 'fractal_dimension_error',
  'worst_radius', 'worst_texture', 'worst_perimeter', 'worst_area', 'worst_smoothness',
  'worst_compactness', 'worst_concavity', 'worst_concave_points', 'worst_symmetry', 'worst_fractal_dimension',
] as const;

export type WdbcFeature = (typeof WDBC_FEATURES)[number];

export type WdbcFeatures = Record<WdbcFeature, number | null>;

export interface InferenceEvent {
  eventId: string;
  modelId: string;
  modelVersion: string;
  /** timestamp-millis */
  eventTime: number;
  features: WdbcFeatures;
  predictedClass: string;
  score: number;
  latencyMs: number;
}
