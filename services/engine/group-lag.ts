/**
 * Kafka side of the engine's ops endpoint: health is "a metadata request
 * answers within the budget", lag is the topic's high watermark minus the
 * group's committed offset, per partition. Committed offsets (not an in-process
 * position) make the figure the same whichever engine of a group is scraped,
 * and it includes partitions assigned to other members; partitions the group
 * never committed are left out (the engine starts a new group at the end).
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../log.ts';
import type { PartitionLag } from '../prometheus.ts';
import { withTimeout } from '../with-timeout.ts';

export class GroupLagProbe {
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    readonly topic: string,
    private readonly log: Logger,
    private readonly timeoutMs = 2000,
  ) {}

  async healthy(): Promise<boolean> {
    return (await this.lag()) !== undefined;
  }

  async lag(): Promise<PartitionLag[] | undefined> {
    try {
      const admin = await this.connected();
      const [ends, [committed]] = await withTimeout(
        Promise.all([admin.fetchTopicOffsets(this.topic), admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] })]),
        this.timeoutMs,
        'offsets probe',
      );
      const high = new Map(ends.map((p) => [p.partition, Number(p.high)]));
      return (committed?.partitions ?? [])
        .filter((p) => Number(p.offset) >= 0 && high.has(p.partition))
        .map((p) => ({ partition: p.partition, lag: Math.max(0, high.get(p.partition)! - Number(p.offset)) }));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'Kafka does not answer the ops probe');
      await this.close();
      return undefined;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin;
      await withTimeout(admin.connect(), this.timeoutMs, 'admin connect');
    }
    return this.admin;
  }
}
