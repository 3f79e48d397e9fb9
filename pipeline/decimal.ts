/**
 * The one number syntax Aegis accepts from people (flags, environment
 * variables, CSV cells): an optionally signed decimal with an optional
 * exponent. `Number()` alone is too lenient for input that decides a verdict:
 * it reads '0x10' as 16, ' 5' as 5, '' as 0 and '1e400' as Infinity.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when `text` is spelled as a decimal number (it may still overflow to ±Infinity). */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** The value of a decimal spelling; undefined for any other text. May be ±Infinity ('1e400'). */
export function parseDecimal(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}
