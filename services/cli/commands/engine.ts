/**
 * `aegis engine`: the drift engine as a long-running consumer group.
 */
import { hostname } from 'node:os';
import { numberOption, parseFlags, UsageError, type Command } from '../command.ts';
import { createLogger } from '../../log.ts';
import { createKafka } from '../../kafka/client.ts';
import { createRegistry } from '../../../pipeline/serde/registry-serde.ts';
import { DEFAULT_POLICY, type DriftPolicy } from '../../../pipeline/drift/drift-policy.ts';
import { DriftEngine, type WindowSpec } from '../../engine/drift-engine.ts';
import { clusterFromFlags } from '../cluster-flags.ts';
import { onShutdown } from '../../shutdown.ts';
import { startEngineOps } from '../../engine/ops.ts';

const help = `Usage: aegis engine [options]

Consumes aegis.inference.v1 in a consumer group, keeps a bounded sliding window
per model, and every interval evaluates each model with at least --min-samples
events against its reference profile (read from aegis.references.v1). Publishes
one DriftReport per model to aegis.drift-reports.v1, one Alert per change of
state to aegis.alerts.v1, and undecodable or invalid events to
aegis.dead-letter.v1. Ctrl-C drains and exits.

Options:
  --interval S        seconds between evaluations (env AEGIS_INTERVAL, default 10)
  --window N          count window: the last N events per model (env AEGIS_WINDOW, default 1000)
  --window-span S     time window instead: the events of the last S seconds, a uniform
                      sample of at most --window of them (env AEGIS_WINDOW_SPAN)
  --min-samples N     events a model needs before it is evaluated (env AEGIS_MIN_SAMPLES, default 200)
  --group ID          consumer group (env AEGIS_ENGINE_GROUP, default aegis-engine)
  --alpha P           significance level after correction (default ${DEFAULT_POLICY.alpha})
  --correction C      bh | bonferroni | none (default ${DEFAULT_POLICY.correction})
  --min-effect D      KS D a significant feature needs to count as drifted (default ${DEFAULT_POLICY.minEffect})
  --red-effect D      KS D at which a drifted feature is RED (default ${DEFAULT_POLICY.redEffect})
  --ops-port P        serve GET /healthz and Prometheus GET /metrics on port P
                      (env AEGIS_ENGINE_OPS_PORT, default: off)
  --ops-host H        address of that endpoint (env AEGIS_ENGINE_OPS_HOST, default 127.0.0.1)
  --brokers HOSTS     Kafka brokers (env KAFKA_BROKERS)
  --registry URL      schema registry URL (env SCHEMA_REGISTRY_URL)
  -h, --help          this text
`;

const command: Command = {
  name: 'engine',
  summary: 'run the drift engine',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      interval: { type: 'string' },
      window: { type: 'string' },
      'window-span': { type: 'string' },
      'min-samples': { type: 'string' },
      group: { type: 'string' },
      alpha: { type: 'string' },
      correction: { type: 'string' },
      'min-effect': { type: 'string' },
      'red-effect': { type: 'string' },
      'ops-port': { type: 'string' },
      'ops-host': { type: 'string' },
      brokers: { type: 'string' },
      registry: { type: 'string' },
    });
    const env = process.env;
    const intervalS = numberOption(values.interval ?? env.AEGIS_INTERVAL, '--interval', 10, { min: 0.1, max: 3600 });
    const size = numberOption(values.window ?? env.AEGIS_WINDOW, '--window', 1000, { min: 10, max: 10_000_000, integer: true });
    const spanS = numberOption(values['window-span'] ?? env.AEGIS_WINDOW_SPAN, '--window-span', 0, { min: 1, max: 7 * 86400 });
    const opsPort = numberOption(values['ops-port'] ?? env.AEGIS_ENGINE_OPS_PORT, '--ops-port', 0, { min: 1, max: 65535, integer: true });
    const minSamples = numberOption(values['min-samples'] ?? env.AEGIS_MIN_SAMPLES, '--min-samples', 200, { min: 1, integer: true });
    const correction = values.correction ?? DEFAULT_POLICY.correction;
    if (correction !== 'bh' && correction !== 'bonferroni' && correction !== 'none') {
      throw new UsageError(`--correction must be bh, bonferroni or none, got '${correction}'`);
    }
    const policy: DriftPolicy = {
      ...DEFAULT_POLICY,
      alpha: numberOption(values.alpha, '--alpha', DEFAULT_POLICY.alpha, { min: 0, max: 1 }),
      correction,
      minEffect: numberOption(values['min-effect'], '--min-effect', DEFAULT_POLICY.minEffect, { min: 0, max: 1 }),
      redEffect: numberOption(values['red-effect'], '--red-effect', DEFAULT_POLICY.redEffect, { min: 0, max: 1 }),
    };
    const window: WindowSpec = spanS ? { kind: 'time', spanMs: spanS * 1000, capacity: size } : { kind: 'count', size };
    const cluster = clusterFromFlags(values);
    const log = createLogger('engine');
    const kafka = createKafka(cluster.brokers, `aegis-engine-${hostname()}`, log);
    const groupId = values.group ?? env.AEGIS_ENGINE_GROUP ?? 'aegis-engine';
    const engine = new DriftEngine(
      kafka,
      createRegistry(cluster.schemaRegistryUrl),
      { groupId, intervalMs: intervalS * 1000, minSamples, window, policy },
      log,
    );
    await engine.start();
    const host = values['ops-host'] ?? env.AEGIS_ENGINE_OPS_HOST ?? '127.0.0.1';
    const ops = opsPort ? await startEngineOps({ kafka, groupId, stats: engine.stats, host, port: opsPort, log }) : undefined;
    return new Promise<number>((resolve) => {
      onShutdown(async (signal) => {
        log.info({ signal }, 'draining');
        await ops?.close();
        await engine.stop();
        log.info({ ...engine.stats }, 'engine stopped');
        resolve(0);
      });
    });
  },
};

export default command;
