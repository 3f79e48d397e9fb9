/**
 * The cluster for one test run: KAFKA_BROKERS / SCHEMA_REGISTRY_URL when set,
 * else testcontainers when a Docker engine answers, else the local JVM stack on
 * free loopback ports. Started once by test/run.ts, stopped at the end.
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
  const { dockerEngineAnswers, startContainers } = await import('./containers.ts');
  if (await dockerEngineAnswers()) {
    progress('a Docker engine answers: starting Kafka and Apicurio with testcontainers');
    return startContainers();
  }
  progress('no cluster in the environment and no Docker engine: starting the local JVM stack');
  const stack = await startLocalStack({
    kafkaPort: await freePort(),
    registryPort: await freePort(),
    progress,
  });
  return { brokers: stack.brokers, schemaRegistryUrl: stack.schemaRegistryUrl, source: 'local-stack', stop: stack.stop };
}
