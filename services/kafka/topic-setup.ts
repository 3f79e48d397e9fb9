/**
 * Creates Aegis' topics if they do not exist (idempotent: safe to run from
 * every service at start). Values are Avro; records are keyed by model id.
 */
import type { Admin, ITopicConfig } from 'kafkajs';
import { TOPICS, type TopicName } from './topics.ts';

const DAY_MS = 24 * 3600 * 1000;
export const REFERENCE_MAX_BYTES = 16 * 1024 * 1024;

export const TOPIC_SPECS: Record<TopicName, Omit<ITopicConfig, 'topic'>> = {
  [TOPICS.inference]: { numPartitions: 3, configEntries: [{ name: 'retention.ms', value: String(DAY_MS) }] },
  [TOPICS.labels]: { numPartitions: 3, configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }] },
  // A profile is one record of up to ~8 MB (pipeline/reference/build-profile.ts): the topic allows 16 MiB.
  [TOPICS.references]: {
    numPartitions: 1,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'max.message.bytes', value: String(REFERENCE_MAX_BYTES) },
    ],
  },
  [TOPICS.driftReports]: { numPartitions: 3, configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }] },
  [TOPICS.alerts]: { numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }] },
  [TOPICS.deadLetter]: { numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }] },
  [TOPICS.notifyDeadLetter]: { numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }] },
  [TOPICS.retrainRequests]: { numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }] },
  [TOPICS.retrainDecisions]: { numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }] },
};

/** Creates the given topics (default: all) that are missing; returns the names it created. */
export async function ensureTopics(admin: Admin, names: TopicName[] = Object.values(TOPICS)): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, ...TOPIC_SPECS[topic] })),
      waitForLeaders: true,
    });
  } catch (err) {
    // Another service may have created them between the listing and now.
    const still = new Set(await admin.listTopics());
    if (missing.some((t) => !still.has(t))) throw err;
  }
  return missing;
}
