/**
 * `aegis train` without the flag parsing: read the data set, run the pure
 * training run, write the versioned artifact, publish the profile (unless
 * offline), and render the human-readable summary printed on stdout.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseWdbcCsv } from '../../pipeline/model/dataset.ts';
import { POOL_SHARES, runTraining, type TrainingRun } from '../../pipeline/model/training-run.ts';
import { UsageError } from '../cli/command.ts';
import type { Logger } from '../log.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';
import { writeArtifact } from './artifact-store.ts';
import { publishProfile } from '../reference/profile-publisher.ts';

export const DEFAULT_DATA_FILE = fileURLToPath(new URL('./data/wdbc.csv', import.meta.url));

export interface TrainOptions {
  modelId: string;
  dataFile: string;
  artifactsRoot: string;
  seed: number;
  /** undefined: offline, nothing is published. */
  cluster?: ClusterAddresses;
  log: Logger;
}

export interface TrainResult {
  run: TrainingRun;
  dir: string;
  published: boolean;
}

export async function trainModel({ modelId, dataFile, artifactsRoot, seed, cluster, log }: TrainOptions): Promise<TrainResult> {
  let text: string;
  try {
    text = await readFile(dataFile, 'utf8');
  } catch (err) {
    throw new UsageError(`--data: cannot read ${dataFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const dataset = parseWdbcCsv(text);
  log.info({ dataFile, rows: dataset.rows.length, features: dataset.features.length, seed }, 'training');
  const run = runTraining({ modelId, dataset, seed, createdAt: Date.now() });
  const dir = await writeArtifact(artifactsRoot, run);
  log.info({ dir, version: run.version }, 'wrote the model artifact');
  if (cluster) await publishProfile(cluster, run.profile, log);
  return { run, dir, published: cluster !== undefined };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;
const fixed = (x: number) => x.toFixed(3);

/** The stdout summary: what was trained, how well it does on the holdout, where it went. */
export function summary({ run, dir, published }: TrainResult, topic: string): string {
  const { pools, holdout: h } = run;
  return [
    `model     ${run.modelId} version ${run.version} (CART, ${run.model.features.length} features, seed ${run.seed})`,
    `rows      training ${pools.training.length} (${pct(POOL_SHARES.training)}), reference ${pools.reference.length} (${pct(POOL_SHARES.reference)}), ` +
      `traffic ${pools.traffic.length} (${pct(POOL_SHARES.traffic)}), stratified by diagnosis`,
    `holdout   ${h.n} rows (reference + traffic), malignant = positive`,
    `accuracy  ${fixed(h.accuracy)}`,
    `precision ${fixed(h.precision)}`,
    `recall    ${fixed(h.recall)}`,
    `confusion TP ${h.truePositive}  FP ${h.falsePositive}  TN ${h.trueNegative}  FN ${h.falseNegative}`,
    `artifact  ${dir}`,
    published ? `profile   published to ${topic} (key ${run.modelId})` : 'profile   not published (--no-publish)',
  ].join('\n');
}
