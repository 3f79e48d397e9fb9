/**
 * A reference CSV and a recorded stream CSV for `aegis backtest`: numeric
 * features a, b, c ~ N(10, 2) and a categorical `region`; the stream is
 * healthy, then from row `onset` on `a` moves by `shift` reference σ (a
 * number, or one per row).
 */
import { writeFileSync } from 'node:fs';
import { gaussian, mulberry32, type Rng } from '../../pipeline/random.ts';

const REGIONS = ['north', 'south', 'east', 'west'];
const row = (rng: Rng, shiftA = 0) =>
  [gaussian(rng, 10 + 2 * shiftA, 2), gaussian(rng, 10, 2), gaussian(rng, 10, 2)].map((x) => x.toFixed(4)).concat(REGIONS[Math.floor(rng() * 4)]).join(',');

export function writeBacktestFiles(dir: string, o: { seed: number; referenceRows: number; streamRows: number; onset: number; shift: number | ((row: number) => number) }) {
  const shift = typeof o.shift === 'number' ? () => o.shift as number : o.shift;
  const rng = mulberry32(o.seed);
  const header = 'a,b,c,region';
  const reference = `${dir}/reference.csv`;
  const stream = `${dir}/stream.csv`;
  writeFileSync(reference, [header, ...Array.from({ length: o.referenceRows }, () => row(rng))].join('\n') + '\n');
  writeFileSync(stream, [header, ...Array.from({ length: o.streamRows }, (_, i) => row(rng, i >= o.onset ? shift(i) : 0))].join('\n') + '\n');
  return { reference, stream };
}
