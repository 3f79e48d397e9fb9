/**
 * The reference profiles of every model, read from the compacted topic
 * aegis.references.v1 (a global table, in Kafka Streams' terms): replayed from
 * the beginning at start, then kept current as trainers publish new versions.
 * An engine on any host needs no shared disk.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { WindowLayout } from '../../pipeline/drift/window-layout.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';

export interface ModelReference {
  profile: ReferenceProfile;
  layout: WindowLayout;
}

export class ReferenceStore {
  private readonly models = new Map<string, ModelReference>();
  private consumer?: Consumer;
  private listeners: Array<(ref: ModelReference) => void> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly log: Logger,
  ) {}

  get(modelId: string): ModelReference | undefined {
    return this.models.get(modelId);
  }

  get size(): number {
    return this.models.size;
  }

  onUpdate(listener: (ref: ModelReference) => void): void {
    this.listeners.push(listener);
  }

  /** Starts reading; resolves once everything on the topic at call time has been read. */
  async start(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPICS.references);
    await admin.disconnect();
    const pending = new Map(ends.filter((p) => p.high !== p.low && p.high !== '0').map((p) => [p.partition, BigInt(p.high)]));

    this.consumer = this.kafka.consumer({ groupId: `aegis-engine-references-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.references, fromBeginning: true });
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (pending.size === 0) caughtUp();
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value) {
          try {
            const profile = (await this.registry.decode(message.value)) as ReferenceProfile;
            const ref = { profile, layout: new WindowLayout(profile) };
            this.models.set(profile.modelId, ref);
            this.log.info({ modelId: profile.modelId, modelVersion: profile.modelVersion }, 'reference profile loaded');
            for (const l of this.listeners) l(ref);
          } catch (err) {
            this.log.error({ err, partition, offset: message.offset }, 'unreadable reference profile skipped');
          }
        }
        const end = pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          pending.delete(partition);
          if (pending.size === 0) caughtUp();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ready,
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reference profiles not read within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
