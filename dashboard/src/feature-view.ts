/**
 * The selected feature's evidence: status and since when, its reason, means
 * and shares, its p-value and PSI over time with their thresholds, and the
 * reference-vs-current histogram of the latest report.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ReportPoint } from '../../services/gateway/report-point.ts';
import { byId, fill } from './dom.ts';
import { feature, featureSeries, formatNumber, formatPercent, histogramSteps, statusSince } from './evidence.ts';
import { since } from './format.ts';
import { HistogramChart, TimeSeriesChart } from './charts.ts';

export class FeatureView {
  private readonly pValue = new TimeSeriesChart(byId('chart-pvalue'), { label: 'p-value (adjusted)', unit: 'p', thresholdLabel: 'alpha', log: true });
  private readonly psi = new TimeSeriesChart(byId('chart-psi'), { label: 'PSI', unit: 'PSI', thresholdLabel: 'threshold' });
  private readonly histogram = new HistogramChart(byId('chart-histogram'));

  render(points: readonly ReportPoint[], latest: DriftReport, name: string): void {
    const f = feature(latest, name);
    const box = byId('feature-detail');
    box.dataset.feature = name;
    if (!f) {
      fill(byId('feature-title'), `${name}: not in the latest report`);
      return;
    }
    box.dataset.status = f.status;
    fill(byId('feature-title'), `${f.name} — ${f.status} `, since(statusSince(points, (p) => feature(p, name)?.status)));
    fill(byId('feature-reason'), f.reason || 'no drift');
    // Why RED and not AMBER (or AMBER and not RED), in one line; absent from reports older than the field.
    fill(byId('feature-severity'), f.severity ?? '');
    fill(
      byId('feature-figures'),
      `mean ${formatNumber(f.referenceMean)} (reference) → ${formatNumber(f.currentMean)} (window) · ` +
        `missing ${formatPercent(f.missingShare)} · out of range ${formatPercent(f.outOfRangeShare)} · ` +
        `n ${f.nReference} reference, ${f.nCurrent} window`,
    );
    const series = featureSeries(points, name);
    fill(byId('pvalue-caption'), `${series.testName ?? 'test'} p-value (log scale) and significance level`);
    this.pValue.update(series.time, series.pValue, series.alpha);
    this.psi.update(series.time, series.psi, series.psiThreshold);
    const h = histogramSteps(f);
    this.histogram.update(h.edges, h.reference, h.current);
  }
}
