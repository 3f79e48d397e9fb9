/**
 * Webhook signatures, the scheme Stripe and Slack use: the sender puts the
 * time in `X-Aegis-Timestamp` (epoch ms) and
 * `X-Aegis-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * Signing the timestamp with the body lets a receiver reject a captured
 * request replayed later (outside its tolerance window) without keeping state;
 * comparing in constant time keeps the MAC from leaking byte by byte.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-aegis-timestamp';
export const SIGNATURE_HEADER = 'x-aegis-signature';
/** Default replay window: a request signed more than 5 minutes from the receiver's clock is refused. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

export function signBody(secret: string, timestampMs: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex');
}

export type Verification = { ok: true } | { ok: false; why: string };

/** What a receiver does with the raw body and the two headers. */
export function verifySignature(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  rawBody: string,
  nowMs: number,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): Verification {
  if (!timestampHeader || !/^\d+$/.test(timestampHeader)) return { ok: false, why: 'missing or malformed timestamp' };
  if (!signatureHeader) return { ok: false, why: 'missing signature' };
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowMs - timestamp) > toleranceMs) return { ok: false, why: 'timestamp outside the replay window' };
  const expected = Buffer.from(signBody(secret, timestamp, rawBody));
  const given = Buffer.from(signatureHeader);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'signature mismatch' };
  return { ok: true };
}
