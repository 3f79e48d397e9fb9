/** The alerts one drift report raises, as the engine publishes them, for the notify tests. */
import { randomUUID } from 'node:crypto';
import type { Alert } from '../../pipeline/serde/alert.ts';

/** The MODEL change (if any) first, then the feature changes, all with one reportId. */
export function reportAlerts(
  modelId: string,
  change: [from: string, to: string] | null,
  features: [name: string, from: string, to: string][] = [],
  reportId: string = randomUUID(),
  raisedAt = Date.now(),
): Alert[] {
  const base = { modelId, modelVersion: 'v1', raisedAt, reportId };
  const alerts: Alert[] = [];
  if (change) {
    const [previousStatus, status] = change as [Alert['status'], Alert['status']];
    alerts.push({ ...base, alertId: randomUUID(), scope: 'MODEL', feature: null, previousStatus, status, reason: `${modelId} ${status}` });
  }
  for (const [name, from, to] of features) {
    const [previousStatus, status] = [from, to] as [Alert['status'], Alert['status']];
    alerts.push({ ...base, alertId: randomUUID(), scope: 'FEATURE', feature: name, previousStatus, status, reason: `${name}: KS D 0.97, PSI 4.8` });
  }
  return alerts;
}
