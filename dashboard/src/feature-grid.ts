/**
 * The grid of a model's features: one button per feature, coloured and
 * labelled with its status and headline figures; clicking one selects it.
 */
import type { FeatureReport } from '../../pipeline/serde/drift-report.ts';
import { el, fill } from './dom.ts';
import { tileFigures } from './evidence.ts';

export function renderFeatureGrid(box: HTMLElement, features: FeatureReport[], selected: string | undefined, select: (name: string) => void): void {
  fill(
    box,
    ...features.map((f) =>
      el(
        'button',
        {
          className: 'feature',
          data: { feature: f.name, status: f.status },
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
