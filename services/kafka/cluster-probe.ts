/**
 * Before a service starts its clients: do Kafka and the schema registry
 * answer? Each is asked until it answers or the deadline passes, then one
 * UnreachableError names the address, what failed and what to do. Without
 * this, kafkajs retries for ~11 s, logs some twenty lines and ends in a stack
 * trace.
 */
import { Kafka, logLevel } from 'kafkajs';
import { isRetriable, RetriableError } from '../../pipeline/errors.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';

export class UnreachableError extends RetriableError {
  override name = 'UnreachableError';
}

const PAUSE_MS = 250;
const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

/** `promise`, or a rejection once `deadline` (epoch ms) passes. */
function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer')), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Asks `attempt` again every 250 ms while it fails in a retriable way (refused,
 * reset, timed out: the service may be starting) until the deadline; any other
 * failure, or the last one, is thrown.
 */
async function untilDeadline(attempt: (remainingMs: number) => Promise<void>, deadline: number): Promise<void> {
  for (;;) {
    try {
      await beforeDeadline(attempt(deadline - Date.now()), deadline);
      return;
    } catch (err) {
      if (err instanceof UnreachableError || !isRetriable(err) || Date.now() + PAUSE_MS >= deadline) throw err;
      await sleep(PAUSE_MS);
    }
  }
}

/** Connects a kafkajs admin client (one broker answering metadata is enough). */
export async function probeKafka(brokers: string[], deadline: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'aegis-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const started = Date.now();
  try {
    await untilDeadline(async () => {
      const admin = kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        void admin.disconnect().catch(() => {});
      }
    }, deadline);
  } catch (err) {
    throw new UnreachableError(
      `Kafka at ${brokers.join(',')} is unreachable (${firstLine(err)}; tried for ${since(started)}): ` +
        'start one with `aegis stack up` and export the lines it prints, or fix KAFKA_BROKERS / --brokers',
    );
  }
}

/** GET <url>/subjects, which every Confluent-compatible registry answers with 200. */
export async function probeRegistry(url: string, deadline: number): Promise<void> {
  const started = Date.now();
  try {
    await untilDeadline(async (remaining) => {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(Math.max(1, remaining)) });
      await res.body?.cancel();
      if (!res.ok) {
        throw new UnreachableError(
          `the schema registry at ${url} answered ${res.status} to GET /subjects: is SCHEMA_REGISTRY_URL / --registry ` +
            'the Confluent-compatible API (Apicurio: .../apis/ccompat/v7)?',
        );
      }
    }, deadline);
  } catch (err) {
    if (err instanceof UnreachableError) throw err;
    const cause = (err as { cause?: unknown }).cause;
    throw new UnreachableError(
      `the schema registry at ${url} is unreachable (${firstLine(cause ?? err)}; tried for ${since(started)}): ` +
        'start one with `aegis stack up` and export the lines it prints, or fix SCHEMA_REGISTRY_URL / --registry',
    );
  }
}

/** Kafka, then the registry, within one deadline; throws the first UnreachableError. */
export async function probeCluster(cluster: ClusterAddresses, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await probeKafka(cluster.brokers, deadline);
  await probeRegistry(cluster.schemaRegistryUrl, deadline);
}
