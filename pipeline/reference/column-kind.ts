/**
 * Numeric or categorical: the one rule for a CSV column whose kind nobody
 * stated, used by `aegis reference --from` and `aegis report`. One stray cell
 * must not flip a verdict: a column is NUMERIC when almost all of its
 * non-empty cells are numbers — at most 1 % of them (and at least one cell,
 * fewer than the numbers) may be other text; those cells are counted as
 * invalid, left out and warned about, rather than turning the column
 * categorical. A column with any true/false cell, or mostly text, is
 * CATEGORICAL, so a code column like "A1, B2, 3" stays categorical.
 *
 * Cells: empty, blank and NaN spellings ('nan', 'NaN', '-nan', as numpy and
 * pandas write a missing float) are missing; a decimal number is a number;
 * ±inf / ±infinity and decimals that overflow ('1e400') are numbers that are
 * not finite — invalid in a numeric column (no distance or bin can use them)
 * but no sign of a categorical one; anything else is text.
 */
import { parseDecimal } from '../decimal.ts';

export const NUMERIC_SHARE = 0.99;

const BOOLEAN = /^(true|false)$/i;
const NAN = /^[+-]?nan$/i;
const INF = /^[+-]?inf(?:inity)?$/i;

export type Cell =
  | { kind: 'missing' }
  | { kind: 'number'; value: number }
  | { kind: 'non-finite'; text: string }
  | { kind: 'boolean'; text: string }
  | { kind: 'text'; text: string };

const MISSING: Cell = { kind: 'missing' };

export function classifyCell(raw: string): Cell {
  const text = raw.trim();
  if (text === '' || NAN.test(text)) return MISSING;
  const value = parseDecimal(text);
  if (value !== undefined) return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite', text };
  if (INF.test(text)) return { kind: 'non-finite', text };
  return BOOLEAN.test(text) ? { kind: 'boolean', text } : { kind: 'text', text };
}

/** A CSV cell as a number: finite decimal or scientific notation; NaN otherwise. */
export function parseNumberCell(cell: string): number {
  const c = classifyCell(cell);
  return c.kind === 'number' ? c.value : Number.NaN;
}

/** A column's cells in one file, by class (`texts` excludes booleans and non-finite numbers). */
export interface CellCounts {
  numbers: number;
  texts: number;
  booleans: number;
  nonFinite: number;
  missing: number;
}

export function emptyCounts(): CellCounts {
  return { numbers: 0, texts: 0, booleans: 0, nonFinite: 0, missing: 0 };
}

export function countCell(counts: CellCounts, cell: Cell): void {
  if (cell.kind === 'missing') counts.missing++;
  else if (cell.kind === 'number') counts.numbers++;
  else if (cell.kind === 'non-finite') counts.nonFinite++;
  else if (cell.kind === 'boolean') counts.booleans++;
  else counts.texts++;
}

/**
 * The kind from a column's counts in one or more files, the reference first:
 * the first file with non-missing cells decides (a current file that went bad
 * shows as invalid cells, not as another kind). No values anywhere: NUMERIC.
 */
export function kindFromCounts(files: readonly CellCounts[]): 'NUMERIC' | 'CATEGORICAL' {
  const nonEmpty = (c: CellCounts) => c.numbers + c.texts + c.booleans + c.nonFinite;
  const base = files.find((c) => nonEmpty(c) > 0);
  if (!base) return 'NUMERIC';
  const allowed = Math.max(1, Math.floor((1 - NUMERIC_SHARE) * nonEmpty(base)));
  return base.booleans === 0 && base.numbers > 0 && base.texts <= allowed && base.texts < base.numbers ? 'NUMERIC' : 'CATEGORICAL';
}

export interface KindGuess {
  kind: 'NUMERIC' | 'CATEGORICAL';
  /** Non-empty cells of a NUMERIC column that are not finite numbers. */
  invalid: number;
}

export function guessKind(cells: readonly string[]): KindGuess {
  const counts = emptyCounts();
  for (const c of cells) countCell(counts, classifyCell(c));
  const kind = kindFromCounts([counts]);
  return { kind, invalid: kind === 'NUMERIC' ? counts.texts + counts.nonFinite : 0 };
}
