/** TypeScript view of schemas/alert.avsc (checked against it in test/unit/schemas.test.ts). */
import type { Status } from './drift-report.ts';

export type AlertScope = 'MODEL' | 'FEATURE';

export interface Alert {
  alertId: string;
  modelId: string;
  modelVersion: string;
  scope: AlertScope;
  feature: string | null;
  previousStatus: Status;
  status: Status;
  reason: string;
  /** timestamp-millis */
  raisedAt: number;
  reportId: string;
}
