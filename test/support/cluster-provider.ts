/**
 * The cluster for one test run: KAFKA_BROKERS / SCHEMA_REGISTRY_URL when set,
 * else the local JVM stack on free loopback ports, or, with
 * AEGIS_TEST_CLUSTER=testcontainers, Kafka and Apicurio containers (which
 * needs a Docker engine that can pull the official images). A Docker engine
 * that merely answers is not enough to choose containers: on a machine whose
 * engine cannot reach Docker Hub that choice would fail every integration test.
 * Started once by test/run.ts, stopped at the end.
 */
import { clusterFromEnv, type ClusterAddresses } from '../../services/stack/cluster.ts';
import { startLocalStack } from '../../services/stack/local-stack.ts';
import { freePort } from '../../services/stack/ports.ts';

export interface ProvidedCluster extends ClusterAddresses {
  source: 'env' | 'testcontainers' | 'local-stack';
  stop(): Promise<void>;
}

export async function provideCluster(progress: (m: string) => void): Promise<ProvidedCluster> {
  const external = clusterFromEnv();
  if (external) return { ...external, source: 'env', stop: async () => undefined };
  const choice = process.env.AEGIS_TEST_CLUSTER ?? 'local-stack';
  if (choice === 'testcontainers') {
    const { dockerEngineAnswers, startContainers } = await import('./containers.ts');
    if (!(await dockerEngineAnswers())) throw new Error('AEGIS_TEST_CLUSTER=testcontainers, but no Docker engine answers');
    progress('AEGIS_TEST_CLUSTER=testcontainers: starting Kafka and Apicurio with testcontainers');
    return startContainers();
  }
  if (choice !== 'local-stack') throw new Error(`AEGIS_TEST_CLUSTER must be local-stack or testcontainers, got '${choice}'`);
  progress('no cluster in the environment: starting the local JVM stack (AEGIS_TEST_CLUSTER=testcontainers for containers)');
  const stack = await startLocalStack({
    kafkaPort: await freePort(),
    registryPort: await freePort(),
    progress,
  });
  return { brokers: stack.brokers, schemaRegistryUrl: stack.schemaRegistryUrl, source: 'local-stack', stop: stack.stop };
}
