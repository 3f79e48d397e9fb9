/**
 * `aegis train`: fits the monitored CART model on the Breast Cancer Wisconsin
 * data, prints its holdout metrics on stdout, writes the versioned artifact
 * and publishes the reference profile to aegis.references.v1.
 */
import { parseFlags, UsageError, type Command } from '../command.ts';
import { createLogger } from '../../log.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { DEFAULT_SEED } from '../../../pipeline/model/training-run.ts';
import { artifactsRoot, DEFAULT_ARTIFACTS_DIR } from '../../trainer/artifact-store.ts';
import { clusterFromFlags, NO_CLUSTER_HINT } from '../cluster-flags.ts';
import { DEFAULT_DATA_FILE, summary, trainModel } from '../../trainer/trainer.ts';
import { DEFAULT_MODEL_ID, modelIdOption, seedOption } from '../../trainer/model-options.ts';

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

Options:
  --model ID        model id (env AEGIS_MODEL, default ${DEFAULT_MODEL_ID})
  --artifacts DIR   artifacts folder (env AEGIS_ARTIFACTS_DIR, default ./${DEFAULT_ARTIFACTS_DIR})
  --seed N          split seed, an integer (env AEGIS_SEED, default ${DEFAULT_SEED})
  --data FILE       the WDBC CSV (default services/trainer/data/wdbc.csv)
  --no-publish      write the artifact only; no Kafka needed
  --brokers HOSTS   Kafka brokers, comma-separated (env KAFKA_BROKERS)
  --registry URL    schema registry URL (env SCHEMA_REGISTRY_URL)
  -h, --help        this text

Without --no-publish, needs a cluster: run 'aegis stack up' and export the two
lines it prints.
`;

const command: Command = {
  name: 'train',
  summary: 'train the model, write its artifact, publish its reference profile',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      model: { type: 'string' },
      artifacts: { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      'no-publish': { type: 'boolean' },
      brokers: { type: 'string' },
      registry: { type: 'string' },
    });
    const env = process.env;
    const modelId = modelIdOption(values.model ?? env.AEGIS_MODEL);
    const seed = seedOption(values.seed ?? env.AEGIS_SEED, DEFAULT_SEED);
    const publish = !values['no-publish'];
    if (!publish && (values.brokers || values.registry)) throw new UsageError('--no-publish cannot be combined with --brokers or --registry');
    const cluster = publish ? clusterFromFlags(values, env, `${NO_CLUSTER_HINT}, or pass --no-publish`) : undefined;
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
