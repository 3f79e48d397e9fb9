/**
 * When to try a delivery again, and when to give up. Exponential backoff with
 * "full jitter" — the wait before attempt n+1 is uniform in
 * [0, min(maxDelay, base·2^(n-1))] (M. Brooker, "Exponential Backoff and
 * Jitter", AWS Architecture Blog, 2015): many senders retrying the same
 * receiver spread out instead of arriving in waves. A Retry-After from the
 * receiver is a floor on the wait. Bounded twice: by attempts and by time
 * since the first attempt, so one dead endpoint cannot hold the stream forever.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No attempt starts later than this after the first one. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000, maxElapsedMs: 300_000 };

/** What one attempt came to. `retriable: false` means trying again cannot help (e.g. 400, 401, 404). */
export type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retriable: boolean; status: number | null; error: string; retryAfterMs: number | null };

export type NextStep = { action: 'retry'; delayMs: number } | { action: 'give-up'; why: string };

/** The jittered backoff before attempt `attempt + 1` (`attempt` ≥ 1); `random` in [0, 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random * ceiling);
}

/** After a failed attempt number `attempt`, `elapsedMs` after the first began: wait and retry, or give up. */
export function nextStep(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  outcome: Extract<AttemptOutcome, { ok: false }>,
  random: number,
): NextStep {
  if (!outcome.retriable) return { action: 'give-up', why: `not retriable: ${outcome.error}` };
  if (attempt >= policy.maxAttempts) return { action: 'give-up', why: `${attempt} attempts: ${outcome.error}` };
  const delayMs = Math.max(backoffDelay(policy, attempt, random), outcome.retryAfterMs ?? 0);
  if (elapsedMs + delayMs > policy.maxElapsedMs) {
    return { action: 'give-up', why: `next attempt would start after ${policy.maxElapsedMs} ms: ${outcome.error}` };
  }
  return { action: 'retry', delayMs };
}

/**
 * Whether an HTTP status is worth retrying: 408 (timeout), 425 (too early),
 * 429 (rate limited) and 5xx are transient; any other 4xx is the request's
 * fault and will fail the same way again.
 */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
