/** whileRetriable: retries what Kafka marks retriable, within a budget; anything else at once. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { whileRetriable } from '../../../services/kafka/retriable.ts';

const kafkaError = (retriable: boolean) => Object.assign(new Error(retriable ? 'This server is not the leader for that topic-partition' : 'Topic authorization failed'), { retriable });

describe('whileRetriable', () => {
  test('retries a retriable error until the operation succeeds', async () => {
    let calls = 0;
    const result = await whileRetriable(async () => {
      if (++calls < 3) throw kafkaError(true);
      return 'offsets';
    });
    assert.equal(result, 'offsets');
    assert.equal(calls, 3);
  });

  test('throws a non-retriable error at once', async () => {
    let calls = 0;
    await assert.rejects(
      whileRetriable(async () => {
        calls++;
        throw kafkaError(false);
      }),
      /authorization/,
    );
    assert.equal(calls, 1);
  });

  test('gives up when the budget is spent', async () => {
    const started = Date.now();
    await assert.rejects(
      whileRetriable(async () => {
        throw kafkaError(true);
      }, 500),
      /not the leader/,
    );
    assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
  });
});
