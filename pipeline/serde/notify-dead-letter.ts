/** TypeScript view of schemas/notify-dead-letter.avsc (checked against it in test/unit/schemas.test.ts). */

export interface NotifyDeadLetter {
  deliveryId: string;
  destination: string;
  destinationKind: string;
  event: string;
  modelId: string;
  incidentId: string;
  alertId: string;
  payload: string;
  attempts: number;
  lastError: string;
  lastStatusCode: number | null;
  retriable: boolean;
  sourceTopic: string;
  partition: number;
  offset: number;
  alert: Buffer | null;
  /** timestamp-millis */
  failedAt: number;
}
