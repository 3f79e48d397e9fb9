/**
 * `aegis gateway`: the websocket gateway and dashboard server. Relays every
 * drift report from Kafka to the browsers within a second, with the last
 * hour rebuilt from the topic at start; Ctrl-C stops it gracefully.
 */
import { numberOption, parseFlags, UsageError, type Command } from '../command.ts';
import { createLogger } from '../../log.ts';
import { clusterFromFlags } from '../cluster-flags.ts';
import { onShutdown } from '../../shutdown.ts';
import { normalizeOrigin } from '../../gateway/origin-policy.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';

const DEFAULTS = { port: 3000, host: '127.0.0.1', historyMinutes: 60, historyPerModel: 720, heartbeatMs: 15_000, maxBufferedBytes: 4 << 20 };

const help = `Usage: aegis gateway [--port P] [--host H] [--allowed-origins LIST]
                     [--history-minutes M] [--history-per-model N]

Consumes aegis.drift-reports.v1 (in a consumer group of its own) and pushes
each report to the dashboard's websocket clients; serves the dashboard at
http://H:P/ and a REST API. On start, the reports of the last M minutes are
read back from the topic, so a new client first gets that history.

Routes: / (dashboard), /ws (websocket), /api/models,
/api/models/:id/reports?since=<epoch ms>, /healthz (200 while Kafka answers),
/metrics (Prometheus).

Options:
  --port P               listen port (env AEGIS_GATEWAY_PORT, default ${DEFAULTS.port})
  --host H               listen address (env AEGIS_GATEWAY_HOST, default ${DEFAULTS.host})
  --allowed-origins LIST comma-separated origins allowed to open the websocket,
                         e.g. https://ops.example.com (env AEGIS_GATEWAY_ALLOWED_ORIGINS;
                         default: same origin only)
  --history-minutes M    history kept and rebuilt at start (env AEGIS_GATEWAY_HISTORY_MINUTES, default ${DEFAULTS.historyMinutes})
  --history-per-model N  at most N reports per model in the history (env AEGIS_GATEWAY_HISTORY_PER_MODEL, default ${DEFAULTS.historyPerModel})
  -h, --help             this text

Environment:
  KAFKA_BROKERS, SCHEMA_REGISTRY_URL   the cluster (required; see 'aegis stack up')
  AEGIS_GATEWAY_TOKEN    when set, websocket and /api clients must send it as
                         'Authorization: Bearer <token>' (browsers: open /?access_token=<token>)
  AEGIS_GATEWAY_HEARTBEAT_MS           websocket ping interval (default ${DEFAULTS.heartbeatMs})
  AEGIS_GATEWAY_MAX_BUFFERED_BYTES     a client with more unsent bytes is dropped (default ${DEFAULTS.maxBufferedBytes})
`;

function parseOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      const normalized = normalizeOrigin(o);
      if (!normalized) throw new UsageError(`--allowed-origins: '${o}' is not an http(s) origin like https://host:port`);
      return normalized;
    });
}

const command: Command = {
  name: 'gateway',
  summary: 'serve the live dashboard and relay drift reports over websockets',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-origins': { type: 'string' },
      'history-minutes': { type: 'string' },
      'history-per-model': { type: 'string' },
    });
    const env = process.env;
    const port = numberOption(values.port ?? env.AEGIS_GATEWAY_PORT, '--port', DEFAULTS.port, { min: 0, max: 65535, integer: true });
    const host = values.host ?? env.AEGIS_GATEWAY_HOST ?? DEFAULTS.host;
    const allowedOrigins = parseOrigins(values['allowed-origins'] ?? env.AEGIS_GATEWAY_ALLOWED_ORIGINS);
    const historyMinutes = numberOption(values['history-minutes'] ?? env.AEGIS_GATEWAY_HISTORY_MINUTES, '--history-minutes', DEFAULTS.historyMinutes, {
      min: 1,
      max: 7 * 24 * 60,
    });
    const historyPerModel = numberOption(
      values['history-per-model'] ?? env.AEGIS_GATEWAY_HISTORY_PER_MODEL,
      '--history-per-model',
      DEFAULTS.historyPerModel,
      { min: 1, max: 100_000, integer: true },
    );
    const heartbeatMs = numberOption(env.AEGIS_GATEWAY_HEARTBEAT_MS, 'AEGIS_GATEWAY_HEARTBEAT_MS', DEFAULTS.heartbeatMs, { min: 100, integer: true });
    const maxBufferedBytes = numberOption(env.AEGIS_GATEWAY_MAX_BUFFERED_BYTES, 'AEGIS_GATEWAY_MAX_BUFFERED_BYTES', DEFAULTS.maxBufferedBytes, {
      min: 1024,
      integer: true,
    });
    const token = env.AEGIS_GATEWAY_TOKEN || undefined;
    const cluster = clusterFromFlags({});

    const log = createLogger('gateway');
    let gateway: RunningGateway;
    try {
      gateway = await startGateway({
        brokers: cluster.brokers,
        schemaRegistryUrl: cluster.schemaRegistryUrl,
        host,
        port,
        historyMinutes,
        historyPerModel,
        allowedOrigins,
        token,
        heartbeatMs,
        maxBufferedBytes,
        log,
      });
    } catch (err) {
      log.error({ err: (err as Error).message, brokers: cluster.brokers }, 'the gateway could not start');
      return 1;
    }
    process.stdout.write(`dashboard: ${gateway.url}/\n`);
    return new Promise<number>((resolve) => {
      onShutdown(async (signal) => {
        log.info({ signal }, 'stopping the gateway');
        await gateway.stop();
        log.info('gateway stopped');
        resolve(0);
      });
    });
  },
};

export default command;
