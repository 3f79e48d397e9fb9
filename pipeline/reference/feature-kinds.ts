/**
 * How a value in an inference event or a reference file is read for a feature
 * of a given kind. NUMERIC features take finite numbers (int, long, float,
 * double, all sent as doubles); CATEGORICAL ones take strings and booleans (an enum arrives as its
 * symbol). Anything else is invalid for that feature: counted, never thrown.
 */
import type { FeatureValue } from '../serde/inference-event.ts';

/** The category a value stands for: booleans as 'true'/'false', numbers as their shortest text; null when missing. */
export function categoryOf(v: FeatureValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return Number.isNaN(v) ? null : String(v);
}

/**
 * Outcome of reading one value for a NUMERIC feature: a finite number, missing
 * (null, absent, NaN — NaN is how the other clients spell a missing double), or invalid.
 */
export const MISSING = Number.NaN;
export const INVALID = Number.POSITIVE_INFINITY;

/** The window cell of a NUMERIC feature's value: the number, NaN when missing, +Infinity when invalid. */
export function numericCell(v: FeatureValue | undefined): number {
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'number') return Number.isNaN(v) ? MISSING : Number.isFinite(v) ? v : INVALID;
  return INVALID;
}
