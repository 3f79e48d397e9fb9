/**
 * What an integration test knows of its cluster: the addresses test/run.ts put
 * in the environment. Missing addresses fail the test; they never skip it.
 */
import { clusterFromEnv, type ClusterAddresses } from '../../services/stack/cluster.ts';

export function testCluster(): ClusterAddresses {
  const cluster = clusterFromEnv();
  if (!cluster) throw new Error('KAFKA_BROKERS and SCHEMA_REGISTRY_URL are not set: run the tests with `npm test`');
  return cluster;
}

/** A name no other run or test has used, for topics and consumer groups. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
