import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeReservoirWindow } from '../../../pipeline/windows/time-reservoir-window.ts';
import { mulberry32 as seeded } from '../../../pipeline/random.ts';

describe('TimeReservoirWindow', () => {
  test("while each slice holds fewer than capacity/(buckets+1) events, it keeps every event of the span", () => {
    const w = new TimeReservoirWindow(1, 1000, 100, seeded(1));
    for (let t = 0; t < 50; t++) w.push(t * 20, [t]);
    assert.equal(w.size, 50);
    assert.deepEqual([...w.snapshot().columns[0]].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  });

  test('events older than the span are dropped', () => {
    const w = new TimeReservoirWindow(1, 1000, 100, seeded(2));
    for (let t = 0; t < 3000; t += 10) w.push(t, [t]);
    const times = w.snapshot().times;
    assert.ok(Math.min(...times) >= 3000 - 10 - 1000 - 100, `oldest ${Math.min(...times)}`);
    assert.ok(w.size <= 100);
  });

  test('above its capacity memory stays bounded and the sample is uniform over the span', () => {
    const w = new TimeReservoirWindow(1, 10_000, 500, seeded(3));
    // 50,000 events in the span, the rate doubling halfway: a uniform sample has 1/3 of its rows in the first half.
    for (let i = 0; i < 50_000 / 3; i++) w.push((i * 5000) / (50_000 / 3), [0]);
    for (let i = 0; i < (2 * 50_000) / 3; i++) w.push(5000 + (i * 5000) / ((2 * 50_000) / 3), [1]);
    assert.ok(w.size <= 500);
    const s = w.snapshot();
    assert.ok(s.times.length >= 300 && s.times.length <= 500, `snapshot of ${s.times.length}`);
    const firstHalf = s.columns[0].filter((v) => v === 0).length / s.times.length;
    assert.ok(Math.abs(firstHalf - 1 / 3) < 0.03, `first-half share ${firstHalf}`);
    // within a slice, early and late events are equally likely to be kept
    const firstSlice = [...s.times].filter((t) => t < 1000);
    const early = firstSlice.filter((t) => t < 500).length;
    assert.ok(Math.abs(early / firstSlice.length - 0.5) < 0.2, `early share in slice ${early}/${firstSlice.length}`);
  });
});
