/**
 * `aegis stack up` and its building blocks, without starting a JVM: every
 * failure a user can meet says in one line what is wrong and how to fix it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseJavaMajor } from '../../../services/stack/prerequisites.ts';
import { brokerProperties } from '../../../services/stack/kafka-broker.ts';
import { clusterFromEnv } from '../../../services/stack/cluster.ts';
import { freePort } from '../../../services/stack/ports.ts';

const freePorts = async () => ['--kafka-port', String(await freePort()), '--registry-port', String(await freePort())];

const root = resolve(import.meta.dirname, '../../..');

function aegis(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.KAFKA_BROKERS;
  delete base.SCHEMA_REGISTRY_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], {
    cwd: root,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** A JAVA_HOME whose bin/java is this shell script: a JVM that fails the way the script says. */
function fakeJava(script: string): string {
  const home = mkdtempSync(join(tmpdir(), 'aegis-java-'));
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  fakeJavas.push(home);
  return home;
}
const fakeJavas: string[] = [];
after(() => fakeJavas.forEach((d) => rmSync(d, { recursive: true, force: true })));

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l && !l.startsWith('{'));
  assert.equal(lines.length, 1, `one line on stderr, got: ${stderr}`);
  return lines[0];
}

describe('aegis stack up: bad input and missing prerequisites', () => {
  test('a port in use is named', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = aegis(['stack', 'up', '--kafka-port', String(port), '--registry-port', '1']);
      assert.equal(r.code, 2);
      assert.match(oneLine(r.stderr), new RegExp(`port ${port} \\(Kafka\\) on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      server.close();
    }
  });

  test('no java says which version is needed and how to get it', async () => {
    const r = aegis(['stack', 'up', ...(await freePorts())], { JAVA_HOME: '/nonexistent-jdk' });
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /java not found \(\/nonexistent-jdk\/bin\/java\): the local stack needs Java 17 or newer/);
  });

  test('no mvn says how to get it or how to do without', async () => {
    const r = aegis(['stack', 'up', ...(await freePorts())], { AEGIS_MVN: '/nonexistent/mvn' });
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /mvn not found: .*apt-get install maven.*KAFKA_BROKERS and SCHEMA_REGISTRY_URL/);
  });

  test('an artifact that cannot be downloaded is named', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'aegis-cache-'));
    try {
      const r = aegis(['stack', 'up', ...(await freePorts())], {
        AEGIS_CACHE_DIR: cache,
        AEGIS_KAFKA_VERSION: '0.0.0-no-such-version',
      });
      assert.equal(r.code, 2);
      assert.match(oneLine(r.stderr), /failed to download org\.apache\.kafka:kafka_2\.13:0\.0\.0-no-such-version with mvn/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('a JVM that dies at start is one line with its cause and log, exit 1', async () => {
    const bad = (kafka: string, format = 'exit 0') =>
      fakeJava(`case "$*" in
  *-version*) echo 'openjdk version "17.0.15" 2025-04-15' >&2 ;;
  *StorageTool*) ${format} ;;
  *kafka.Kafka*) ${kafka} ;;
  *) exec sleep 600 ;;
esac`);
    const ports = await freePorts();
    const kafkaDies = aegis(['stack', 'up', ...ports], {
      JAVA_HOME: bad(`echo '[2026-01-01 00:00:00,000] ERROR Exiting Kafka due to fatal exception during startup. (kafka.Kafka$)'
    echo 'org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:${ports[1]}: Address already in use.'
    echo '	at kafka.network.Acceptor.openServerSocket(SocketServer.scala:744)'
    exit 1`),
    });
    assert.equal(kafkaDies.code, 1);
    assert.match(
      oneLine(kafkaDies.stderr),
      new RegExp(
        `^aegis: Kafka on 127\\.0\\.0\\.1:${ports[1]} exited \\(1\\) before answering: Exiting Kafka due to fatal exception during startup\\. — ` +
          `KafkaException: Socket server failed to bind to 127\\.0\\.0\\.1:${ports[1]}: Address already in use\\. \\(log: /\\S+/stack-${ports[1]}-\\d+/kafka\\.log\\)$`,
      ),
    );
    const formatFails = aegis(['stack', 'up', ...(await freePorts())], {
      JAVA_HOME: bad('exit 1', `echo 'kafka-storage: error: argument --cluster-id/-t: expected one argument' >&2; exit 1`),
    });
    assert.equal(formatFails.code, 1);
    assert.match(oneLine(formatFails.stderr), /^aegis: formatting Kafka's data folder \S+ failed: kafka-storage: error: argument --cluster-id\/-t: expected one argument$/);
  });

  test('bad flags and sub-commands name themselves', () => {
    const port = aegis(['stack', 'up', '--kafka-port', 'lots']);
    assert.equal(port.code, 2);
    assert.match(oneLine(port.stderr), /--kafka-port must be an integer in \[1, 65535\], got 'lots'/);
    const sub = aegis(['stack', 'down']);
    assert.equal(sub.code, 2);
    assert.match(oneLine(sub.stderr), /expected 'aegis stack up'/);
    const flag = aegis(['stack', 'up', '--bogus']);
    assert.equal(flag.code, 2);
    assert.match(oneLine(flag.stderr), /--bogus/);
  });

  test('with KAFKA_BROKERS and SCHEMA_REGISTRY_URL set it starts nothing and prints them', () => {
    const r = aegis(['stack', 'up'], { KAFKA_BROKERS: 'b1:9092,b2:9092', SCHEMA_REGISTRY_URL: 'http://reg:8081/' });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'KAFKA_BROKERS=b1:9092,b2:9092\nSCHEMA_REGISTRY_URL=http://reg:8081\n');
  });

  test('--help documents the command', () => {
    const r = aegis(['stack', 'up', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--kafka-port/);
    assert.match(r.stdout, /--registry-port/);
  });
});

describe('stack building blocks', () => {
  test('java versions parse in both the old and the new scheme', () => {
    assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
    assert.equal(parseJavaMajor('java version "1.8.0_381"'), 8);
    assert.equal(parseJavaMajor('openjdk version "25" 2025-09-16'), 25);
    assert.equal(parseJavaMajor('garbage'), undefined);
  });

  test('the broker is a single KRaft node bound to loopback on the given ports', () => {
    const p = brokerProperties({ port: 1234, controllerPort: 5678, dataDir: '/d' });
    assert.match(p, /^process\.roles=broker,controller$/m);
    assert.match(p, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:1234,CONTROLLER:\/\/127\.0\.0\.1:5678$/m);
    assert.match(p, /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:1234$/m);
    assert.match(p, /^controller\.quorum\.voters=1@127\.0\.0\.1:5678$/m);
    assert.match(p, /^log\.dirs=\/d$/m);
    assert.match(p, /^offsets\.topic\.replication\.factor=1$/m);
  });

  test('half a cluster in the environment is an error naming what is missing', () => {
    assert.throws(() => clusterFromEnv({ KAFKA_BROKERS: 'b:9092' }), /only KAFKA_BROKERS is set/);
    assert.equal(clusterFromEnv({}), undefined);
  });
});
