/**
 * The test cluster from testcontainers, for machines with a Docker engine:
 * the same Kafka and Apicurio versions as the local stack, as containers.
 */
import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { VERSIONS } from '../../services/stack/artifacts.ts';
import { freePort } from '../../services/stack/ports.ts';
import { DEFAULT_COMPATIBILITY, setCompatibility } from '../../services/stack/schema-registry.ts';
import type { ProvidedCluster } from './cluster-provider.ts';

/** True when testcontainers finds a container runtime that answers within `timeoutMs`. */
export async function dockerEngineAnswers(timeoutMs = 10_000): Promise<boolean> {
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  return Promise.race([probe, timeout]);
}

export async function startContainers(): Promise<ProvidedCluster> {
  const kafkaPort = await freePort();
  const kafka: StartedTestContainer = await new GenericContainer(`apache/kafka:${VERSIONS.kafka}`)
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new GenericContainer(`apicurio/apicurio-registry:${VERSIONS.apicurio}`)
    .withExposedPorts(8080)
    .withEnvironment({
      APICURIO_CCOMPAT_USE_CANONICAL_HASH: 'true',
      APICURIO_REST_DELETION_GROUP_ENABLED: 'true',
      APICURIO_REST_DELETION_ARTIFACT_ENABLED: 'true',
      APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED: 'true',
    })
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  const url = `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`;
  await setCompatibility(url, DEFAULT_COMPATIBILITY);
  return {
    brokers: [`127.0.0.1:${kafkaPort}`],
    schemaRegistryUrl: url,
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), registry.stop()]);
    },
  };
}
