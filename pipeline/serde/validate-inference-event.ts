/**
 * Checks an InferenceEvent beyond its Avro types: what the schema cannot say
 * (an id is set, a latency is not negative, a time is set). Only what makes the
 * whole event unusable is a problem here; a bad feature value is counted per
 * feature by the engine (pipeline/drift/window-layout.ts), and a bad score or
 * latency is treated as missing.
 */
import type { InferenceEvent } from './inference-event.ts';

export function validateInferenceEvent(e: InferenceEvent): string[] {
  const problems: string[] = [];
  if (!e.modelId) problems.push('modelId is empty');
  if (!(e.eventTime > 0)) problems.push(`eventTime ${e.eventTime} is not set`);
  return problems;
}
