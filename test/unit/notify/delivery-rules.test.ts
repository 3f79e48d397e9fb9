import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isRetriableStatus, nextStep, parseRetryAfter, DEFAULT_RETRY } from '../../../pipeline/notify/retry-schedule.ts';
import { TokenBucket } from '../../../pipeline/notify/token-bucket.ts';
import { signBody, verifySignature } from '../../../pipeline/notify/signature.ts';
import { routes } from '../../../pipeline/notify/routing.ts';
import { severityOf } from '../../../pipeline/notify/severity.ts';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 10_000 };
const transient = { ok: false as const, retriable: true, status: 503, error: 'HTTP 503', retryAfterMs: null };

describe('retry schedule', () => {
  test('full jitter: uniform below a ceiling that doubles up to maxDelayMs', () => {
    assert.equal(backoffDelay(policy, 1, 0), 0);
    assert.equal(backoffDelay(policy, 1, 0.999), 99);
    assert.equal(backoffDelay(policy, 3, 0.5), 200);
    assert.equal(backoffDelay(policy, 20, 0.5), 500, 'capped');
    const delays = Array.from({ length: 2000 }, () => backoffDelay(DEFAULT_RETRY, 4, Math.random()));
    const mean = delays.reduce((a, b) => a + b) / delays.length;
    assert.ok(Math.abs(mean - 2000) < 150, `mean ${mean} ≈ half of 4000`);
  });

  test('bounded by attempts and by elapsed time; permanent errors give up at once', () => {
    assert.equal(nextStep(policy, 4, 0, transient, 0.5).action, 'retry');
    assert.equal(nextStep(policy, 5, 0, transient, 0.5).action, 'give-up');
    assert.equal(nextStep(policy, 2, 9_950, transient, 0.5).action, 'give-up');
    const permanent = nextStep(policy, 1, 0, { ...transient, retriable: false, status: 404, error: 'HTTP 404' }, 0.5);
    assert.deepEqual(permanent, { action: 'give-up', why: 'not retriable: HTTP 404' });
  });

  test('Retry-After is a floor on the wait', () => {
    assert.deepEqual(nextStep(policy, 1, 0, { ...transient, status: 429, retryAfterMs: 3000 }, 0.5), { action: 'retry', delayMs: 3000 });
    assert.equal(parseRetryAfter('2', 0), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon', 0), null);
    assert.equal(parseRetryAfter(null, 0), null);
  });

  test('which statuses are transient', () => {
    assert.deepEqual([400, 401, 404, 408, 409, 429, 500, 503].filter(isRetriableStatus), [408, 429, 500, 503]);
  });
});

describe('token bucket', () => {
  test('a burst goes at once, then one per 1/rate; a pause holds everything', () => {
    const b = new TokenBucket(60, 2, 0); // 1 per second
    assert.deepEqual([b.reserve(0), b.reserve(0), b.reserve(0), b.reserve(0)], [0, 0, 1000, 2000]);
    assert.equal(b.reserve(10_000), 0, 'refilled');
    b.pause(15_000);
    assert.equal(b.reserve(10_000), 5000);
  });
});

describe('signature', () => {
  const body = '{"modelId":"m","status":"RED"}';
  test('HMAC-SHA256 of "<timestamp>.<body>", hex, verified within the replay window only', () => {
    const sig = signBody('s3cret', 1_700_000_000_000, body);
    assert.match(sig, /^sha256=[0-9a-f]{64}$/);
    assert.deepEqual(verifySignature('s3cret', '1700000000000', sig, body, 1_700_000_060_000), { ok: true });
    assert.equal(verifySignature('s3cret', '1700000000000', sig, body + ' ', 1_700_000_000_000).ok, false, 'body changed');
    assert.equal(verifySignature('other', '1700000000000', sig, body, 1_700_000_000_000).ok, false, 'wrong secret');
    assert.equal(verifySignature('s3cret', '1700000000001', sig, body, 1_700_000_000_000).ok, false, 'timestamp changed');
    assert.deepEqual(verifySignature('s3cret', '1700000000000', sig, body, 1_700_000_000_000 + 301_000), { ok: false, why: 'timestamp outside the replay window' });
    assert.equal(verifySignature('s3cret', undefined, sig, body, 0).ok, false);
  });
});

describe('routing', () => {
  test('globs and minimum status; unknown statuses rank as AMBER', () => {
    const d = { models: ['fraud-*', 'churn'], minStatus: 'AMBER' as const };
    assert.equal(routes(d, 'fraud-eu', 'AMBER'), true);
    assert.equal(routes(d, 'churn', 'RED'), true);
    assert.equal(routes(d, 'churn-2', 'RED'), false);
    assert.equal(routes(d, 'fraud-eu', 'GREEN'), false);
    assert.equal(routes({ models: ['*'], minStatus: 'RED' }, 'x', 'STALE'), false);
    assert.equal(routes({ models: ['*'], minStatus: 'AMBER' }, 'x', 'STALE'), true);
    assert.deepEqual(['GREEN', 'AMBER', 'RED', 'STALE'].map(severityOf), [0, 1, 2, 1]);
  });
});
