/**
 * The reference profiles of every model, read from the compacted topic
 * aegis.references.v1 (a global table, in Kafka Streams' terms): replayed from
 * the beginning at start, then kept current as trainers publish new versions.
 * An engine on any host needs no shared disk.
 */
import type { Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { TOPICS } from '../kafka/topics.ts';
import { replayTopic, type TopicReplay } from '../kafka/topic-replay.ts';
import type { Logger } from '../log.ts';

export class ReferenceStore {
  private readonly models = new Map<string, ReferenceProfile>();
  private replay?: TopicReplay;
  private listeners: Array<(profile: ReferenceProfile) => void> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly log: Logger,
  ) {}

  get(modelId: string): ReferenceProfile | undefined {
    return this.models.get(modelId);
  }

  modelIds(): string[] {
    return [...this.models.keys()];
  }

  /** Every model's latest profile. */
  all(): ReferenceProfile[] {
    return [...this.models.values()];
  }

  get size(): number {
    return this.models.size;
  }

  onUpdate(listener: (profile: ReferenceProfile) => void): void {
    this.listeners.push(listener);
  }

  /** Starts reading; resolves once everything on the topic at call time has been read. */
  async start(): Promise<void> {
    this.replay = await replayTopic(this.kafka, TOPICS.references, 'aegis-engine-references', async (message, partition) => {
      if (!message.value) return;
      try {
        const profile = (await this.registry.decode(message.value)) as ReferenceProfile;
        this.models.set(profile.modelId, profile);
        this.log.info({ modelId: profile.modelId, modelVersion: profile.modelVersion }, 'reference profile loaded');
        for (const l of this.listeners) l(profile);
      } catch (err) {
        this.log.error({ err, partition, offset: message.offset }, 'unreadable reference profile skipped');
      }
    });
    await this.replay.ready;
  }

  async stop(): Promise<void> {
    await this.replay?.stop();
  }
}
