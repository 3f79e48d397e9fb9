/**
 * Publishes a reference profile to aegis.references.v1 (Avro through the
 * registry, keyed by model id) so that an engine on any host can load it:
 * the one path by which `aegis reference` (a team's CSV) and `aegis train`
 * (the demo model) register a model.
 * The topic is compacted — the latest profile per model is what matters —
 * and created as such when missing.
 */
import { Partitioners, type Admin, type ConfigResourceTypes } from 'kafkajs';
import { createKafka } from '../kafka/client.ts';
import { ensureTopics, REFERENCE_MAX_BYTES } from '../kafka/topic-setup.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';

/** kafkajs' ConfigResourceTypes.TOPIC (the enum is not among its ESM named exports). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/**
 * Creates the references topic (compacted, see services/kafka/topic-setup.ts)
 * unless it exists; warns when an existing one is not compacted.
 */
export async function ensureReferencesTopic(admin: Admin, log: Logger): Promise<void> {
  const topic = TOPICS.references;
  if ((await ensureTopics(admin, [topic])).length) {
    log.info({ topic }, 'created the compacted references topic');
    return;
  }
  const { resources } = await admin.describeConfigs({
    resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['cleanup.policy', 'max.message.bytes'] }],
    includeSynonyms: false,
  });
  const config = (name: string) => resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  if (config('cleanup.policy') !== 'compact') log.warn({ topic, policy: config('cleanup.policy') }, 'the references topic exists but is not compacted');
  const maxBytes = Number(config('max.message.bytes'));
  if (maxBytes < REFERENCE_MAX_BYTES) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(REFERENCE_MAX_BYTES) }] }],
    });
    log.info({ topic, from: maxBytes, to: REFERENCE_MAX_BYTES }, 'raised the references topic record limit for large profiles');
  }
}

/** Publishes `profile` keyed by its model id; returns the registry schema id it was encoded with. */
export async function publishProfile(cluster: ClusterAddresses, profile: ReferenceProfile, log: Logger): Promise<number> {
  const kafka = createKafka(cluster.brokers, 'aegis-trainer', log);
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const started = Date.now();
  await admin.connect();
  try {
    await ensureReferencesTopic(admin, log);
    const serde = await TopicSerde.create<ReferenceProfile>(createRegistry(cluster.schemaRegistryUrl), TOPICS.references, schemaText('reference-profile'));
    await producer.connect();
    await producer.send({ topic: TOPICS.references, messages: [{ key: profile.modelId, value: await serde.encode(profile) }] });
    log.info(
      { topic: TOPICS.references, modelId: profile.modelId, modelVersion: profile.modelVersion, schemaId: serde.schemaId, ms: Date.now() - started },
      'published the reference profile',
    );
    return serde.schemaId;
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}
