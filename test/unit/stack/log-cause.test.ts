/**
 * The one-line cause read from a JVM's log, on the logs Kafka 4.1 and
 * Apicurio 3.0 (Quarkus) really write when their port is taken.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lastCause } from '../../../services/stack/log-cause.ts';

const KAFKA_BIND = `[2026-11-30 04:19:09,623] ERROR Unable to start acceptor for PLAINTEXT (kafka.network.DataPlaneAcceptor)
org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:29998: Address already in use.
	at kafka.network.Acceptor.openServerSocket(SocketServer.scala:744)
Caused by: java.net.BindException: Address already in use
	at java.base/sun.nio.ch.Net.bind0(Native Method)
[2026-11-30 04:19:09,901] ERROR Exiting Kafka due to fatal exception during startup. (kafka.Kafka$)
java.lang.RuntimeException: Received a fatal error while waiting for all of the SocketServer Acceptors to be started
	at org.apache.kafka.server.util.FutureUtils.waitWithLogging(FutureUtils.java:73)
Caused by: java.lang.RuntimeException: Unable to start acceptor for PLAINTEXT
	at kafka.network.DataPlaneAcceptor.start(SocketServer.scala:581)
	... 8 more
Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:29998: Address already in use.
	at kafka.network.Acceptor.openServerSocket(SocketServer.scala:744)
Caused by: java.net.BindException: Address already in use
	at java.base/sun.nio.ch.Net.bind0(Native Method)
	... 13 more
2026-11-30T04:19:10.119313619Z kafka-shutdown-hook WARN Unable to register Log4j shutdown hook because JVM is shutting down. Using SimpleLogger
[2026-11-30 04:19:10,201] INFO Node to controller channel manager for registration shutdown (kafka.server.NodeToControllerChannelManagerImpl)
`;

const QUARKUS_PORT = `2026-11+00-30 04:19:41 INFO  [io.quarkus] (main) apicurio-registry-app 3.0.9 starting
2026-11+00-30 04:19:42 ERROR [io.quarkus.runtime.ApplicationLifecycleManager] (main) Port 29996 seems to be in use by another process. Quarkus may already be running or the port is used by another application.
2026-11+00-30 04:19:42 WARN [io.quarkus.runtime.ApplicationLifecycleManager] (main) Use 'ss -anop | grep 29996' or 'netstat -anop | grep 29996' to identify the process occupying the port.
`;

describe('lastCause', () => {
  test("Kafka's bind failure: the fatal error and the exception naming the address", () => {
    assert.equal(
      lastCause(KAFKA_BIND),
      'Exiting Kafka due to fatal exception during startup. — KafkaException: Socket server failed to bind to 127.0.0.1:29998: Address already in use.',
    );
  });

  test("Quarkus' port failure: the ERROR line without its logger and thread", () => {
    assert.equal(
      lastCause(QUARKUS_PORT),
      'Port 29996 seems to be in use by another process. Quarkus may already be running or the port is used by another application.',
    );
  });

  test('without an ERROR line: the last exception, else the last line', () => {
    assert.equal(lastCause('starting\nException in thread "main" x\njava.lang.OutOfMemoryError: Java heap space\n\tat A.b(A.java:1)\n'), 'java.lang.OutOfMemoryError: Java heap space');
    assert.equal(lastCause("kafka-storage: error: argument --cluster-id/-t: expected one argument\n\n"), 'kafka-storage: error: argument --cluster-id/-t: expected one argument');
    assert.equal(lastCause(''), undefined);
  });

  test('an endless line is cut to one readable line', () => {
    const cause = lastCause(`[x] ERROR ${'y'.repeat(5000)}`)!;
    assert.equal(cause.length, 400);
    assert.ok(cause.endsWith('…'));
  });
});
