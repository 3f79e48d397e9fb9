/**
 * The selected feature's evidence: status and since when, its reason, means
 * and shares, its p-value and PSI over time with their thresholds, and the
 * reference-vs-current histogram of the latest report.
 */
import type { CategoryShare, DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ReportPoint } from '../../services/gateway/report-point.ts';
import { byId, el, fill } from './dom.ts';
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
    const categorical = f.kind === 'CATEGORICAL';
    fill(
      byId('feature-figures'),
      (categorical ? `categorical, decided by ${f.decidingTest || '–'} · ` : `mean ${formatNumber(f.referenceMean)} (reference) → ${formatNumber(f.currentMean)} (window) · `) +
        `missing ${formatPercent(f.missingShare)} · invalid ${formatPercent(f.invalidShare)} · ` +
        `${categorical ? 'unseen categories' : 'out of range'} ${formatPercent(f.outOfRangeShare)} · ` +
        `n ${f.nReference} reference, ${f.nCurrent} window`,
    );
    byId('histogram-figure').hidden = categorical;
    byId('categories-figure').hidden = !categorical;
    if (categorical) renderCategoryShares(byId('category-shares'), f.categories);
    const series = featureSeries(points, name);
    fill(byId('pvalue-caption'), `${series.testName ?? 'test'} p-value (log scale) and significance level`);
    this.pValue.update(series.time, series.pValue, series.alpha);
    this.psi.update(series.time, series.psi, series.psiThreshold);
    if (!categorical) {
      const h = histogramSteps(f);
      this.histogram.update(h.edges, h.reference, h.current);
    }
  }
}

/** Each category's share of the reference (grey) and of the window (blue), largest first; unseen categories marked. */
function renderCategoryShares(box: HTMLElement, categories: readonly CategoryShare[]): void {
  const sorted = categories.slice().sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current));
  const width = (share: number) => `${Math.max(0.5, 100 * share).toFixed(1)}%`;
  fill(
    box,
    ...sorted.flatMap((c) => [
      el('span', { className: c.seen ? 'category' : 'category unseen', title: c.seen ? c.value : `${c.value}: not in the reference` }, c.value),
      el(
        'span',
        { className: 'bars' },
        bar('reference', width(c.reference)),
        bar('current', width(c.current)),
      ),
      el('span', { data: { category: c.value } }, `${formatPercent(c.reference)} → ${formatPercent(c.current)}`),
    ]),
  );
}

/** A share bar; its width is set through the CSSOM, which the page's style-src policy allows (a style attribute it would not). */
function bar(side: 'reference' | 'current', width: string): HTMLElement {
  const node = el('span', { className: `bar ${side}` });
  node.style.width = width;
  return node;
}
