/**
 * `aegis train`: fits the monitored CART model on the Breast Cancer Wisconsin
 * data, prints its holdout metrics on stdout, writes the versioned artifact
 * and publishes the reference profile to aegis.references.v1.
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

export const TRAIN_OPTIONS = {
  table: {
    model: { type: 'string', arg: 'ID', env: 'AEGIS_MODEL', defaultText: DEFAULT_MODEL_ID, help: 'model id' },
    artifacts: { type: 'string', arg: 'DIR', env: 'AEGIS_ARTIFACTS_DIR', defaultText: `./${DEFAULT_ARTIFACTS_DIR}`, help: 'artifacts folder' },
    seed: { ...SEED_OPTION, default: DEFAULT_SEED, help: 'split seed' },
    data: { type: 'string', arg: 'FILE', defaultText: 'services/trainer/data/wdbc.csv', help: 'the WDBC CSV' },
    'no-publish': { type: 'boolean', help: 'write the artifact only; no Kafka needed' },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis train [--model ID] [--artifacts DIR] [--seed N] [--data FILE]
                   [--no-publish] [--brokers HOSTS] [--registry URL]

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

${optionsHelp(TRAIN_OPTIONS.table)}

Without --no-publish, needs a cluster: run 'aegis stack up' and export the two
lines it prints.
`;

const command: Command = {
  name: 'train',
  summary: 'train the model, write its artifact, publish its reference profile',
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
