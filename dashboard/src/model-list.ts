/**
 * The list of models, one card each: a traffic light, the status written
 * out (GREEN / AMBER / RED, never colour alone), the model id and the reason.
 * Clicking a card selects the model.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import { el, fill } from './dom.ts';

export function trafficLight(status: string): HTMLElement {
  return el('span', { className: 'light', data: { status }, attrs: { 'aria-hidden': 'true' } }, el('span'), el('span'), el('span'));
}

export function renderModelList(box: HTMLElement, latest: Pick<DriftReport, 'modelId' | 'status' | 'reason'>[], selected: string | undefined, select: (modelId: string) => void): void {
  if (latest.length === 0) {
    fill(box, el('p', { className: 'empty' }, 'Waiting for drift reports…'));
    return;
  }
  fill(
    box,
    ...latest.map((report) =>
      el(
        'button',
        {
          className: 'model-card',
          data: { model: report.modelId, status: report.status },
          attrs: { type: 'button', 'aria-current': String(report.modelId === selected) },
          onClick: () => select(report.modelId),
        },
        trafficLight(report.status),
        el('span', {}, el('span', { className: 'status-text' }, report.status), ' ', el('span', { className: 'name' }, report.modelId)),
        el('p', { className: 'reason' }, report.reason),
      ),
    ),
  );
}
