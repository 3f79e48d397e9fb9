/**
 * `aegis models`: the models registered on aegis.references.v1.
 */
import type { Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { createKafka } from '../../kafka/client.ts';
import { TOPICS } from '../../kafka/topics.ts';
import { ReferenceStore } from '../../engine/reference-store.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
import { createRegistry } from '../../../pipeline/serde/registry-serde.ts';
import type { ReferenceProfile } from '../../../pipeline/serde/reference-profile.ts';

export const MODELS_OPTIONS = {
  table: {
    format: { type: 'string', arg: 'F', choices: ['text', 'json'], default: 'text', help: 'text or json' },
    features: { type: 'boolean', help: 'text: list every feature with its kind' },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis models [options]

Lists the models registered on ${TOPICS.references} (by 'aegis reference' or
'aegis train'): id, version, when, reference rows, and their features with
their kinds.

${optionsHelp(MODELS_OPTIONS.table)}
`;

export interface ModelSummary {
  modelId: string;
  modelVersion: string;
  createdAt: string;
  rows: number;
  features: Array<{ name: string; kind: string }>;
  classes: string[];
}

export function summarize(p: ReferenceProfile): ModelSummary {
  return {
    modelId: p.modelId,
    modelVersion: p.modelVersion,
    createdAt: new Date(p.createdAt).toISOString(),
    rows: p.rowCount,
    features: p.features.map((f) => ({ name: f.name, kind: f.kind })),
    classes: p.prediction.classes.map((c) => c.label),
  };
}

const command: Command = {
  name: 'models',
  summary: 'list the registered models, their features and versions',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, MODELS_OPTIONS);
    const format = values.format;
    const cluster = await reachableCluster(values);
    const log = createLogger('models', 'warn');
    const store = new ReferenceStore(createKafka(cluster.brokers, 'aegis-models', log), createRegistry(cluster.schemaRegistryUrl), log);
    await store.start();
    await store.stop();
    const models = store.all().sort((a, b) => a.modelId.localeCompare(b.modelId)).map(summarize);
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ models }, null, 2) + '\n');
      return 0;
    }
    if (models.length === 0) {
      process.stdout.write(`no models on ${TOPICS.references}: register one with 'aegis reference --model ID --from FILE.csv'\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const m of models) {
      const numeric = m.features.filter((f) => f.kind === 'NUMERIC').length;
      lines.push(
        `${m.modelId}  version ${m.modelVersion}  ${m.createdAt}  ${m.rows} reference rows  ` +
          `${m.features.length} features (${numeric} numeric, ${m.features.length - numeric} categorical)` +
          (m.classes.length ? `  classes ${m.classes.join(', ')}` : ''),
      );
      if (values.features) for (const f of m.features) lines.push(`  ${f.name}  ${f.kind.toLowerCase()}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};

export default command;
