/**
 * The kind of a reference CSV column, when the team does not say: a column of
 * true/false, or one whose non-empty cells are mostly not numbers, is
 * CATEGORICAL; otherwise NUMERIC. "Mostly": at least 99 % of the non-empty
 * cells parse as finite numbers, so that one stray 'oops' or 'Inf' in a
 * numeric column does not turn it categorical (those cells are counted as
 * invalid and left out, with a warning), while a code column like
 * "A1, B2, 3" stays categorical.
 */
export const NUMERIC_SHARE = 0.99;

const BOOLEAN = /^(true|false)$/i;

/** A CSV cell as a number: finite decimal or scientific notation; NaN otherwise. */
export function parseNumberCell(cell: string): number {
  const t = cell.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  const x = Number(t);
  return Number.isFinite(x) ? x : Number.NaN;
}

export interface KindGuess {
  kind: 'NUMERIC' | 'CATEGORICAL';
  /** Non-empty cells of a NUMERIC column that are not numbers. */
  invalid: number;
}

export function guessKind(cells: readonly string[]): KindGuess {
  let nonEmpty = 0;
  let numbers = 0;
  let booleans = 0;
  for (const c of cells) {
    if (c.trim() === '') continue;
    nonEmpty++;
    if (BOOLEAN.test(c.trim())) booleans++;
    else if (!Number.isNaN(parseNumberCell(c))) numbers++;
  }
  if (nonEmpty === 0 || booleans > 0 || numbers < NUMERIC_SHARE * nonEmpty) return { kind: 'CATEGORICAL', invalid: 0 };
  return { kind: 'NUMERIC', invalid: nonEmpty - numbers };
}
