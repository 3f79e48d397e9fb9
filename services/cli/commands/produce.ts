/**
 * `aegis produce`: the monitored model's service and a traffic simulator in
 * one — replays the trained model's traffic pool with measurement noise and
 * an optional failure scenario, publishing inference events and, after a
 * delay, their ground-truth labels.
 */
import { randomInt } from 'node:crypto';
import { numberOption, parseFlags, UsageError, type Command } from '../command.ts';
import { createLogger } from '../../log.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { onShutdown } from '../../shutdown.ts';
import {
  createScenario,
  DEFAULT_SCENARIO_SETTINGS as D,
  isScenarioName,
  SCENARIO_NAMES,
} from '../../../pipeline/simulator/scenarios.ts';
import { ArtifactNotFoundError, artifactsRoot, DEFAULT_ARTIFACTS_DIR, loadArtifact } from '../../trainer/artifact-store.ts';
import { clusterFromFlags } from '../cluster-flags.ts';
import { DEFAULT_MODEL_ID, modelIdOption, seedOption } from '../../trainer/model-options.ts';
import { runTrafficProducer } from '../../producer/traffic-producer.ts';

const DEFAULT_RATE = 50;
const DEFAULT_NOISE = 0.01;
const DEFAULT_LABEL_DELAY_S = 5;
const DEFAULT_FEATURES = 'worst_radius';

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

Options (environment variable in brackets):
  --model ID          model id [AEGIS_MODEL] (default ${DEFAULT_MODEL_ID})
  --rate R            events per second, in [0.001, 100000] [AEGIS_RATE] (default ${DEFAULT_RATE})
  --count N           stop after N events [AEGIS_COUNT] (default: until Ctrl-C)
  --noise SD          multiplicative noise std dev, in [0, 1] [AEGIS_NOISE] (default ${DEFAULT_NOISE})
  --scenario NAME     one of the scenarios above [AEGIS_SCENARIO] (default healthy)
  --after N           events before the scenario starts [AEGIS_AFTER] (default ${D.after})
  --features a,b      features the scenario changes [AEGIS_FEATURES] (default ${DEFAULT_FEATURES})
  --share S           nan-burst / concept-shift share, in [0, 1] [AEGIS_SHARE] (default ${D.share})
  --sigma K           gradual-shift size in std devs [AEGIS_SIGMA] (default ${D.sigma})
  --duration N        gradual-shift length in events, >= 1 [AEGIS_DURATION] (default ${D.duration})
  --label-delay S     seconds until a label is sent, >= 0; 0 sends it with its
                      event [AEGIS_LABEL_DELAY] (default ${DEFAULT_LABEL_DELAY_S})
  --seed N            seed of sampling, noise and scenario [AEGIS_SEED] (default: random, logged)
  --artifacts DIR     artifacts folder [AEGIS_ARTIFACTS_DIR] (default ./${DEFAULT_ARTIFACTS_DIR})
  --brokers HOSTS     Kafka brokers, comma-separated [KAFKA_BROKERS]
  --registry URL      schema registry URL [SCHEMA_REGISTRY_URL]
  -h, --help          this text

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
    const { values: v } = parseFlags(argv, {
      model: { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
      noise: { type: 'string' },
      scenario: { type: 'string' },
      after: { type: 'string' },
      features: { type: 'string' },
      share: { type: 'string' },
      sigma: { type: 'string' },
      duration: { type: 'string' },
      'label-delay': { type: 'string' },
      seed: { type: 'string' },
      artifacts: { type: 'string' },
      brokers: { type: 'string' },
      registry: { type: 'string' },
    });
    const env = process.env;
    const modelId = modelIdOption(v.model ?? env.AEGIS_MODEL);
    const rate = numberOption(v.rate ?? env.AEGIS_RATE, '--rate', DEFAULT_RATE, { min: 0.001, max: 100_000 });
    const countRaw = v.count ?? env.AEGIS_COUNT;
    const count = countRaw === undefined || countRaw === '' ? undefined : numberOption(countRaw, '--count', 0, { min: 1, integer: true });
    const noise = numberOption(v.noise ?? env.AEGIS_NOISE, '--noise', DEFAULT_NOISE, { min: 0, max: 1 });
    const scenarioName = v.scenario ?? env.AEGIS_SCENARIO ?? 'healthy';
    if (!isScenarioName(scenarioName)) throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')}, got '${scenarioName}'`);
    const after = numberOption(v.after ?? env.AEGIS_AFTER, '--after', D.after, { min: 0, integer: true });
    const share = numberOption(v.share ?? env.AEGIS_SHARE, '--share', D.share, { min: 0, max: 1 });
    const sigma = numberOption(v.sigma ?? env.AEGIS_SIGMA, '--sigma', D.sigma);
    const duration = numberOption(v.duration ?? env.AEGIS_DURATION, '--duration', D.duration, { min: 1, integer: true });
    const labelDelay = numberOption(v['label-delay'] ?? env.AEGIS_LABEL_DELAY, '--label-delay', DEFAULT_LABEL_DELAY_S, { min: 0, max: 86_400 });
    const seed = seedOption(v.seed ?? env.AEGIS_SEED, randomInt(2 ** 32 - 1));
    const root = artifactsRoot(v.artifacts, env);
    const cluster = clusterFromFlags(v, env);

    let artifact;
    try {
      artifact = await loadArtifact(root, modelId);
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) throw new UsageError(`no trained model '${modelId}' in ${root}: run \`aegis train --model ${modelId}\` first`);
      throw err;
    }
    const { model } = artifact.model;
    const features = featureIndices(v.features ?? env.AEGIS_FEATURES ?? DEFAULT_FEATURES, model.features);
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
