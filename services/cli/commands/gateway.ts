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

const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  historyMinutes: 60,
  historyPerModel: 720,
  historyMb: 64,
  heartbeatMs: 15_000,
  maxBufferedBytes: 4 << 20,
  maxTotalBufferedBytes: 64 << 20,
};

const help = `Usage: aegis gateway [--port P] [--host H] [--allowed-origins LIST] [--allowed-hosts LIST]
                     [--history-minutes M] [--history-per-model N] [--history-mb MB]

Consumes aegis.drift-reports.v1 (in a consumer group of its own) and pushes
each report to the dashboard's websocket clients; serves the dashboard at
http://H:P/ and a REST API. On start, the reports of the last M minutes are
read back from the topic, so a new client first gets that history.

Routes: / (dashboard), /ws (websocket: hello, the history's chart points,
then each report), /api/models, /api/models/:id/reports?since=<epoch ms>
(full reports still held), /api/models/:id/series?since=<epoch ms>&feature=<name>
(chart points as columns), /healthz (200 while Kafka answers), /metrics (Prometheus).

Options:
  --port P               listen port (env AEGIS_GATEWAY_PORT, default ${DEFAULTS.port})
  --host H               listen address (env AEGIS_GATEWAY_HOST, default ${DEFAULTS.host})
  --allowed-origins LIST comma-separated origins allowed to open the websocket,
                         e.g. https://ops.example.com (env AEGIS_GATEWAY_ALLOWED_ORIGINS;
                         default: same origin only)
  --allowed-hosts LIST   comma-separated host names the gateway answers to besides
                         H, localhost and IP literals, e.g. aegis.internal
                         (env AEGIS_GATEWAY_ALLOWED_HOSTS); any other Host header
                         gets 403 (DNS rebinding)
  --history-minutes M    history kept and rebuilt at start (env AEGIS_GATEWAY_HISTORY_MINUTES, default ${DEFAULTS.historyMinutes})
  --history-per-model N  at most N reports per model in the history (env AEGIS_GATEWAY_HISTORY_PER_MODEL, default ${DEFAULTS.historyPerModel})
  --history-mb MB        memory budget of the history, as JSON bytes: older full reports
                         are let go first (each model's latest is kept), then the oldest
                         chart points (env AEGIS_GATEWAY_HISTORY_MB, default ${DEFAULTS.historyMb})
  -h, --help             this text

Environment:
  KAFKA_BROKERS, SCHEMA_REGISTRY_URL   the cluster (required; see 'aegis stack up')
  AEGIS_GATEWAY_TOKEN    when set, websocket and /api clients must send it as
                         'Authorization: Bearer <token>' (browsers: open /?access_token=<token>)
  AEGIS_GATEWAY_HEARTBEAT_MS           websocket ping interval (default ${DEFAULTS.heartbeatMs})
  AEGIS_GATEWAY_MAX_BUFFERED_BYTES     a client with more unsent bytes is dropped (default ${DEFAULTS.maxBufferedBytes})
  AEGIS_GATEWAY_MAX_TOTAL_BUFFERED_BYTES  when all clients together have more unsent
                         bytes, the furthest behind are dropped (default ${DEFAULTS.maxTotalBufferedBytes})
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

/** Host names as in a Host header, without port: letters, digits, dots and dashes. */
function parseHosts(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
    .map((h) => {
      if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\.?$/.test(h)) throw new UsageError(`--allowed-hosts: '${h}' is not a host name like aegis.example.com`);
      return h;
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
      'allowed-hosts': { type: 'string' },
      'history-mb': { type: 'string' },
      'history-minutes': { type: 'string' },
      'history-per-model': { type: 'string' },
    });
    const env = process.env;
    const port = numberOption(values.port ?? env.AEGIS_GATEWAY_PORT, '--port', DEFAULTS.port, { min: 0, max: 65535, integer: true });
    const host = values.host ?? env.AEGIS_GATEWAY_HOST ?? DEFAULTS.host;
    const allowedOrigins = parseOrigins(values['allowed-origins'] ?? env.AEGIS_GATEWAY_ALLOWED_ORIGINS);
    const allowedHosts = parseHosts(values['allowed-hosts'] ?? env.AEGIS_GATEWAY_ALLOWED_HOSTS);
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
    const historyMb = numberOption(values['history-mb'] ?? env.AEGIS_GATEWAY_HISTORY_MB, '--history-mb', DEFAULTS.historyMb, { min: 1, max: 64 * 1024 });
    const heartbeatMs = numberOption(env.AEGIS_GATEWAY_HEARTBEAT_MS, 'AEGIS_GATEWAY_HEARTBEAT_MS', DEFAULTS.heartbeatMs, { min: 100, integer: true });
    const maxBufferedBytes = numberOption(env.AEGIS_GATEWAY_MAX_BUFFERED_BYTES, 'AEGIS_GATEWAY_MAX_BUFFERED_BYTES', DEFAULTS.maxBufferedBytes, {
      min: 1024,
      integer: true,
    });
    const maxTotalBufferedBytes = numberOption(
      env.AEGIS_GATEWAY_MAX_TOTAL_BUFFERED_BYTES,
      'AEGIS_GATEWAY_MAX_TOTAL_BUFFERED_BYTES',
      DEFAULTS.maxTotalBufferedBytes,
      { min: 1024, integer: true },
    );
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
        historyMaxBytes: Math.round(historyMb * 1024 * 1024),
        allowedOrigins,
        allowedHosts,
        token,
        heartbeatMs,
        maxBufferedBytes,
        maxTotalBufferedBytes,
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
