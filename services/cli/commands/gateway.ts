/**
 * `aegis gateway`: the websocket gateway and dashboard server. Relays every
 * drift report from Kafka to the browsers within a second, with the last
 * hour rebuilt from the topic at start; Ctrl-C stops it gracefully.
 */
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
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

export const GATEWAY_OPTIONS = {
  table: {
    port: { type: 'number', arg: 'P', env: 'AEGIS_GATEWAY_PORT', integer: true, min: 0, max: 65535, default: DEFAULTS.port, help: 'listen port' },
    host: { type: 'string', arg: 'H', env: 'AEGIS_GATEWAY_HOST', default: DEFAULTS.host, help: 'listen address' },
    'allowed-origins': {
      type: 'string',
      arg: 'LIST',
      env: 'AEGIS_GATEWAY_ALLOWED_ORIGINS',
      defaultText: 'same origin only',
      help: 'comma-separated origins allowed to open the websocket,\ne.g. https://ops.example.com',
    },
    'history-minutes': { type: 'number', arg: 'M', env: 'AEGIS_GATEWAY_HISTORY_MINUTES', min: 1, max: 7 * 24 * 60, default: DEFAULTS.historyMinutes, help: 'history kept and rebuilt at start' },
    'history-per-model': {
      type: 'number',
      arg: 'N',
      env: 'AEGIS_GATEWAY_HISTORY_PER_MODEL',
      integer: true,
      min: 1,
      max: 100_000,
      default: DEFAULTS.historyPerModel,
      help: 'at most N reports per model in the history',
    },
    'allowed-hosts': {
      type: 'string',
      arg: 'LIST',
      env: 'AEGIS_GATEWAY_ALLOWED_HOSTS',
      help: 'comma-separated host names the gateway answers to besides H,\nlocalhost and IP literals, e.g. aegis.internal; any other Host\nheader gets 403 (DNS rebinding)',
    },
    'history-mb': {
      type: 'number',
      arg: 'MB',
      env: 'AEGIS_GATEWAY_HISTORY_MB',
      min: 1,
      max: 64 * 1024,
      default: DEFAULTS.historyMb,
      help: 'memory budget of the history, as JSON bytes: older full reports\nare let go first (each model\'s latest is kept), then the oldest chart points',
    },
    ...CLUSTER_OPTIONS,
    token: {
      type: 'string',
      envOnly: true,
      env: 'AEGIS_GATEWAY_TOKEN',
      help: "when set, websocket and /api clients must send it as\n'Authorization: Bearer <token>' (browsers: open /?access_token=<token>)",
    },
    'heartbeat-ms': { type: 'number', envOnly: true, env: 'AEGIS_GATEWAY_HEARTBEAT_MS', integer: true, min: 100, default: DEFAULTS.heartbeatMs, help: 'websocket ping interval' },
    'max-buffered-bytes': {
      type: 'number',
      envOnly: true,
      env: 'AEGIS_GATEWAY_MAX_BUFFERED_BYTES',
      integer: true,
      min: 1024,
      default: DEFAULTS.maxBufferedBytes,
      help: 'a client with more unsent bytes is dropped',
    },
    'max-total-buffered-bytes': {
      type: 'number',
      envOnly: true,
      env: 'AEGIS_GATEWAY_MAX_TOTAL_BUFFERED_BYTES',
      integer: true,
      min: 1024,
      default: DEFAULTS.maxTotalBufferedBytes,
      help: 'when all clients together have more unsent bytes, the furthest behind are dropped',
    },
  },
} as const satisfies CommandOptions;

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

${optionsHelp(GATEWAY_OPTIONS.table)}
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
    const { values } = parseOptions(argv, GATEWAY_OPTIONS);
    const { port, host, 'history-minutes': historyMinutes, 'history-per-model': historyPerModel, 'history-mb': historyMb } = values;
    const { 'heartbeat-ms': heartbeatMs, 'max-buffered-bytes': maxBufferedBytes, 'max-total-buffered-bytes': maxTotalBufferedBytes } = values;
    const allowedOrigins = parseOrigins(values['allowed-origins']);
    const allowedHosts = parseHosts(values['allowed-hosts']);
    const token = values.token || undefined;
    const cluster = await reachableCluster(values);

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
