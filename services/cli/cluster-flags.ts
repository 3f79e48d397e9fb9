/**
 * The cluster a command talks to: --brokers / --registry flags,
 * else KAFKA_BROKERS / SCHEMA_REGISTRY_URL. With neither, a one-line usage
 * error tells the user how to get one.
 */
import { UsageError } from './command.ts';
import { clusterFromEnv, type ClusterAddresses } from '../stack/cluster.ts';

export const NO_CLUSTER_HINT =
  'no Kafka cluster: run `aegis stack up` and export the two lines it prints (KAFKA_BROKERS=..., SCHEMA_REGISTRY_URL=...)';

export function clusterFromFlags(
  flags: { brokers?: string; registry?: string },
  env: NodeJS.ProcessEnv = process.env,
  hint = NO_CLUSTER_HINT,
): ClusterAddresses {
  const merged = clusterFromEnv({
    KAFKA_BROKERS: flags.brokers ?? env.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: flags.registry ?? env.SCHEMA_REGISTRY_URL,
  });
  if (!merged) throw new UsageError(hint);
  return merged;
}
