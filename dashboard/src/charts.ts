/**
 * The dashboard's uPlot charts: time series with a dashed threshold line
 * (a feature's p-value on a log axis and its PSI; latency; throughput) and
 * the reference-vs-current histogram as two step lines over the bin edges.
 * Each chart is created once and fed new data; it follows its box's width.
 */
import uPlot from 'uplot';

const COLORS = { line: '#2563eb', threshold: '#dc2626', reference: '#6b7280', current: '#ea580c' };
const HEIGHT = 170;

function widthOf(box: HTMLElement): number {
  return Math.max(240, Math.floor(box.clientWidth || 360));
}

abstract class Chart {
  protected plot: uPlot | undefined;

  constructor(protected readonly box: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize({ width: widthOf(box), height: HEIGHT })).observe(box);
  }

  protected draw(options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): void {
    if (this.plot && this.plot.series.length === options.series.length) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.plot = new uPlot({ ...options, width: widthOf(this.box), height: HEIGHT }, data, this.box);
  }
}

/** On the p-value axis, only every third power of ten gets a tick and a grid line. */
function logSplits(_u: uPlot, splits: number[]): (number | null)[] {
  return splits.map((v) => {
    const exponent = Math.log10(v);
    return Math.abs(exponent - Math.round(exponent)) < 1e-9 && Math.round(exponent) % 3 === 0 ? v : null;
  });
}

/**
 * The p-value axis: log-scaled, from the smallest value in view (at most
 * 1e-3, so that alpha is always on it) up to 1. With no value in view (a
 * feature in none of the points the page has, as after a reconnect's history,
 * which carries points without features, until its series is fetched) uPlot
 * passes null, and a log axis must never start at 0 or below: log10 of it is
 * -Infinity and uPlot's log tick generator then pushes ticks until the array
 * overflows ("Invalid array length").
 */
export function pValueRange(min: number | null): [number, number] {
  return [min !== null && min > 0 ? Math.min(min, 1e-3) : 1e-3, 1];
}

/** A linear axis from 0 with headroom above the largest value. uPlot's types say number, but with nothing in view it passes null. */
export function valueRange(min: number | null, max: number | null): [number, number] {
  return [Math.min(0, min ?? 0), max !== null && max > 0 ? max * 1.1 : 1];
}

function logTick(value: number): string {
  return value >= 0.01 ? String(value) : `1e${Math.round(Math.log10(value))}`;
}

export interface TimeSeriesSpec {
  label: string;
  unit: string;
  thresholdLabel?: string;
  /** Log-scaled y axis (p-values). */
  log?: boolean;
}

/** One measured series over time, optionally with its decision threshold. */
export class TimeSeriesChart extends Chart {
  constructor(
    box: HTMLElement,
    private readonly spec: TimeSeriesSpec,
  ) {
    super(box);
  }

  update(time: number[], values: (number | null)[], threshold?: (number | null)[]): void {
    const { spec } = this;
    const series: uPlot.Series[] = [{}, { label: spec.label, stroke: COLORS.line, width: 2, points: { show: time.length < 40 } }];
    const data: (number | null)[][] = [time, values];
    if (threshold && spec.thresholdLabel) {
      series.push({ label: spec.thresholdLabel, stroke: COLORS.threshold, dash: [6, 4], width: 1.5, points: { show: false } });
      data.push(threshold);
    }
    this.draw(
      {
        series,
        scales: { x: { time: true }, y: spec.log ? { distr: 3, log: 10, range: (_u, min) => pValueRange(min) } : { range: (_u, min, max) => valueRange(min, max) } },
        axes: [{}, { label: spec.unit, size: 60, values: spec.log ? (_u, splits) => splits.map((v) => (v == null ? '' : logTick(v))) : undefined, filter: spec.log ? logSplits : undefined, grid: spec.log ? { filter: logSplits } : undefined, ticks: spec.log ? { filter: logSplits } : undefined }],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      },
      data as uPlot.AlignedData,
    );
  }
}

/** Reference and current shares per bin, drawn as step lines over the shared bin edges. */
export class HistogramChart extends Chart {
  update(edges: number[], reference: number[], current: number[]): void {
    const steps = uPlot.paths.stepped!({ align: 1 });
    this.draw(
      {
        series: [
          {},
          { label: 'reference', stroke: COLORS.reference, fill: 'rgba(107,114,128,0.25)', paths: steps, width: 1.5, points: { show: false } },
          { label: 'current window', stroke: COLORS.current, fill: 'rgba(234,88,12,0.2)', paths: steps, width: 2, points: { show: false } },
        ],
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(0.05, max * 1.1)] } },
        axes: [{ label: 'value' }, { label: 'share', size: 50 }],
        cursor: { drag: { x: false, y: false } },
      },
      [edges, reference, current],
    );
  }
}
