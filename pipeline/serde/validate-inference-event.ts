/**
 * Checks an InferenceEvent beyond its Avro types: what the schema cannot say
 * (a score is a probability, a latency is not negative, a time is set).
 */
import type { InferenceEvent } from './inference-event.ts';

export function validateInferenceEvent(e: InferenceEvent): string[] {
  const problems: string[] = [];
  if (!e.modelId) problems.push('modelId is empty');
  if (!(e.score >= 0 && e.score <= 1)) problems.push(`score ${e.score} is not a probability in [0, 1]`);
  if (!(e.latencyMs >= 0) || !Number.isFinite(e.latencyMs)) problems.push(`latencyMs ${e.latencyMs} is not a finite non-negative number`);
  if (!(e.eventTime > 0)) problems.push(`eventTime ${e.eventTime} is not set`);
  if (!e.predictedClass) problems.push('predictedClass is empty');
  return problems;
}
