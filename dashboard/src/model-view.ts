/**
 * The selected model's head (traffic light, status text, since when, reason)
 * and its service panel: P95 latency and throughput over time, the
 * integrity counters of the latest window, and live accuracy from labels.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ReportPoint } from '../../services/gateway/report-point.ts';
import { byId, el, fill } from './dom.ts';
import { formatNumber, formatPercent, opsSeries, statusSince } from './evidence.ts';
import { since } from './format.ts';
import { TimeSeriesChart } from './charts.ts';

export class ModelView {
  private readonly latency = new TimeSeriesChart(byId('chart-latency'), { label: 'p95', unit: 'ms' });
  private readonly throughput = new TimeSeriesChart(byId('chart-throughput'), { label: 'events/s', unit: 'events/s' });

  render(points: readonly ReportPoint[], latest: DriftReport): void {
    byId('detail').hidden = false;
    byId('model-light').dataset.status = latest.status;
    fill(byId('model-title'), latest.modelId);
    const status = byId('model-status');
    status.dataset.status = latest.status;
    fill(status, latest.status);
    fill(byId('model-since'), since(statusSince(points, (p) => p.status)));
    fill(byId('model-reason'), latest.reason);
    const d = latest.dataset;
    fill(
      byId('model-meta'),
      `version ${latest.modelVersion} · ${latest.eventCount} events in the window · ` +
        `${d.drifted}/${d.total} features drifted (dataset threshold ${formatPercent(d.threshold)}) · ` +
        `prediction ${latest.prediction.drifted ? 'drifted' : 'stable'}`,
    );

    const ops = opsSeries(points);
    this.latency.update(ops.time, ops.p95);
    this.throughput.update(ops.time, ops.eventsPerSecond);
    const i = latest.integrity;
    fill(
      byId('integrity'),
      ...row('Missing values', formatPercent(i.missingShare)),
      ...row('Out of range', formatPercent(i.outOfRangeShare)),
      ...row('Dead-lettered since last report', String(i.invalidEvents)),
      ...row('Dead-lettered since engine start', String(i.invalidEventsTotal)),
      ...row('Latency p50 / p95 / p99', `${formatNumber(latest.latency.p50)} / ${formatNumber(latest.latency.p95)} / ${formatNumber(latest.latency.p99)} ms`),
      ...row('Throughput', `${formatNumber(latest.throughput.eventsPerSecond, 1)} events/s`),
      ...performanceRows(latest),
    );
  }
}

/** Live accuracy from ground-truth labels (older reports, written before the field existed, have none). */
function performanceRows(report: DriftReport): HTMLElement[] {
  const p = report.performance;
  if (!p || p.accuracy === null) return row('Accuracy (labels)', 'no labels yet');
  const reference = p.referenceAccuracy === null ? '' : ` (reference ${formatPercent(p.referenceAccuracy)})`;
  return [
    ...row('Accuracy (labels)', `${formatPercent(p.accuracy)} on ${p.labeled} labels${reference} — ${p.status}`),
    ...row('Precision / recall', `${p.precision === null ? '–' : formatPercent(p.precision)} / ${p.recall === null ? '–' : formatPercent(p.recall)}`),
  ];
}

function row(term: string, value: string): HTMLElement[] {
  return [el('dt', {}, term), el('dd', { data: { term } }, value)];
}
