/**
 * What a failure means for whoever handles it, in three kinds (kafkajs marks
 * its own errors the same way with a `retriable` flag):
 *
 * - RetriableError: the operation may succeed later unchanged — a dependency is
 *   down, slow or restarting (connection refused, timeout, leader election).
 *   Retry with backoff within a deadline; past it, report ONE line naming the
 *   dependency and what to do (the CLI exits 1).
 * - PoisonError: this input will never succeed, however often it is retried —
 *   an undecodable record, a value outside its contract, a bad flag. Set it
 *   aside (dead-letter topic, exit 2 with one line) and go on; retrying only
 *   blocks the partition behind it.
 * - BugError: an invariant of our own code broke. Crash loudly with the stack
 *   trace: neither retrying nor skipping makes it right.
 *
 * `classify` maps any thrown value onto these kinds, so a consumer loop can
 * decide between retry, dead-letter and crash without knowing every library's
 * error classes.
 */

export type FailureKind = 'retriable' | 'poison' | 'bug';

export class RetriableError extends Error {
  readonly retriable = true;
  override name = 'RetriableError';
}

export class PoisonError extends Error {
  readonly retriable = false;
  override name = 'PoisonError';
}

export class BugError extends Error {
  readonly retriable = false;
  override name = 'BugError';
}

/** Node's network error codes that mean "not now", not "never". */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The kind of any thrown value: our own classes first, then a `retriable`
 * flag (kafkajs' KafkaJSError and its subclasses carry one), then Node's
 * transient network codes; anything else is a bug.
 */
export function classify(err: unknown): FailureKind {
  if (err instanceof RetriableError) return 'retriable';
  if (err instanceof PoisonError) return 'poison';
  if (err instanceof BugError) return 'bug';
  const e = err as { retriable?: unknown; code?: unknown; cause?: unknown } | null;
  if (e && typeof e === 'object') {
    if (e.retriable === true) return 'retriable';
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return 'retriable';
    if (e.cause !== undefined && e.cause !== err) return classify(e.cause) === 'retriable' ? 'retriable' : 'bug';
  }
  return 'bug';
}

export function isRetriable(err: unknown): boolean {
  return classify(err) === 'retriable';
}
