/**
 * What the engine knows of the partitions it holds, and what it does when
 * they are assigned (kafkajs' GROUP_JOIN, after every rebalance):
 *  - a partition it already held continues from its own position (kafkajs
 *    would go back to the group's committed offset, which is only moved at
 *    each evaluation, and count those records twice);
 *  - a partition new to it is paused, then re-read from before the group's
 *    committed offset — `refillRecords` records back, or `refillSpanMs` of
 *    time for a time window, whichever is later — so its windows are full
 *    when it first reports. Records before the committed offset are replays:
 *    already counted by the previous owner's reports.
 * It is `ready` (the engine may evaluate) once every refill has reached its
 * committed offset and `beforeReady` has resolved.
 */
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../log.ts';
import type { EngineLag } from '../../pipeline/serde/drift-report.ts';

export interface PartitionLag extends EngineLag {
  topic: string;
  partition: number;
}

export interface AssignmentOptions {
  topics: string[];
  fromBeginning: boolean;
  /** Records to re-read before the committed offset of `partition` (of `partitions`). */
  refillRecords: (partition: number, partitions: number) => number;
  refillSpanMs?: number;
  onAssigned: (partitions: Map<string, number[]>) => void;
  beforeReady: () => Promise<unknown>;
  onReady: () => void;
}

/** Longest wait for a refill before evaluating anyway (a report from a partial window beats none). */
const REFILL_TIMEOUT_MS = 30_000;

const key = (topic: string, partition: number) => `${topic}:${partition}`;

