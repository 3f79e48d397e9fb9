/**
 * Which destinations an alert reaches: the model id matches one of the
 * destination's globs (minimatch, so `fraud-*`, `{a,b}-*`, `*`) and the
 * status is at least as severe as its minStatus.
 */
import { minimatch } from 'minimatch';
import { severityOf } from './severity.ts';
import type { Destination } from './notify-config.ts';

export function routes(destination: Pick<Destination, 'models' | 'minStatus'>, modelId: string, status: string): boolean {
  return (
    severityOf(status) >= severityOf(destination.minStatus) &&
    destination.models.some((glob) => minimatch(modelId, glob, { nocomment: true, nonegate: true }))
  );
}
