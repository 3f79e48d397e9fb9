/**
 * Starts the engine's ops endpoint (ops-server.ts) on a port, reading the
 * engine's `stats` and its group's lag (group-lag.ts). Off unless asked for.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../log.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { EngineStats } from './drift-engine.ts';
import { GroupLagProbe } from './group-lag.ts';
import { buildEngineOps } from './ops-server.ts';

export interface EngineOpsOptions {
  kafka: Kafka;
  groupId: string;
  /** The engine's counters, read at each scrape. */
  stats: () => Readonly<EngineStats>;
  host: string;
  port: number;
  log: Logger;
}

export interface RunningEngineOps {
  url: string;
  close(): Promise<void>;
}

export async function startEngineOps(o: EngineOpsOptions): Promise<RunningEngineOps> {
  const probe = new GroupLagProbe(o.kafka, o.groupId, TOPICS.inference, o.log);
  const app = await buildEngineOps(
    { stats: o.stats, healthy: () => probe.healthy(), lag: () => probe.lag(), topic: probe.topic, groupId: o.groupId },
    o.log.child({ component: 'ops' }),
  );
  const url = await app.listen({ host: o.host, port: o.port });
  return {
    url,
    async close() {
      await app.close();
      await probe.close();
    },
  };
}
