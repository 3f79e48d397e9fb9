/**
 * `aegis stack up` as a user runs it: both addresses on stdout once Kafka and
 * the registry answer, a working cluster behind them, and no JVM left behind
 * after Ctrl-C — nor after the CLI itself is killed, and a new stack on the
 * same ports right after that comes up.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { stackJvms, stackUp, type StackPorts } from '../support/local-stack-child.ts';

async function gone(ports: StackPorts, withinMs: number): Promise<number> {
  const start = Date.now();
  while (stackJvms(ports).length > 0) {
    if (Date.now() - start > withinMs) throw new Error(`JVMs still running after ${withinMs} ms: ${stackJvms(ports)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - start;
}

describe('aegis stack up', () => {
  test('prints the two addresses, serves a real cluster, and Ctrl-C leaves no JVM', async () => {
    const { stack, ports, lines } = await stackUp();
    const { kafkaPort } = ports;
    try {
      assert.deepEqual(
        lines.map((l) => l.split('=')[0]),
        ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL'],
      );
      const brokers = lines[0].split('=')[1];
      const url = lines[1].slice('SCHEMA_REGISTRY_URL='.length);
      assert.equal(brokers, `127.0.0.1:${kafkaPort}`);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
      assert.equal(stackJvms(ports).length, 2, 'Kafka and the registry');
      const admin = new Kafka({ clientId: 'stack-test', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      assert.equal((await admin.describeCluster()).brokers.length, 1);
      await admin.disconnect();
      assert.equal((await fetch(`${url}/subjects`)).status, 200);
    } finally {
      stack.child.kill('SIGINT');
    }
    assert.equal(await stack.exited, 0);
    await gone(ports, 30_000);
  });

  test('killing the CLI outright takes its JVMs with it', async () => {
    const { stack, ports } = await stackUp();
    try {
      assert.equal(stackJvms(ports).length, 2);
    } finally {
      // SIGKILL: no handler of ours runs; the kernel's parent-death signal must stop the JVMs
      stack.child.kill('SIGKILL');
    }
    await stack.exited;
    await gone(ports, 30_000);
  });

  test('a stack started on the ports of one just killed outright waits for its JVMs and comes up', async () => {
    const first = await stackUp();
    first.stack.child.kill('SIGKILL');
    await first.stack.exited;
    const leftovers = stackJvms(first.ports);
    const second = await stackUp(first.ports);
    try {
      assert.deepEqual(second.lines, first.lines);
      for (const pid of leftovers) assert.ok(!stackJvms(first.ports).includes(pid), `the earlier JVM ${pid} is gone`);
      assert.equal(stackJvms(first.ports).length, 2);
    } finally {
      second.stack.child.kill('SIGINT');
    }
    assert.equal(await second.stack.exited, 0);
    await gone(first.ports, 30_000);
  });
});
