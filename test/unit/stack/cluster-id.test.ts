/**
 * Kafka cluster ids as Kafka's Uuid.randomUuid() makes them. A base64url id
 * starts with '-' 1 time in 64, which kafka-storage took for an option: over
 * 100,000 ids (about 1,560 would have started with '-') none does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterId } from '../../../services/stack/kafka-broker.ts';

test('100,000 cluster ids: 22 base64url characters, none starting with -, version-4 UUIDs, all distinct', () => {
  const ids = Array.from({ length: 100_000 }, clusterId);
  const firsts = new Set<string>();
  for (const id of ids) {
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    const bytes = Buffer.from(id, 'base64url');
    assert.equal(bytes.length, 16);
    assert.equal(bytes[6] >> 4, 4, `${id} is a version-4 UUID`);
    firsts.add(id[0]);
  }
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(firsts.size, 63, 'every first character but - occurs');
});
