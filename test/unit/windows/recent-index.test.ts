import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentIndex } from '../../../pipeline/windows/recent-index.ts';

describe('RecentIndex', () => {
  test('keeps the most recent `capacity` keys and forgets the oldest', () => {
    const idx = new RecentIndex<number>(3);
    for (let i = 0; i < 5; i++) idx.set(`k${i}`, i);
    assert.equal(idx.size, 3);
    assert.equal(idx.get('k0'), undefined);
    assert.equal(idx.get('k1'), undefined);
    assert.deepEqual(['k2', 'k3', 'k4'].map((k) => idx.get(k)), [2, 3, 4]);
  });

  test('take removes a key; a taken key that later falls off the ring evicts nothing else', () => {
    const idx = new RecentIndex<number>(2);
    idx.set('a', 1);
    idx.set('b', 2);
    assert.equal(idx.take('a'), 1);
    assert.equal(idx.take('a'), undefined);
    idx.set('c', 3); // overwrites a's slot: a is gone already
    assert.deepEqual([idx.get('b'), idx.get('c'), idx.size], [2, 3, 2]);
    idx.set('d', 4); // overwrites b's slot
    assert.deepEqual([idx.get('b'), idx.get('c'), idx.get('d')], [undefined, 3, 4]);
  });

  test('rejects a non-positive capacity', () => {
    assert.throws(() => new RecentIndex(0), /capacity/);
  });
});