export class Assignment {
  ready = false;
  private generation = 0;
  private readonly owned = new Map<string, Set<number>>();
  /** Next offset to commit: after the last record read (never before the committed offset). */
  private readonly position = new Map<string, bigint>();
  /** First offset that is counted (the committed offset at assignment). */
  private readonly replayEnd = new Map<string, bigint>();
  private readonly refilling = new Map<string, bigint>();
  private readonly highWatermark = new Map<string, bigint>();
  private readonly lastTimestamp = new Map<string, number>();
  private refilled?: () => void;
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly log: Logger,
  ) {}

  attach(consumer: Consumer, o: AssignmentOptions): void {
    consumer.on(consumer.events.REBALANCING, () => {
      this.ready = false;
      this.generation++;
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const generation = ++this.generation;
      this.ready = false;
      const partitions = new Map(o.topics.map((t) => [t, payload.memberAssignment[t] ?? []]));
      const fresh: Array<{ topic: string; partition: number }> = [];
      for (const [topic, list] of partitions) {
        const before = this.owned.get(topic) ?? new Set();
        for (const partition of list) {
          const at = this.position.get(key(topic, partition));
          if (before.has(partition) && at !== undefined) consumer.seek({ topic, partition, offset: at.toString() });
          else fresh.push({ topic, partition });
        }
        for (const p of before) if (!list.includes(p)) this.forget(topic, p);
        this.owned.set(topic, new Set(list));
      }
      o.onAssigned(partitions);
      if (fresh.length) consumer.pause(o.topics.map((topic) => ({ topic, partitions: fresh.filter((f) => f.topic === topic).map((f) => f.partition) })));
      this.log.info({ partitions: Object.fromEntries(partitions), fresh: fresh.length }, 'partitions assigned');
      this.prepare(consumer, generation, fresh, o).catch((err) => {
        this.log.error({ err }, 'preparing the assigned partitions failed; reading them from the committed offsets');
        consumer.resume(o.topics.map((topic) => ({ topic, partitions: fresh.filter((f) => f.topic === topic).map((f) => f.partition) })));
        if (generation === this.generation) {
          this.ready = true;
          o.onReady();
        }
      });
    });
  }

  private async prepare(consumer: Consumer, generation: number, fresh: Array<{ topic: string; partition: number }>, o: AssignmentOptions): Promise<void> {
    const started = Date.now();
    if (fresh.length) {
      this.admin ??= this.kafka.admin();
      await this.admin.connect();
      const topics = [...new Set(fresh.map((f) => f.topic))];
      const committed = new Map<string, bigint>();
      for (const t of await this.admin.fetchOffsets({ groupId: this.groupId, topics })) {
        for (const p of t.partitions) committed.set(key(t.topic, p.partition), BigInt(p.offset));
      }
      for (const topic of topics) {
        const ends = new Map((await this.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
        const byTime = o.refillSpanMs
          ? new Map((await this.admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - o.refillSpanMs)).map((p) => [p.partition, BigInt(p.offset)]))
          : undefined;
        for (const { partition } of fresh.filter((f) => f.topic === topic)) {
          const { low, high } = ends.get(partition) ?? { low: 0n, high: 0n };
          const back = BigInt(Math.max(0, Math.floor(o.refillRecords(partition, ends.size))));
          const c = committed.get(key(topic, partition)) ?? -1n;
          const end = c >= 0n ? c : o.fromBeginning ? low : high;
          let start = end - back > low ? end - back : low;
          const t = byTime?.get(partition);
          if (t !== undefined && t >= 0n && t > start) start = t < end ? t : end;
          this.replayEnd.set(key(topic, partition), end);
          this.position.set(key(topic, partition), end);
          if (start < end) this.refilling.set(key(topic, partition), end);
          consumer.seek({ topic, partition, offset: start.toString() });
        }
      }
      if (generation !== this.generation) return;
      consumer.resume(topics.map((topic) => ({ topic, partitions: fresh.filter((f) => f.topic === topic).map((f) => f.partition) })));
      await Promise.race([
        new Promise<void>((resolve) => {
          this.refilled = resolve;
          if (this.refilling.size === 0) resolve();
        }),
        new Promise((resolve) => setTimeout(resolve, REFILL_TIMEOUT_MS).unref()),
      ]);
      if (this.refilling.size) this.log.warn({ left: [...this.refilling.keys()] }, 'refill not finished in time: evaluating a partial window');
    }
    await o.beforeReady();
    if (generation !== this.generation) return;
    this.ready = true;
    this.log.info({ ms: Date.now() - started, refilled: fresh.length }, 'assigned partitions ready');
    o.onReady();
  }

  private forget(topic: string, partition: number): void {
    for (const m of [this.position, this.replayEnd, this.refilling, this.highWatermark, this.lastTimestamp]) m.delete(key(topic, partition));
  }

  owns(topic: string, partition: number): boolean {
    return this.owned.get(topic)?.has(partition) ?? false;
  }

  isReplay(topic: string, partition: number, offset: string): boolean {
    const end = this.replayEnd.get(key(topic, partition));
    return end !== undefined && BigInt(offset) < end;
  }

  consumed(topic: string, partition: number, offset: string, timestamp: number, highWatermark: string): void {
    const k = key(topic, partition);
    const next = BigInt(offset) + 1n;
    if (next > (this.position.get(k) ?? -1n)) this.position.set(k, next);
    this.lastTimestamp.set(k, timestamp);
    this.highWatermark.set(k, BigInt(highWatermark));
    const end = this.refilling.get(k);
    if (end !== undefined && next >= end) {
      this.refilling.delete(k);
      if (this.refilling.size === 0) this.refilled?.();
    }
  }

  /** The offsets to commit with the next evaluation, in sendOffsets' shape. */
  positions(): Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> {
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const [topic, set] of this.owned) {
      for (const partition of set) {
        const at = this.position.get(key(topic, partition));
        if (at !== undefined) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset: at.toString() }]);
      }
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  lagOf(topic: string, partition: number, now: number): EngineLag | null {
    const k = key(topic, partition);
    const high = this.highWatermark.get(k);
    const at = this.position.get(k);
    if (high === undefined || at === undefined) return null;
    const records = high > at ? Number(high - at) : 0;
    return { records, seconds: records > 0 ? Math.max(0, now - (this.lastTimestamp.get(k) ?? now)) / 1000 : 0 };
  }

  lag(now: number): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const [topic, set] of this.owned) {
      for (const partition of set) {
        const l = this.lagOf(topic, partition, now);
        if (l) out.push({ topic, partition, ...l });
      }
    }
    return out;
  }

  close(): void {
    this.refilled?.();
    void this.admin?.disconnect().catch(() => undefined);
  }
}
