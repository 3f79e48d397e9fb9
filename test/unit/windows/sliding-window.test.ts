import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindow } from '../../../pipeline/windows/sliding-window.ts';

describe('SlidingWindow', () => {
  test('holds the last `capacity` rows, oldest first, column by column', () => {
    const w = new SlidingWindow(2, 3);
    for (let i = 1; i <= 5; i++) w.push(i * 10, [i, -i]);
    assert.equal(w.size, 3);
    const s = w.snapshot();
    assert.deepEqual([...s.times], [30, 40, 50]);
    assert.deepEqual([...s.columns[0]], [3, 4, 5]);
    assert.deepEqual([...s.columns[1]], [-3, -4, -5]);
  });

  test('before it fills, holds every row; NaN passes through as missing', () => {
    const w = new SlidingWindow(1, 4);
    w.push(1, [Number.NaN]);
    w.push(2, [7]);
    const s = w.snapshot();
    assert.equal(s.times.length, 2);
    assert.ok(Number.isNaN(s.columns[0][0]));
    assert.equal(s.columns[0][1], 7);
  });

  test('a snapshot is a copy that later pushes do not change', () => {
    const w = new SlidingWindow(1, 2);
    w.push(1, [1]);
    const s = w.snapshot();
    w.push(2, [2]);
    w.push(3, [3]);
    assert.deepEqual([...s.columns[0]], [1]);
  });

  test('rejects rows of the wrong width and a non-positive capacity', () => {
    assert.throws(() => new SlidingWindow(2, 0), /capacity/);
    assert.throws(() => new SlidingWindow(2, 3).push(0, [1]), /expects 2/);
  });
});
