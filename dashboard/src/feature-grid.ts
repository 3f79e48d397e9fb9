/**
 * The grid of a model's features: one button per feature, coloured and
 * labelled with its status and headline figures; clicking one selects it.
 * Worst first (status, then the deciding test's effect), filtered by the
 * filter box, in a box of bounded height: a model of 300 features stays one
 * screen, and the feature that moved is the first tile.
 */
import type { FeatureReport } from '../../pipeline/serde/drift-report.ts';
import { el, fill } from './dom.ts';
import { tileFigures } from './evidence.ts';
import { decidingTest } from '../../services/gateway/report-point.ts';

const RANK: Record<string, number> = { RED: 3, AMBER: 2, STALE: 1, GREEN: 0 };

/** Features worst first: by status, then by the deciding test's statistic, then by name. */
export function bySeverity(features: readonly FeatureReport[]): FeatureReport[] {
  const effect = (f: FeatureReport) => decidingTest(f)?.statistic ?? 0;
  return features.slice().sort((a, b) => (RANK[b.status] ?? 0) - (RANK[a.status] ?? 0) || effect(b) - effect(a) || a.name.localeCompare(b.name));
}

/** The features whose name contains `filter` (case-insensitive). */
export function filtered(features: readonly FeatureReport[], filter: string): FeatureReport[] {
  const needle = filter.trim().toLowerCase();
  return needle ? features.filter((f) => f.name.toLowerCase().includes(needle)) : features.slice();
}

export function renderFeatureGrid(
  box: HTMLElement,
  count: HTMLElement,
  features: FeatureReport[],
  filter: string,
  selected: string | undefined,
  select: (name: string) => void,
): void {
  const shown = filtered(bySeverity(features), filter);
  const flagged = features.filter((f) => f.status !== 'GREEN').length;
  fill(count, `${shown.length} of ${features.length} shown · ${flagged} not GREEN`);
  fill(
    box,
    ...shown.map((f) =>
      el(
        'button',
        {
          className: 'feature',
          data: { feature: f.name, status: f.status, kind: f.kind },
          attrs: { type: 'button', 'aria-pressed': String(f.name === selected) },
          title: f.reason || 'no drift',
          onClick: () => select(f.name),
        },
        el('span', { className: 'name' }, f.name),
        el('span', { className: 'status-text' }, f.status),
        el('span', { className: 'figures' }, tileFigures(f)),
      ),
    ),
  );
}
