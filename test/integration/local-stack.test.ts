/**
 * `aegis stack up` as a user runs it: both addresses on stdout once Kafka and
 * the registry answer, a working cluster behind them, and no JVM left behind
 * after Ctrl-C — nor after the CLI itself is killed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { AegisChild } from '../support/aegis-child.ts';
import { freePort } from '../../services/stack/ports.ts';

interface Ports {
  kafkaPort: number;
  registryPort: number;
}

/** PIDs of the JVMs of a stack: Kafka's config lives in a work dir named after its port; the registry gets its port as a property. */
function jvms({ kafkaPort, registryPort }: Ports): number[] {
  const pids = (pattern: string) => {
    try {
      return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return []; // pgrep exits 1 when nothing matches
    }
  };
  return [...pids(`^java .*stack-${kafkaPort}/server\\.properties`), ...pids(`^java .*quarkus\\.http\\.port=${registryPort} `)];
}

async function gone(ports: Ports, withinMs: number): Promise<number> {
  const start = Date.now();
  while (jvms(ports).length > 0) {
    if (Date.now() - start > withinMs) throw new Error(`JVMs still running after ${withinMs} ms: ${jvms(ports)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - start;
}

async function up(): Promise<{ stack: AegisChild; ports: Ports; lines: string[] }> {
  const kafkaPort = await freePort();
  const registryPort = await freePort();
  const env = { KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' };
  const stack = new AegisChild(['stack', 'up', '--kafka-port', String(kafkaPort), '--registry-port', String(registryPort)], env);
  try {
    await stack.waitFor(/SCHEMA_REGISTRY_URL=\S+\n/, 90_000);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const lines = stack.tail(100_000).split('\n').filter((l) => /^(KAFKA_BROKERS|SCHEMA_REGISTRY_URL)=/.test(l));
  return { stack, ports: { kafkaPort, registryPort }, lines };
}

describe('aegis stack up', () => {
  test('prints the two addresses, serves a real cluster, and Ctrl-C leaves no JVM', async () => {
    const { stack, ports, lines } = await up();
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
      assert.equal(jvms(ports).length, 2, 'Kafka and the registry');
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
    const { stack, ports } = await up();
    try {
      assert.equal(jvms(ports).length, 2);
    } finally {
      // SIGKILL: no handler of ours runs; the kernel's parent-death signal must stop the JVMs
      stack.child.kill('SIGKILL');
    }
    await stack.exited;
    await gone(ports, 30_000);
  });
});
