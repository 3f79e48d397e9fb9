/**
 * The Prometheus text exposition format (0.0.4), written by hand: a handful
 * of counters and gauges per service do not need a client library.
 */

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Sample = [labels: Record<string, string | number>, value: number];

/** One metric family: HELP and TYPE lines, then a line per sample (label values escaped as the format asks). */
export function family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    const entries = Object.entries(labels);
    const rendered = entries.length
      ? `{${entries.map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
      : '';
    lines.push(`${name}${rendered} ${Number.isFinite(value) ? value : 'NaN'}`);
  }
  return lines.join('\n');
}

/** Per-partition consumer lag of a topic. */
export interface PartitionLag {
  partition: number;
  lag: number;
}
