/**
 * Delivers notifications to one destination over HTTP: waits for its turn in
 * the destination's rate limit, signs each attempt afresh, and retries on the
 * pure retry schedule until delivered or given up. Logs carry the destination's
 * name, never its URL, headers or secret.
 */
import type { Logger } from '../log.ts';
import type { Destination } from '../../pipeline/notify/notify-config.ts';
import type { Notification } from '../../pipeline/notify/incidents.ts';
import { buildRequest } from '../../pipeline/notify/payloads.ts';
import { TokenBucket } from '../../pipeline/notify/token-bucket.ts';
import { isRetriableStatus, nextStep, parseRetryAfter, type AttemptOutcome, type RetryPolicy } from '../../pipeline/notify/retry-schedule.ts';

export type DeliveryResult =
  | { delivered: true; attempts: number; elapsedMs: number }
  | { delivered: false; attempts: number; elapsedMs: number; lastError: string; lastStatus: number | null; retriable: boolean; body: string };

export class Aborted extends Error {
  override name = 'Aborted';
}

/** Waits `ms`, calling `heartbeat` every few seconds (a long backoff must not cost the consumer its group membership). */
async function wait(ms: number, signal: AbortSignal, heartbeat: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    if (signal.aborted) throw new Aborted('stopping');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(left, 3000));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    await heartbeat();
  }
  if (signal.aborted) throw new Aborted('stopping');
}

export class DestinationSender {
  private readonly bucket: TokenBucket;

  constructor(
    readonly destination: Destination,
    private readonly retry: RetryPolicy,
    private readonly dashboardUrl: string,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.bucket = new TokenBucket(destination.ratePerMinute, destination.burst, Date.now());
  }

  /** Delivers `n`, or says why not. Throws Aborted when `signal` fires (nothing is parked then). */
  async deliver(n: Notification, signal: AbortSignal, heartbeat: () => Promise<void>): Promise<DeliveryResult> {
    const started = Date.now();
    const context = { destination: this.destination.name, deliveryId: n.deliveryId, modelId: n.alert.modelId, event: n.event };
    for (let attempt = 1; ; attempt++) {
      await wait(this.bucket.reserve(Date.now()), signal, heartbeat);
      const request = buildRequest(n, this.destination, this.dashboardUrl, Date.now());
      const outcome = await this.attempt(request.body, request.headers, signal);
      const elapsedMs = Date.now() - started;
      if (outcome.ok) {
        this.log.info({ ...context, attempts: attempt, status: outcome.status, elapsedMs }, 'delivered');
        return { delivered: true, attempts: attempt, elapsedMs };
      }
      if (outcome.status === 429 && outcome.retryAfterMs !== null) this.bucket.pause(Date.now() + outcome.retryAfterMs);
      const step = nextStep(this.retry, attempt, elapsedMs, outcome, this.random());
      if (step.action === 'give-up') {
        this.log.warn({ ...context, attempts: attempt, status: outcome.status, error: outcome.error, elapsedMs }, 'giving up');
        return {
          delivered: false,
          attempts: attempt,
          elapsedMs,
          lastError: step.why,
          lastStatus: outcome.status,
          retriable: outcome.retriable,
          body: request.body,
        };
      }
      this.log.info({ ...context, attempt, status: outcome.status, error: outcome.error, retryInMs: step.delayMs }, 'attempt failed, retrying');
      await wait(step.delayMs, signal, heartbeat);
    }
  }

  private async attempt(body: string, headers: Record<string, string>, signal: AbortSignal): Promise<AttemptOutcome> {
    const timeout = AbortSignal.timeout(this.destination.timeoutMs);
    try {
      const res = await fetch(this.destination.url, { method: 'POST', body, headers, signal: AbortSignal.any([signal, timeout]), redirect: 'error' });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, status: res.status };
      return {
        ok: false,
        retriable: isRetriableStatus(res.status),
        status: res.status,
        error: `HTTP ${res.status}`,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      };
    } catch (err) {
      if (signal.aborted) throw new Aborted('stopping');
      // Network errors name the address at most (never the URL's path, where Slack keeps its token).
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const error = timeout.aborted ? `no answer within ${this.destination.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
      return { ok: false, retriable: true, status: null, error, retryAfterMs: null };
    }
  }
}
