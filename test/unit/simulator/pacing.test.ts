/** The pacer keeps the requested rate on a simulated clock; the delay queue releases items when due. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer } from '../../../pipeline/simulator/pacer.ts';
import { DelayQueue } from '../../../pipeline/simulator/delay-queue.ts';

function simulate(pacer: Pacer, seconds: number, tickMs: number, multiplier = 1, start = 0): number {
  let sent = 0;
  for (let t = start; t <= start + seconds * 1000; t += tickMs) sent += pacer.due(t, multiplier);
  return sent;
}

describe('Pacer', () => {
  test('sends rate × seconds events whatever the tick, to within one', () => {
    for (const [rate, tick] of [[50, 50], [400, 50], [7, 33], [1000, 10]]) {
      const sent = simulate(new Pacer(rate), 10, tick);
      assert.ok(Math.abs(sent - rate * 10) <= 1, `rate ${rate}, tick ${tick}: ${sent}`);
    }
  });

  test('the multiplier scales the rate', () => {
    const sent = simulate(new Pacer(40), 5, 50, 10);
    assert.ok(Math.abs(sent - 40 * 10 * 5) <= 1, `${sent}`);
  });

  test('a stall does not release more than the burst cap', () => {
    const pacer = new Pacer(100, 1);
    pacer.due(0);
    assert.equal(pacer.due(60_000), 100);
  });

  test('rejects a non-positive rate', () => {
    assert.throws(() => new Pacer(0), /rate/);
  });
});

describe('DelayQueue', () => {
  test('releases items once due, in due order, and drains the rest', () => {
    const q = new DelayQueue<string>();
    q.push(10, 'a');
    q.push(30, 'c');
    q.push(20, 'b');
    assert.equal(q.nextDueAt, 10);
    assert.deepEqual(q.takeDue(5), []);
    assert.deepEqual(q.takeDue(20), ['a', 'b']);
    assert.equal(q.size, 1);
    assert.deepEqual(q.drain(), ['c']);
    assert.equal(q.size, 0);
    assert.equal(q.nextDueAt, undefined);
  });
});
