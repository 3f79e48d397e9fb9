/** TypeScript view of schemas/retrain-decision.avsc (checked against it in test/unit/schemas.test.ts). */

export interface RetrainDecision {
  decisionId: string;
  requestId: string;
  modelId: string;
  currentVersion: string;
  candidateVersion: string;
  promoted: boolean;
  currentAccuracy: number;
  candidateAccuracy: number;
  trainingRows: number;
  holdoutRows: number;
  /** timestamp-millis */
  trafficFrom: number;
  reason: string;
  /** timestamp-millis */
  decidedAt: number;
}
