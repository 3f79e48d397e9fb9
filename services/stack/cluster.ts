/**
 * Where the services find Kafka and the schema registry: KAFKA_BROKERS and
 * SCHEMA_REGISTRY_URL when set (an existing cluster; nothing is started).
 */
import type { ClusterAddresses } from './local-stack.ts';
import { UsageError } from '../cli/command.ts';

export type { ClusterAddresses };

export function clusterFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterAddresses | undefined {
  const brokers = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  const url = env.SCHEMA_REGISTRY_URL?.trim();
  if (!brokers?.length && !url) return undefined;
  if (!brokers?.length || !url) {
    throw new UsageError(`set both KAFKA_BROKERS and SCHEMA_REGISTRY_URL (only ${brokers?.length ? 'KAFKA_BROKERS' : 'SCHEMA_REGISTRY_URL'} is set)`);
  }
  return { brokers, schemaRegistryUrl: url.replace(/\/+$/, '') };
}
