/**
 * The trainer's output on disk, one folder per model version:
 *
 *   <artifacts>/<modelId>/<version>/model.json    ModelArtifact: the tree, feature order, metadata
 *   <artifacts>/<modelId>/<version>/profile.json  ReferenceProfile (the Avro contract's shape)
 *   <artifacts>/<modelId>/<version>/traffic.json  TrafficPool: the rows replayed as traffic, with labels
 *   <artifacts>/<modelId>/LATEST                  the latest version, one line
 *
 * version = first 12 hex digits of sha256 over the canonical model JSON, so
 * retraining the same data with the same seed lands in the same folder.
 * Files are written to a temporary name and renamed, and LATEST moves last,
 * so a reader never sees a half-written version.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { deserialize, type CartHyperparameters, type CartModel } from '../../pipeline/model/cart-model.ts';
import type { LabeledRow } from '../../pipeline/model/dataset.ts';
import type { ClassificationMetrics } from '../../pipeline/model/metrics.ts';
import type { PoolName, TrainingRun } from '../../pipeline/model/training-run.ts';

export const DEFAULT_ARTIFACTS_DIR = 'artifacts';
export const LATEST_FILE = 'LATEST';

/** model.json */
export interface ModelArtifact {
  modelId: string;
  version: string;
  /** timestamp-millis */
  createdAt: number;
  seed: number;
  hyperparameters: CartHyperparameters;
  poolSizes: Record<PoolName, number>;
  holdout: ClassificationMetrics;
  model: CartModel;
}

/** traffic.json */
export interface TrafficPool {
  modelId: string;
  version: string;
  features: string[];
  rows: LabeledRow[];
}

export interface LoadedArtifact {
  dir: string;
  model: ModelArtifact;
  profile: ReferenceProfile;
  traffic: TrafficPool;
}

/** No artifact for the model (or that version) in the folder. */
export class ArtifactNotFoundError extends Error {
  override name = 'ArtifactNotFoundError';
}

/** The artifacts folder: the flag, else AEGIS_ARTIFACTS_DIR, else ./artifacts; absolute. */
export function artifactsRoot(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.AEGIS_ARTIFACTS_DIR || DEFAULT_ARTIFACTS_DIR);
}

export function versionDir(root: string, modelId: string, version: string): string {
  return join(root, modelId, version);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Writes a training run's three files and moves LATEST to it; returns the version folder. */
export async function writeArtifact(root: string, run: TrainingRun): Promise<string> {
  const dir = versionDir(root, run.modelId, run.version);
  await mkdir(dir, { recursive: true });
  const model: ModelArtifact = {
    modelId: run.modelId,
    version: run.version,
    createdAt: run.profile.createdAt,
    seed: run.seed,
    hyperparameters: run.model.hyperparameters,
    poolSizes: { training: run.pools.training.length, reference: run.pools.reference.length, traffic: run.pools.traffic.length },
    holdout: run.holdout,
    model: run.model,
  };
  const traffic: TrafficPool = { modelId: run.modelId, version: run.version, features: run.model.features, rows: run.pools.traffic };
  await writeAtomically(join(dir, 'model.json'), json(model));
  await writeAtomically(join(dir, 'profile.json'), json(run.profile));
  await writeAtomically(join(dir, 'traffic.json'), json(traffic));
  await writeAtomically(join(root, run.modelId, LATEST_FILE), run.version + '\n');
  return dir;
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactNotFoundError(`${path} does not exist`);
    throw err;
  }
}

/** The version LATEST names, or undefined when the model has never been trained into `root`. */
export async function latestVersion(root: string, modelId: string): Promise<string | undefined> {
  try {
    return (await readFile(join(root, modelId, LATEST_FILE), 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function resolveVersion(root: string, modelId: string, version?: string): Promise<string> {
  const v = version ?? (await latestVersion(root, modelId));
  if (!v) throw new ArtifactNotFoundError(`no trained model '${modelId}' in ${root}`);
  return v;
}

/** Loads a model version (default: the latest) with its profile and traffic pool. */
export async function loadArtifact(root: string, modelId: string, version?: string): Promise<LoadedArtifact> {
  const dir = versionDir(root, modelId, await resolveVersion(root, modelId, version));
  const [model, profile, traffic] = await Promise.all([
    readJson<ModelArtifact>(join(dir, 'model.json')),
    readJson<ReferenceProfile>(join(dir, 'profile.json')),
    readJson<TrafficPool>(join(dir, 'traffic.json')),
  ]);
  model.model = deserialize(model.model);
  return { dir, model, profile, traffic };
}

/** The reference profile of a model version (default: the latest), e.g. for a drift engine running offline. */
export async function loadProfile(root: string, modelId: string, version?: string): Promise<ReferenceProfile> {
  const dir = versionDir(root, modelId, await resolveVersion(root, modelId, version));
  return readJson<ReferenceProfile>(join(dir, 'profile.json'));
}
