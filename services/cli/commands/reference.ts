/**
 * `aegis reference`: registers any model with Aegis from its reference data.
 */
import { createHash } from 'node:crypto';
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
import { modelIdOption } from '../../trainer/model-options.ts';
import { profileFromCsv } from '../../reference/reference-csv.ts';
import { publishProfile } from '../../reference/profile-publisher.ts';
import { CSV_OPTIONS, csvInput } from '../../report/column-kinds.ts';
import { pointsPerFeature } from '../../../pipeline/reference/build-profile.ts';

export const REFERENCE_OPTIONS = {
  table: {
    model: { type: 'string', arg: 'ID', help: 'the model id its inference events carry (required)' },
    from: { type: 'string', arg: 'FILE', help: 'the reference CSV (required)' },
    prediction: { type: 'string', arg: 'COL', help: "the model's predicted class per row" },
    score: { type: 'string', arg: 'COL', help: "the model's score per row (e.g. a probability)" },
    label: {
      type: 'string',
      arg: 'COL',
      help: "the true label per row: with --prediction, the model's accuracy,\nprecision and recall become the baseline for live accuracy",
    },
    'positive-label': { type: 'string', arg: 'L', help: 'the positive class for precision and recall\n(default: true or 1 when present, else the rarest label)' },
    ...CSV_OPTIONS,
    version: { type: 'string', arg: 'V', defaultText: 'a hash of the profile', help: 'the reference version' },
    'dry-run': { type: 'boolean', help: 'print the profile summary; publish nothing, no Kafka needed' },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis reference --model ID --from FILE.csv [options]

Builds a model's reference profile from its own reference data and publishes
it to the compacted topic ${TOPICS.references} (Avro, keyed by model id), so
that 'aegis engine' monitors the model's events on aegis.inference.v1. Run it
again with new data (or a new --version) to replace the reference; the
engine switches to it without a restart.

The CSV has a header row and one row per reference prediction (e.g. the
training or validation data with the model's outputs). Every column not
named by --prediction, --score or --label is a feature. A column of
true/false, or one whose cells are mostly not numbers, is categorical; the
others are numeric (stray non-number cells in them are left out as invalid,
with a warning). Empty cells are missing values.

${optionsHelp(REFERENCE_OPTIONS.table)}

What is stored per numeric feature: every sorted value up to
${pointsPerFeature(1).toLocaleString('en-US')} rows (fewer per feature for very wide models), above that as
many evenly spaced quantiles, whose distribution is within 1/(2k) of the full
reference's (see README); per categorical feature: each category's count.
`;

const list = (raw: string | undefined) => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []);

const command: Command = {
  name: 'reference',
  summary: "register any model: build its reference profile from a CSV and publish it",
  help,
  async run(argv) {
    const { values } = parseOptions(argv, REFERENCE_OPTIONS);
    if (!values.model) throw new UsageError('--model is required (the model id its inference events carry)');
    if (!values.from) throw new UsageError('--from is required (the reference CSV file)');
    const modelId = modelIdOption(values.model);
    const { delimiter } = csvInput(values).read;
    if (values.version !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(values.version)) {
      throw new UsageError(`--version must be letters, digits, '.', '_' or '-', got '${values.version}'`);
    }
    const dryRun = values['dry-run'] === true;
    const cluster = dryRun ? undefined : await reachableCluster(values);
    const { profile, rows } = await profileFromCsv({
      modelId,
      version: values.version ?? '',
      file: values.from,
      predictionColumn: values.prediction,
      scoreColumn: values.score,
      labelColumn: values.label,
      positiveLabel: values['positive-label'],
      categorical: list(values.categorical),
      numeric: list(values.numeric),
      delimiter,
      createdAt: Date.now(),
      warn: (line) => process.stderr.write(`aegis: warning: ${line}\n`),
    });
    // Same data, same version: the default version is a hash of what the profile says.
    const version = values.version ?? createHash('sha256').update(JSON.stringify([profile.features, profile.prediction, profile.performance])).digest('hex').slice(0, 12);
    profile.modelVersion = version;
    const kinds = (k: string) => profile.features.filter((f) => f.kind === k).length;
    const lines = [
      `model     ${modelId} version ${version}`,
      `reference ${rows} rows from ${values.from}`,
      `features  ${profile.features.length}: ${kinds('NUMERIC')} numeric, ${kinds('CATEGORICAL')} categorical`,
      ...profile.features.slice(0, 50).map((f) =>
        f.kind === 'NUMERIC'
          ? `  ${f.name}  numeric  ${f.count} values${f.exact ? '' : ` (${f.values.length} quantiles)`}, missing ${(100 * f.missingShare).toFixed(1)}%`
          : `  ${f.name}  categorical  ${f.categories.length} categories, missing ${(100 * f.missingShare).toFixed(1)}%`,
      ),
      ...(profile.features.length > 50 ? [`  … and ${profile.features.length - 50} more`] : []),
      `outputs   ${profile.prediction.classes.length ? `classes ${profile.prediction.classes.map((c) => c.label).join(', ')}` : 'no prediction column'}; ${profile.prediction.scores.length ? 'scores' : 'no score column'}`,
      profile.performance
        ? `baseline  accuracy ${profile.performance.accuracy.toFixed(3)} on ${profile.performance.rows} labelled rows (positive ${profile.performance.positiveLabel})`
        : 'baseline  none (give --prediction and --label to judge live accuracy)',
    ];
    if (cluster) {
      await publishProfile(cluster, profile, createLogger('reference'));
      lines.push(`published to ${TOPICS.references} (key ${modelId})`);
    } else lines.push('not published (--dry-run)');
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};

export default command;
