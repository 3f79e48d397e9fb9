/**
 * `aegis train`: fits the monitored CART model on the Breast Cancer Wisconsin
 * data, prints its holdout metrics on stdout, writes the versioned artifact
 * and publishes the reference profile to aegis.references.v1. With --watch it
 * is the retraining loop's trainer instead (services/trainer/retrain-watcher.ts).
 */
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { DEFAULT_SEED } from '../../../pipeline/model/training-run.ts';
import { artifactsRoot, DEFAULT_ARTIFACTS_DIR } from '../../trainer/artifact-store.ts';
import { CLUSTER_OPTIONS, NO_CLUSTER_HINT, reachableCluster } from '../cluster-flags.ts';
import { DEFAULT_DATA_FILE, summary, trainModel } from '../../trainer/trainer.ts';
import { DEFAULT_MODEL_ID, modelIdOption, SEED_OPTION } from '../../trainer/model-options.ts';
import { RetrainWatcher } from '../../trainer/retrain-watcher.ts';
import { createKafka } from '../../kafka/client.ts';
import { ensureTopics } from '../../kafka/topic-setup.ts';
import { onShutdown } from '../../shutdown.ts';
import type { ClusterAddresses } from '../../stack/cluster.ts';
import { createRegistry } from '../../../pipeline/serde/registry-serde.ts';

export const TRAIN_OPTIONS = {
  table: {
    model: { type: 'string', arg: 'ID', env: 'AEGIS_MODEL', defaultText: DEFAULT_MODEL_ID, help: 'model id' },
    artifacts: { type: 'string', arg: 'DIR', env: 'AEGIS_ARTIFACTS_DIR', defaultText: `./${DEFAULT_ARTIFACTS_DIR}`, help: 'artifacts folder' },
    seed: { ...SEED_OPTION, default: DEFAULT_SEED, help: 'split seed' },
    data: { type: 'string', arg: 'FILE', defaultText: 'services/trainer/data/wdbc.csv', help: 'the WDBC CSV' },
    'no-publish': { type: 'boolean', help: 'write the artifact only; no Kafka needed' },
    watch: { type: 'boolean', help: 'serve retrain requests instead of training once (see below)' },
    recent: { type: 'number', arg: 'S', env: 'AEGIS_RETRAIN_RECENT', default: 300, min: 10, max: 86_400, help: 'with --watch: seconds of recent labelled traffic to train on' },
    group: { type: 'string', arg: 'ID', env: 'AEGIS_TRAIN_GROUP', default: 'aegis-trainer', help: 'with --watch: consumer group on the retrain requests' },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis train [--model ID] [--artifacts DIR] [--seed N] [--data FILE]
                   [--no-publish] [--brokers HOSTS] [--registry URL]
       aegis train --watch [--artifacts DIR] [--recent S] [--group ID]

Trains the monitored model, a CART classification tree (ml-cart) for
malignant (M) vs benign (B), on the Breast Cancer Wisconsin (Diagnostic) data.
The rows are split, stratified by diagnosis with a seeded generator, into
training 40%, reference 30% and traffic 30% pools. Prints accuracy, precision
and recall (malignant = positive) on the reference + traffic rows on stdout.

Writes <artifacts>/<model>/<version>/{model.json,profile.json,traffic.json}
and <artifacts>/<model>/LATEST (version = first 12 hex digits of the sha256 of
the canonical model JSON), then publishes the reference profile (Avro,
schemas/reference-profile.avsc) to the compacted topic ${TOPICS.references},
keyed by model id, creating the topic if needed.

With --watch, runs until stopped as the retraining loop's trainer: for each
RetrainRequest on ${TOPICS.retrainRequests} about a model in <artifacts>, reads
the model's inference events and labels of the last --recent seconds, joins
them by eventId, trains a candidate on the older half and scores it beside the
version in service on the newer half. It is promoted when its accuracy is at
least the current one's: its artifact is written (LATEST moves) and its
reference profile published, so the engine and \`aegis produce\` switch to it.
Each decision, with both scores, goes to ${TOPICS.retrainDecisions}.

${optionsHelp(TRAIN_OPTIONS.table)}

Without --no-publish, needs a cluster: run 'aegis stack up' and export the two
lines it prints.
`;

async function watch(cluster: ClusterAddresses, root: string, groupId: string, recentS: number): Promise<number> {
  const log = createLogger('trainer');
  const kafka = createKafka(cluster.brokers, 'aegis-trainer', log);
  const watcher = new RetrainWatcher({ kafka, registry: createRegistry(cluster.schemaRegistryUrl), cluster, artifactsRoot: root, groupId, recentMs: recentS * 1000, log });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    await watcher.start();
  } catch (err) {
    process.stderr.write(`aegis: train --watch could not start (retriable: is Kafka at ${cluster.brokers.join(',')} and the registry up?): ${(err as Error).message}\n`);
    await watcher.stop().catch(() => undefined);
    return 1;
  }
  log.info({ groupId, artifacts: root, recentS }, 'trainer watching retrain requests');
  return new Promise<number>((resolve) => {
    onShutdown(async (signal) => {
      log.info({ signal }, 'stopping');
      await watcher.stop();
      log.info({ decisions: watcher.decisions }, 'trainer stopped');
      resolve(0);
    });
  });
}

const command: Command = {
  name: 'train',
  summary: 'train the model, write its artifact, publish its reference profile; --watch: retrain on request',
  help,
  async run(argv) {
    const { values, sources } = parseOptions(argv, TRAIN_OPTIONS);
    const env = process.env;
    const modelId = modelIdOption(values.model);
    const { seed } = values;
    const publish = !values['no-publish'];
    if (!publish && (sources.brokers === '--brokers' || sources.registry === '--registry')) {
      throw new UsageError('--no-publish cannot be combined with --brokers or --registry');
    }
    if (values.watch) {
      if (!publish) throw new UsageError('--watch cannot be combined with --no-publish');
      return watch(await reachableCluster(values), artifactsRoot(values.artifacts, env), values.group, values.recent);
    }
    const cluster = publish ? await reachableCluster(values, `${NO_CLUSTER_HINT}, or pass --no-publish`) : undefined;
    const log = createLogger('trainer');
    const result = await trainModel({
      modelId,
      dataFile: values.data ?? DEFAULT_DATA_FILE,
      artifactsRoot: artifactsRoot(values.artifacts, env),
      seed,
      cluster,
      log,
    });
    process.stdout.write(summary(result, TOPICS.references) + '\n');
    return 0;
  },
};

export default command;
