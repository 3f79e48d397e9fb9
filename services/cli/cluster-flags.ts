/**
 * The cluster a command talks to: --brokers / --registry flags, else
 * KAFKA_BROKERS / SCHEMA_REGISTRY_URL (the option table below). Addresses are
 * checked at once, so a typo is one line and exit 2 rather than a kafkajs
 * error fifteen seconds later; `reachableCluster` then asks both for an answer
 * within --connect-timeout, so an unreachable cluster is one line and exit 1.
 */
import { UsageError } from './command.ts';
import type { OptionTable } from './options.ts';
import { clusterFromEnv, type ClusterAddresses } from '../stack/cluster.ts';
import { probeCluster } from '../kafka/cluster-probe.ts';

export const NO_CLUSTER_HINT =
  'no Kafka cluster: run `aegis stack up` and export the two lines it prints (KAFKA_BROKERS=..., SCHEMA_REGISTRY_URL=...)';

export const DEFAULT_CONNECT_TIMEOUT_S = 5;

/** The options of every command that talks to the cluster; spread into its table. */
export const CLUSTER_OPTIONS = {
  brokers: { type: 'string', arg: 'HOSTS', env: 'KAFKA_BROKERS', help: 'Kafka brokers, comma-separated host:port' },
  registry: { type: 'string', arg: 'URL', env: 'SCHEMA_REGISTRY_URL', help: 'schema registry URL (Confluent-compatible API)' },
  'connect-timeout': {
    type: 'number',
    arg: 'S',
    env: 'AEGIS_CONNECT_TIMEOUT',
    min: 0.5,
    max: 600,
    default: DEFAULT_CONNECT_TIMEOUT_S,
    help: 'seconds Kafka and the registry get to answer at start',
  },
} as const satisfies OptionTable;

const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

/** Checks each `host:port` (port 1–65535), naming the first bad one. */
export function checkBrokers(brokers: readonly string[]): string[] {
  for (const b of brokers) {
    const colon = b.lastIndexOf(':');
    const host = b.slice(0, colon);
    const port = b.slice(colon + 1);
    if (colon < 0 || !HOST.test(host) || !/^\d{1,5}$/.test(port) || +port < 1 || +port > 65535) {
      throw new UsageError(`KAFKA_BROKERS / --brokers: '${b}' is not host:port (e.g. 127.0.0.1:9092)`);
    }
  }
  return [...brokers];
}

/** Checks that the registry URL is http(s) with a host. */
export function checkRegistryUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw new UsageError(`SCHEMA_REGISTRY_URL / --registry: '${url}' is not an http(s) URL (e.g. http://127.0.0.1:8081/apis/ccompat/v7)`);
  }
  return url;
}

/** The addresses, checked for syntax; no cluster at all is a usage error with `hint`. */
export function clusterFromFlags(flags: { brokers?: string; registry?: string }, hint = NO_CLUSTER_HINT): ClusterAddresses {
  const merged = clusterFromEnv({ KAFKA_BROKERS: flags.brokers, SCHEMA_REGISTRY_URL: flags.registry });
  if (!merged) throw new UsageError(hint);
  return { brokers: checkBrokers(merged.brokers), schemaRegistryUrl: checkRegistryUrl(merged.schemaRegistryUrl) };
}

/**
 * The checked addresses once both Kafka and the registry answer; else an
 * UnreachableError (retriable: the CLI prints its one line and exits 1).
 */
export async function reachableCluster(
  flags: { brokers?: string; registry?: string; 'connect-timeout'?: number },
  hint = NO_CLUSTER_HINT,
): Promise<ClusterAddresses> {
  const cluster = clusterFromFlags(flags, hint);
  await probeCluster(cluster, (flags['connect-timeout'] ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000);
  return cluster;
}
