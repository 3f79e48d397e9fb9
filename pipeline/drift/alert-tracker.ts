/**
 * Turns the stream of drift reports into the stream of state changes: one
 * Alert when a model, or one of its features, changes status — not one per
 * evaluation. A model or feature never seen is taken to be GREEN, so a first
 * report that is already RED raises an alert and a first GREEN one does not.
 */
import type { Alert } from '../serde/alert.ts';
import type { DriftReport, Status } from '../serde/drift-report.ts';

interface ModelState {
  status: Status;
  features: Map<string, Status>;
  /** evaluatedAt of the report this state comes from (-Infinity: none). */
  at: number;
}

export class AlertTracker {
  private readonly models = new Map<string, ModelState>();

  /** @param newId id source for alerts (injectable for tests) */
  constructor(private readonly newId: () => string) {}

  /** Restores the last known state of a model or feature (e.g. replayed from the alerts topic). */
  restore(alert: Pick<Alert, 'modelId' | 'scope' | 'feature' | 'status'>): void {
    const state = this.state(alert.modelId);
    if (alert.scope === 'MODEL') state.status = alert.status;
    else if (alert.feature !== null) state.features.set(alert.feature, alert.status);
  }

  /**
   * Makes a published report the model's state, unless the state already
   * comes from a later report. The reports topic is the changelog of this
   * state: it is written in the same transaction as the alerts and the input
   * offsets, so any engine that reads it (at start, or when a partition is
   * handed over to it) continues exactly where the last owner stopped, and
   * reading its own reports back late changes nothing.
   */
  restoreReport(report: Pick<DriftReport, 'modelId' | 'status' | 'features' | 'evaluatedAt'>): void {
    const state = this.state(report.modelId);
    if (report.evaluatedAt <= state.at) return;
    state.at = report.evaluatedAt;
    state.status = report.status;
    for (const f of report.features) state.features.set(f.name, f.status);
  }

  /** The alerts that `report` raises, in order: the model first, then its features; applied at once. */
  update(report: DriftReport): Alert[] {
    const alerts = this.preview([report]);
    this.apply(alerts);
    return alerts;
  }

  /**
   * The alerts that `reports` would raise, without changing any state: the
   * caller applies them once they are published, so a failed publish raises
   * them again next time instead of losing them.
   */
  preview(reports: readonly DriftReport[]): Alert[] {
    const alerts: Alert[] = [];
    for (const report of reports) {
      const state = this.models.get(report.modelId);
      const make = (scope: Alert['scope'], feature: string | null, previousStatus: Status, status: Status, reason: string): Alert => ({
        alertId: this.newId(),
        modelId: report.modelId,
        modelVersion: report.modelVersion,
        scope,
        feature,
        previousStatus,
        status,
        reason,
        raisedAt: report.evaluatedAt,
        reportId: report.reportId,
      });
      const before = state?.status ?? 'GREEN';
      if (report.status !== before) alerts.push(make('MODEL', null, before, report.status, report.reason));
      for (const f of report.features) {
        const was = state?.features.get(f.name) ?? 'GREEN';
        if (f.status !== was) alerts.push(make('FEATURE', f.name, was, f.status, f.reason || 'back to normal'));
      }
    }
    return alerts;
  }

  /** Makes published alerts the current state. */
  apply(alerts: readonly Alert[]): void {
    for (const a of alerts) this.restore(a);
  }

  private state(modelId: string): ModelState {
    let s = this.models.get(modelId);
    if (!s) {
      s = { status: 'GREEN', features: new Map(), at: -Infinity };
      this.models.set(modelId, s);
    }
    return s;
  }
}
