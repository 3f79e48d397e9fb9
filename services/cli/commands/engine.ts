/**
 * `aegis engine`: the drift engine as a long-running consumer group.
 */
import { hostname } from 'node:os';
import type { Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { createKafka } from '../../kafka/client.ts';
import { createRegistry } from '../../../pipeline/serde/registry-serde.ts';
import { DEFAULT_POLICY, type DriftPolicy } from '../../../pipeline/drift/drift-policy.ts';
import { SECONDS_PER_DAY } from '../../../pipeline/drift/calibration.ts';
import { DriftEngine, type WindowSpec } from '../../engine/drift-engine.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
import { onShutdown } from '../../shutdown.ts';
import { startEngineOps } from '../../engine/ops.ts';

/**
 * The largest --window: 1M events × (features + 3) doubles is 264 MB for a
 * 30-feature model, and every evaluation sorts a copy of each column.
 */
export const MAX_WINDOW = 1_000_000;

export const ENGINE_OPTIONS = {
  table: {
    interval: { type: 'number', arg: 'S', env: 'AEGIS_INTERVAL', min: 0.1, max: 3600, default: 10, help: 'seconds between evaluations' },
    window: { type: 'number', arg: 'N', env: 'AEGIS_WINDOW', integer: true, min: 10, max: MAX_WINDOW, default: 1000, help: 'count window: the last N events per model' },
    'window-span': {
      type: 'number',
      arg: 'S',
      env: 'AEGIS_WINDOW_SPAN',
      min: 1,
      max: 7 * 86400,
      help: 'time window instead: the events of the last S seconds, a uniform\nsample of at most --window of them',
    },
    'min-samples': { type: 'number', arg: 'N', env: 'AEGIS_MIN_SAMPLES', integer: true, min: 1, max: MAX_WINDOW, default: 200, help: 'events a model needs before it is evaluated' },
    'stale-after': {
      type: 'number',
      arg: 'S',
      env: 'AEGIS_STALE_AFTER',
      min: 0.1,
      max: 7 * 86400,
      defaultText: '3 intervals',
      help: 'a model with no new event for S seconds is reported STALE',
    },
    group: { type: 'string', arg: 'ID', env: 'AEGIS_ENGINE_GROUP', default: 'aegis-engine', help: 'consumer group' },
    'false-alarms-per-day': {
      type: 'number',
      arg: 'F',
      env: 'AEGIS_FALSE_ALARMS_PER_DAY',
      min: 0,
      max: 86400,
      default: DEFAULT_POLICY.falseAlarmsPerDay,
      help: 'false AMBER-or-worse evaluations allowed per model per day: the\nlevel every test runs at (see README); 0: uncalibrated, --alpha\nand --correction with the --min-effect floor',
    },
    alpha: { type: 'number', arg: 'P', min: 0, max: 1, default: DEFAULT_POLICY.alpha, help: 'significance level after correction (uncalibrated only)' },
    correction: { type: 'string', arg: 'C', choices: ['bh', 'bonferroni', 'none'], default: DEFAULT_POLICY.correction, help: 'bh | bonferroni | none (uncalibrated only)' },
    'min-effect': { type: 'number', arg: 'D', min: 0, max: 1, default: DEFAULT_POLICY.minEffect, help: 'practical-significance floor: KS D (or total variation) a\nsignificant feature needs to count as drifted' },
    'red-effect': { type: 'number', arg: 'D', min: 0, max: 1, default: DEFAULT_POLICY.redEffect, help: 'KS D at which a drifted feature is RED' },
    'ops-port': { type: 'number', arg: 'P', env: 'AEGIS_ENGINE_OPS_PORT', integer: true, min: 1, max: 65535, defaultText: 'off', help: 'serve GET /healthz and Prometheus GET /metrics on port P' },
    'ops-host': { type: 'string', arg: 'H', env: 'AEGIS_ENGINE_OPS_HOST', default: '127.0.0.1', help: 'address of that endpoint' },
    ...CLUSTER_OPTIONS,
  },
  relations: [
    { smaller: 'min-samples', larger: 'window', why: 'a window never holds more than --window events, so no model would ever be evaluated' },
    { smaller: 'min-effect', larger: 'red-effect', why: 'a feature is RED at --red-effect only once it has drifted at --min-effect' },
  ],
} as const satisfies CommandOptions;

const help = `Usage: aegis engine [options]

Consumes aegis.inference.v1 in a consumer group, keeps a bounded sliding window
per model, and every interval evaluates each model with at least --min-samples
events against its reference profile (read from aegis.references.v1). Publishes
one DriftReport per model to aegis.drift-reports.v1, one Alert per change of
state to aegis.alerts.v1, and undecodable or invalid events to
aegis.dead-letter.v1, in one Kafka transaction with the group's offsets. A
model with no new event for --stale-after is reported STALE. Engines of one
group share the models by partition; a partition taken over is re-read from
before its committed offset to refill the window. Ctrl-C drains and exits.

${optionsHelp(ENGINE_OPTIONS.table)}
`;

const command: Command = {
  name: 'engine',
  summary: 'run the drift engine',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, ENGINE_OPTIONS);
    const { interval: intervalS, window: size, 'window-span': spanS, 'min-samples': minSamples, correction } = values;
    const policy: DriftPolicy = {
      ...DEFAULT_POLICY,
      falseAlarmsPerDay: values['false-alarms-per-day'],
      evaluationsPerDay: SECONDS_PER_DAY / intervalS,
      alpha: values.alpha,
      correction,
      minEffect: values['min-effect'],
      redEffect: values['red-effect'],
    };
    const window: WindowSpec = spanS ? { kind: 'time', spanMs: spanS * 1000, capacity: size } : { kind: 'count', size };
    const cluster = await reachableCluster(values);
    const log = createLogger('engine');
    const kafka = createKafka(cluster.brokers, `aegis-engine-${hostname()}`, log);
    const groupId = values.group;
    const engine = new DriftEngine(
      kafka,
      createRegistry(cluster.schemaRegistryUrl),
      { groupId, intervalMs: intervalS * 1000, minSamples, window, policy, staleAfterMs: values['stale-after'] && values['stale-after'] * 1000 },
      log,
    );
    await engine.start();
    const opsPort = values['ops-port'];
    const ops = opsPort ? await startEngineOps({ kafka, groupId, stats: () => engine.stats, host: values['ops-host'], port: opsPort, log }) : undefined;
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
