/**
 * Strict parsing of the REST API's query parameters. `since` is epoch
 * milliseconds written as decimal digits only: a schema's type coercion would
 * turn `0x10` into 16 and a blank into 0, and a blank `since` would return
 * the whole history. Each failure is one line naming the parameter.
 */

export class QueryError extends Error {}

/** Epoch ms from `?since=`; -Infinity when absent. */
export function parseSince(raw: unknown): number {
  if (raw === undefined) return -Infinity;
  if (typeof raw !== 'string' || !/^[0-9]{1,16}$/.test(raw)) {
    throw new QueryError(`since: expected epoch milliseconds as decimal digits, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

export const MAX_FEATURES = 64;

/** Feature names from `?feature=a&feature=b`; none when absent. */
export function parseFeatures(raw: unknown): string[] {
  if (raw === undefined) return [];
  const names = Array.isArray(raw) ? raw : [raw];
  if (names.length > MAX_FEATURES) throw new QueryError(`feature: at most ${MAX_FEATURES} per request, got ${names.length}`);
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0 || name.length > 256) {
      throw new QueryError(`feature: expected a feature name of 1 to 256 characters, got ${JSON.stringify(name)}`);
    }
  }
  return [...new Set(names as string[])];
}
