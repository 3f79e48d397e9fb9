/**
 * The producer's output topics, created when missing so that the producer
 * also works on a cluster without topic auto-creation. Three partitions, as
 * for every per-event Aegis topic; records are keyed by model id, so one
 * model's events stay in order on one partition.
 */
import type { Admin } from 'kafkajs';
import { TOPICS } from '../kafka/topics.ts';

export const TRAFFIC_TOPICS = [TOPICS.inference, TOPICS.labels] as const;

/** Creates the missing topics; returns the names it created. Tolerates a concurrent creator. */
export async function ensureTrafficTopics(admin: Admin, topics: readonly string[] = TRAFFIC_TOPICS): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
  } catch (err) {
    const now = new Set(await admin.listTopics());
    if (missing.some((t) => !now.has(t))) throw err;
  }
  return missing;
}
