/**
 * A running gateway: the Fastify app listening, the report consumer feeding
 * each report into the history and out to the websocket clients. What the
 * `aegis gateway` command and the integration tests start; `stop()` closes
 * the websockets, the server and the consumer, in that order.
 */
import type { Logger } from '../log.ts';
import { ClientHub, reportFrame } from './client-hub.ts';
import { OriginPolicy } from './origin-policy.ts';
import { HostPolicy } from './host-policy.ts';
import { ReportConsumer } from './report-consumer.ts';
import { ReportHistory } from './report-history.ts';
import { buildGateway, type GatewayApp } from './server.ts';

export interface GatewayConfig {
  brokers: string[];
  schemaRegistryUrl: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  historyMinutes: number;
  historyPerModel: number;
  /** Budget of the history (full reports and points), estimated as JSON bytes. */
  historyMaxBytes: number;
  /** Empty: same origin only. */
  allowedOrigins: string[];
  /** Host names served besides the listen host, localhost and IP literals. */
  allowedHosts: string[];
  token?: string;
  heartbeatMs: number;
  /** Unsent bytes per websocket client before it is dropped. */
  maxBufferedBytes: number;
  /** Unsent bytes across all websocket clients before the furthest behind are dropped. */
  maxTotalBufferedBytes: number;
  dashboardDir?: string;
  log: Logger;
}

export interface RunningGateway {
  app: GatewayApp;
  /** `http://host:port` it listens on. */
  url: string;
  consumer: ReportConsumer;
  history: ReportHistory;
  hub: ClientHub;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const { log } = config;
  const history = new ReportHistory({ maxAgeMs: config.historyMinutes * 60_000, maxPerModel: config.historyPerModel, maxBytes: config.historyMaxBytes });
  const hub = new ClientHub(
    { heartbeatMs: config.heartbeatMs, maxBufferedBytes: config.maxBufferedBytes, maxTotalBufferedBytes: config.maxTotalBufferedBytes },
    (client, reason, bufferedAmount) => log.warn({ client, reason, bufferedAmount }, 'dropped a websocket client'),
  );
  const consumer = new ReportConsumer({
    brokers: config.brokers,
    schemaRegistryUrl: config.schemaRegistryUrl,
    historyMs: config.historyMinutes * 60_000,
    log,
  });
  let relayed = 0;
  const app = await buildGateway({
    history,
    hub,
    kafka: consumer,
    relayed: () => relayed,
    origins: new OriginPolicy(config.allowedOrigins),
    hosts: new HostPolicy(config.host, config.allowedHosts),
    token: config.token,
    dashboardDir: config.dashboardDir,
    logger: log,
  });
  const pruner = setInterval(() => history.prune(), 60_000).unref();
  hub.start();
  const stop = async () => {
    clearInterval(pruner);
    hub.stop();
    hub.closeAll('gateway shutting down');
    await app.close();
    await consumer.stop();
  };
  try {
    await app.listen({ host: config.host, port: config.port });
    await consumer.start((report, json) => {
      if (!history.add(report, json)) return;
      relayed++;
      hub.broadcast(reportFrame(json));
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info(
    {
      url,
      groupId: consumer.groupId,
      allowedOrigins: config.allowedOrigins.length ? config.allowedOrigins : 'same-origin',
      allowedHosts: config.allowedHosts,
      token: Boolean(config.token),
    },
    'gateway listening',
  );
  return { app, url, consumer, history, hub, stop };
}
