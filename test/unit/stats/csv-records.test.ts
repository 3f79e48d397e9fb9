import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { mulberry32 } from '../../../pipeline/random.ts';
import { csvRecords, CsvSyntaxError } from '../../../services/report/csv-records.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-csv-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string | Buffer, chunkBytes?: number): Promise<string[][]> {
  const path = join(dir, 'f.csv');
  writeFileSync(path, text);
  const out: string[][] = [];
  for await (const r of csvRecords(path, chunkBytes)) out.push(r);
  return out;
}

const rng = mulberry32(5);
const pieces = ['a', 'bc', '1.5', '', ' ', 'é', '€', 'x y'];
function field(): string {
  const plain = pieces[Math.floor(rng() * pieces.length)];
  if (rng() < 0.3) {
    const inner = plain + (rng() < 0.5 ? ',' : '') + (rng() < 0.3 ? '""' : '') + (rng() < 0.3 ? '\n' : '') + (rng() < 0.2 ? '\r\n' : '');
    return `"${inner}"`;
  }
  return plain;
}

describe('csvRecords', () => {
  test('agrees with csv-parse on random quoted, multi-line, CRLF, UTF-8 files, whatever the read size', async () => {
    for (let k = 0; k < 30; k++) {
      const width = 1 + Math.floor(rng() * 5);
      const rows = k < 2 ? 5000 : 1 + Math.floor(rng() * 40);
      const eol = rng() < 0.5 ? '\n' : '\r\n';
      const lines: string[] = [];
      for (let r = 0; r < rows; r++) {
        let line = Array.from({ length: width }, field).join(',');
        if (width === 1 && line === '') line = '""';
        lines.push(line);
      }
      const text = lines.join(eol) + (rng() < 0.5 ? eol : '');
      const expected = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
      for (const chunk of k < 2 ? [61, 4096, 1 << 20] : [1, 2, 3, 7, 64, 1 << 20]) assert.deepEqual(await read(text, chunk), expected, `file ${k}, ${chunk}-byte reads`);
    }
  });

  test('drops a BOM, skips empty lines, keeps a trailing empty field', async () => {
    assert.deepEqual(await read('\uFEFFa,b\n\n1,\n\r\n2,3'), [
      ['a', 'b'],
      ['1', ''],
      ['2', '3'],
    ]);
  });

  test('errors name the problem and the line', async () => {
    await assert.rejects(read('a,b\n1,2\n3\n'), (e: Error) => e instanceof CsvSyntaxError && /expect 2, got 1 on line 3/.test(e.message));
    await assert.rejects(read('a,b\n1,"2\n'), /Quote Not Closed.*line 2/);
    await assert.rejects(read('a,b\n1,2"x\n'), /Invalid Opening Quote.*line 2/);
    await assert.rejects(read('a,b\n1,"2"x\n'), /Invalid Closing Quote.*line 2/);
  });
});
