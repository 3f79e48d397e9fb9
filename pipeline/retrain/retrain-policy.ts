/**
 * When to ask for a retrain. A retrain is costly and fixes only one kind of
 * trouble — the world moved away from the training data — so the policy asks
 * for it on evidence of that, sustained, and once per incident:
 *
 * - DATA_DRIFT: the model is RED because its inputs drifted (a RED feature whose
 *   distribution test says drifted, or dataset drift), for `consecutive`
 *   evaluations in a row. Features whose trouble is missing values (share at or
 *   above `maxMissingShare`) do not count: a NaN burst is a broken pipe, and a
 *   model retrained on it learns the breakage.
 * - ACCURACY_DROP: live accuracy from ground-truth labels is below the
 *   reference's by at least `accuracyMargin`, over at least `minLabels`
 *   labelled predictions, for `consecutive` evaluations — the only view of a
 *   concept shift, where the inputs stay healthy and the answers go wrong.
 *
 * An incident runs from the report that takes a model out of GREEN to the next
 * GREEN report; its id is that first report's reportId (the engine raises the
 * opening alert on the same report, so notifications and requests share it).
 * A request is made at most once per incident, whichever rule fires first.
 */
import type { DriftReport } from '../serde/drift-report.ts';
import type { RetrainRule } from '../serde/retrain-request.ts';
import { isHealthy, severityOf } from '../notify/severity.ts';

export interface RetrainPolicy {
  enabled: boolean;
  /** Evaluations in a row a rule must hold for. */
  consecutive: number;
  onDataDrift: boolean;
  onAccuracyDrop: boolean;
  /** Reference accuracy minus live accuracy at which ACCURACY_DROP holds. */
  accuracyMargin: number;
  /** Labelled predictions a window needs before its accuracy counts. */
  minLabels: number;
  /** A drifted feature with at least this missing share is an integrity failure, not data drift. */
  maxMissingShare: number;
}

export const DEFAULT_RETRAIN_POLICY: RetrainPolicy = {
  enabled: true,
  consecutive: 3,
  onDataDrift: true,
  onAccuracyDrop: true,
  accuracyMargin: 0.1,
  minLabels: 200,
  maxMissingShare: 0.2,
};

export interface Finding {
  rule: RetrainRule;
  reason: string;
  driftedFeatures: string[];
}

/** What one report says about retraining, on its own (no memory of earlier reports). */
export function assessReport(report: DriftReport, policy: RetrainPolicy): Finding | null {
  const drifted = report.features.filter((f) => f.drifted && f.missingShare < policy.maxMissingShare);
  const names = drifted.map((f) => f.name);
  if (policy.onDataDrift && severityOf(report.status) === 2 && (report.dataset.detected || drifted.some((f) => severityOf(f.status) === 2))) {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    return { rule: 'DATA_DRIFT', reason: `RED with data drift in ${shown}`, driftedFeatures: names };
  }
  const p = report.performance;
  if (
    policy.onAccuracyDrop &&
    p !== null &&
    p.accuracy !== null &&
    p.referenceAccuracy !== null &&
    p.labeled >= policy.minLabels &&
    p.referenceAccuracy - p.accuracy >= policy.accuracyMargin
  ) {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return {
      rule: 'ACCURACY_DROP',
      reason: `live accuracy ${pct(p.accuracy)} vs reference ${pct(p.referenceAccuracy)} over ${p.labeled} labels`,
      driftedFeatures: names,
    };
  }
  return null;
}

export interface IncidentState {
  /** The open incident (null while GREEN). */
  incidentId: string | null;
  /** Whether this incident already has its request. */
  requested: boolean;
}

export interface RetrainDecision extends Finding {
  incidentId: string;
  consecutive: number;
  report: DriftReport;
}

interface ModelState extends IncidentState {
  consecutive: number;
}

/**
 * The policy over a model's stream of reports. `restore` gives the incident
 * state of a model the first time it is seen (a restarted service recovers it
 * from the topics; see restoreIncident); the default assumes none is open.
 */
export class RetrainTrigger {
  private readonly models = new Map<string, ModelState>();

  constructor(
    private readonly policy: RetrainPolicy,
    private readonly restore: (report: DriftReport) => IncidentState = () => ({ incidentId: null, requested: false }),
  ) {}

  /** Feed each report in order; returns a decision when a request is due. */
  onReport(report: DriftReport): RetrainDecision | null {
    if (!this.policy.enabled) return null;
    let state = this.models.get(report.modelId);
    if (!state) {
      state = { ...this.restore(report), consecutive: 0 };
      this.models.set(report.modelId, state);
    }
    if (isHealthy(report.status)) {
      Object.assign(state, { incidentId: null, requested: false, consecutive: 0 });
      return null;
    }
    if (state.incidentId === null) Object.assign(state, { incidentId: report.reportId, requested: false, consecutive: 0 });
    const finding = assessReport(report, this.policy);
    state.consecutive = finding ? state.consecutive + 1 : 0;
    if (!finding || state.requested || state.consecutive < this.policy.consecutive) return null;
    state.requested = true;
    return { ...finding, incidentId: state.incidentId!, consecutive: state.consecutive, report };
  }
}

export interface ModelAlertRecord {
  status: string;
  previousStatus: string;
  raisedAt: number;
  reportId: string;
}

/**
 * A restarted trigger's view of the incident `report` belongs to, from the
 * model's MODEL alerts (the engine's changelog of status changes, in topic
 * order) and the incident of its last request: the incident is open since
 * the last alert that left GREEN at or before the report, unless a later
 * one returned to GREEN. Counting consecutive evaluations starts again at 0,
 * so a restart delays a request by at most `consecutive` evaluations and
 * never repeats one.
 */
export function restoreIncident(report: DriftReport, alerts: readonly ModelAlertRecord[], lastRequestIncident: string | undefined): IncidentState {
  if (isHealthy(report.status)) return { incidentId: null, requested: false };
  const upTo = alerts.filter((a) => a.raisedAt <= report.evaluatedAt);
  const latest = upTo.at(-1);
  let incidentId = report.reportId;
  if (latest && !isHealthy(latest.status)) {
    let i = upTo.length - 1;
    while (i > 0 && !isHealthy(upTo[i].previousStatus)) i--;
    incidentId = upTo[i].reportId;
  }
  return { incidentId, requested: incidentId === lastRequestIncident };
}
