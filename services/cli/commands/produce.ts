/**
 * `aegis produce`: the monitored model's service and a traffic simulator in
 * one — replays the trained model's traffic pool with measurement noise and
 * an optional failure scenario, publishing inference events and, after a
 * delay, their ground-truth labels.
 */
import { randomInt } from 'node:crypto';
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { onShutdown } from '../../shutdown.ts';
import {
  createScenario,
  DEFAULT_SCENARIO_SETTINGS as D,
  SCENARIO_NAMES,
} from '../../../pipeline/simulator/scenarios.ts';
import { ArtifactNotFoundError, artifactsRoot, DEFAULT_ARTIFACTS_DIR, loadArtifact } from '../../trainer/artifact-store.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
import { DEFAULT_MODEL_ID, modelIdOption, SEED_OPTION } from '../../trainer/model-options.ts';
import { runTrafficProducer } from '../../producer/traffic-producer.ts';

const DEFAULT_RATE = 50;
const DEFAULT_NOISE = 0.01;
const DEFAULT_LABEL_DELAY_S = 5;
const DEFAULT_FEATURES = 'worst_radius';

export const PRODUCE_OPTIONS = {
  table: {
    model: { type: 'string', arg: 'ID', env: 'AEGIS_MODEL', defaultText: DEFAULT_MODEL_ID, help: 'model id' },
    rate: { type: 'number', arg: 'R', env: 'AEGIS_RATE', min: 0.001, max: 100_000, default: DEFAULT_RATE, help: 'events per second' },
    count: { type: 'number', arg: 'N', env: 'AEGIS_COUNT', integer: true, min: 1, defaultText: 'until Ctrl-C', help: 'stop after N events' },
    noise: { type: 'number', arg: 'SD', env: 'AEGIS_NOISE', min: 0, max: 1, default: DEFAULT_NOISE, help: 'multiplicative noise std dev' },
    scenario: { type: 'string', arg: 'NAME', env: 'AEGIS_SCENARIO', choices: SCENARIO_NAMES, default: 'healthy', help: 'one of the scenarios above' },
    after: { type: 'number', arg: 'N', env: 'AEGIS_AFTER', integer: true, min: 0, default: D.after, help: 'events before the scenario starts' },
    features: { type: 'string', arg: 'a,b', env: 'AEGIS_FEATURES', default: DEFAULT_FEATURES, help: 'features the scenario changes' },
    share: { type: 'number', arg: 'S', env: 'AEGIS_SHARE', min: 0, max: 1, default: D.share, help: 'nan-burst / concept-shift share' },
    sigma: { type: 'number', arg: 'K', env: 'AEGIS_SIGMA', min: -1000, max: 1000, default: D.sigma, help: 'gradual-shift size in std devs (negative: downwards)' },
    duration: { type: 'number', arg: 'N', env: 'AEGIS_DURATION', integer: true, min: 1, default: D.duration, help: 'gradual-shift length in events' },
    'label-delay': {
      type: 'number',
      arg: 'S',
      env: 'AEGIS_LABEL_DELAY',
      min: 0,
      max: 86_400,
      default: DEFAULT_LABEL_DELAY_S,
      help: 'seconds until a label is sent; 0 sends it with its event',
    },
    seed: { ...SEED_OPTION, defaultText: 'random, logged', help: 'seed of sampling, noise and scenario' },
    artifacts: { type: 'string', arg: 'DIR', env: 'AEGIS_ARTIFACTS_DIR', defaultText: `./${DEFAULT_ARTIFACTS_DIR}`, help: 'artifacts folder' },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis produce [--model ID] [--rate R] [--count N] [--noise SD]
                     [--scenario NAME [--after N] [--features a,b] [--share S]
                      [--sigma K] [--duration N]] [--label-delay S] [--seed N]
                     [--artifacts DIR] [--brokers HOSTS] [--registry URL]

Serves the latest trained artifact of the model (see 'aegis train') on
simulated traffic: each event resamples a row of the artifact's traffic pool,
multiplies each value by (1 + SD*z), z ~ N(0,1), applies the scenario, runs the
model (latency timed around the model call) and publishes an Avro
InferenceEvent to ${TOPICS.inference}, keyed by model id. Each event's true
diagnosis goes to ${TOPICS.labels} after the label delay.

Scenarios (from event --after on, events numbered from 0, on --features):
  healthy          no change (default)
  sensor-failure   the features read exactly 0
  nan-burst        each feature value is missing (null) with probability --share
  scale-shift      the features are multiplied by 10 (a unit change)
  gradual-shift    the features move by --sigma reference std devs, linearly over
                   --duration events
  concept-shift    features unchanged; the label flips with probability --share
  traffic-spike    the send rate is multiplied by 10

${optionsHelp(PRODUCE_OPTIONS.table)}

Progress is logged on stderr every 5 s. Ctrl-C (SIGINT) or SIGTERM stops: the
labels still pending are sent at once (early rather than lost), the producer
flushes and disconnects, exit 0. With --count, the producer waits after the
last event until the last label is due, then exits. While the broker is down
(e.g. restarting) sends are retried, 250 ms doubling to 5 s, until delivered:
events and labels are delayed, never lost or sent twice.
`;

/** Splits and checks --features against the model's features, naming the first unknown one. */
export function featureIndices(raw: string, modelFeatures: readonly string[]): number[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--features needs at least one feature name`);
  return [...new Set(names)].map((name) => {
    const i = modelFeatures.indexOf(name);
    if (i < 0) throw new UsageError(`--features: unknown feature '${name}' (the model's features: ${modelFeatures.join(', ')})`);
    return i;
  });
}

const command: Command = {
  name: 'produce',
  summary: 'serve the model on simulated traffic, with failure scenarios',
  help,
  async run(argv) {
    const { values: v } = parseOptions(argv, PRODUCE_OPTIONS);
    const env = process.env;
    const modelId = modelIdOption(v.model);
    const { rate, count, noise, after, share, sigma, duration, 'label-delay': labelDelay } = v;
    const scenarioName = v.scenario;
    const seed = v.seed ?? randomInt(2 ** 32 - 1);
    const root = artifactsRoot(v.artifacts, env);
    const cluster = await reachableCluster(v);

    let artifact;
    try {
      artifact = await loadArtifact(root, modelId);
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) throw new UsageError(`no trained model '${modelId}' in ${root}: run \`aegis train --model ${modelId}\` first`);
      throw err;
    }
    const { model } = artifact.model;
    const features = featureIndices(v.features, model.features);
    const stds = model.features.map((name) => artifact.profile.features.find((p) => p.name === name)?.std ?? NaN);
    const scenario = createScenario(scenarioName, { ...D, after, features, share, sigma, duration, stds });

    const log = createLogger('producer');
    const stop = new AbortController();
    const off = onShutdown((sig) => {
      log.info({ signal: sig }, 'stopping');
      stop.abort();
    });
    try {
      const stats = await runTrafficProducer({
        cluster,
        artifact,
        rate,
        count,
        scenario,
        noise,
        seed,
        labelDelayMs: labelDelay * 1000,
        signal: stop.signal,
        log,
      });
      log.info({ ...stats }, 'done');
    } finally {
      off();
    }
    return 0;
  },
};

export default command;
