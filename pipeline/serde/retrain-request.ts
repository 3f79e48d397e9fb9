/** TypeScript view of schemas/retrain-request.avsc (checked against it in test/unit/schemas.test.ts). */

export type RetrainRule = 'DATA_DRIFT' | 'ACCURACY_DROP';

export interface RetrainRequest {
  requestId: string;
  modelId: string;
  modelVersion: string;
  incidentId: string;
  rule: RetrainRule;
  reason: string;
  consecutiveEvaluations: number;
  driftedFeatures: string[];
  accuracy: number | null;
  referenceAccuracy: number | null;
  labeled: number;
  reportId: string;
  /** timestamp-millis */
  evaluatedAt: number;
  /** timestamp-millis */
  requestedAt: number;
}
