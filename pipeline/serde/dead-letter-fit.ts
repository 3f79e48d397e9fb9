/**
 * A dead letter must always be publishable, whatever it carries: a record
 * near Kafka's 1 MB limit, or one whose reason quotes a 900 KB model id,
 * would make the dead letter itself too large, its send fail for good, and
 * the engine stall on the record it was trying to set aside. So the raw key
 * and value are cut to a bounded prefix and the reason to a bounded length;
 * the reason then names the original sizes and the value's SHA-256, enough to
 * find the record again at its offset.
 */
import { createHash } from 'node:crypto';
import type { DeadLetter } from './dead-letter.ts';

export const MAX_DEAD_LETTER_VALUE = 64 * 1024;
export const MAX_DEAD_LETTER_KEY = 1024;
export const MAX_DEAD_LETTER_REASON = 2000;

export function fitDeadLetter(letter: DeadLetter): DeadLetter {
  const { key, value } = letter;
  const notes: string[] = [];
  let reason = letter.reason.length > MAX_DEAD_LETTER_REASON ? `${letter.reason.slice(0, MAX_DEAD_LETTER_REASON)}…` : letter.reason;
  if (value && value.length > MAX_DEAD_LETTER_VALUE) {
    notes.push(`value cut to ${MAX_DEAD_LETTER_VALUE} of ${value.length} bytes, sha256 ${createHash('sha256').update(value).digest('hex')}`);
  }
  if (key && key.length > MAX_DEAD_LETTER_KEY) notes.push(`key cut to ${MAX_DEAD_LETTER_KEY} of ${key.length} bytes`);
  if (notes.length) reason = `${reason} [${notes.join('; ')}]`;
  return {
    ...letter,
    key: key && key.length > MAX_DEAD_LETTER_KEY ? key.subarray(0, MAX_DEAD_LETTER_KEY) : key,
    value: value && value.length > MAX_DEAD_LETTER_VALUE ? value.subarray(0, MAX_DEAD_LETTER_VALUE) : value,
    reason,
  };
}
