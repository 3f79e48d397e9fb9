/**
 * The artifact folder: a training run written and read back whole, LATEST
 * moving to the newest version, and a clear error for a model never trained.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { predict } from '../../../pipeline/model/cart-model.ts';
import { runTraining } from '../../../pipeline/model/training-run.ts';
import {
  ArtifactNotFoundError,
  artifactsRoot,
  latestVersion,
  loadArtifact,
  loadProfile,
  writeArtifact,
} from '../../../services/trainer/artifact-store.ts';

const dataset = parseWdbcCsv(await readFile(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const root = await mkdtemp(join(tmpdir(), 'aegis-store-'));
after(() => rm(root, { recursive: true, force: true }));

describe('artifact store', () => {
  const first = runTraining({ modelId: 'm1', dataset, seed: 1, createdAt: 1000 });
  const second = runTraining({ modelId: 'm1', dataset, seed: 2, createdAt: 2000 });

  test('a written run reads back: model, profile and traffic pool', async () => {
    const dir = await writeArtifact(root, first);
    assert.equal(dir, join(root, 'm1', first.version));
    assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'profile.json', 'traffic.json']);
    const loaded = await loadArtifact(root, 'm1');
    assert.equal(loaded.model.version, first.version);
    assert.deepEqual(loaded.model.model, first.model);
    assert.deepEqual(loaded.model.poolSizes, { training: first.pools.training.length, reference: first.pools.reference.length, traffic: first.pools.traffic.length });
    assert.deepEqual(loaded.profile, first.profile);
    assert.deepEqual(loaded.traffic.rows, first.pools.traffic);
    assert.deepEqual(loaded.traffic.features, dataset.features);
    for (const r of dataset.rows) assert.equal(predict(loaded.model.model, r.values), predict(first.model, r.values));
  });

  test('LATEST follows the newest write; older versions stay loadable', async () => {
    assert.notEqual(second.version, first.version);
    await writeArtifact(root, second);
    assert.equal(await latestVersion(root, 'm1'), second.version);
    assert.deepEqual(await loadProfile(root, 'm1'), second.profile);
    assert.deepEqual(await loadProfile(root, 'm1', first.version), first.profile);
    assert.deepEqual((await readdir(join(root, 'm1'))).filter((f) => f.endsWith('.tmp')), []);
  });

  test('a model never trained is an ArtifactNotFoundError', async () => {
    assert.equal(await latestVersion(root, 'nope'), undefined);
    await assert.rejects(loadArtifact(root, 'nope'), ArtifactNotFoundError);
    await assert.rejects(loadProfile(root, 'm1', 'ffffffffffff'), ArtifactNotFoundError);
  });

  test('the folder comes from the flag, else AEGIS_ARTIFACTS_DIR, else ./artifacts', () => {
    assert.equal(artifactsRoot('/x/y', { AEGIS_ARTIFACTS_DIR: '/z' }), '/x/y');
    assert.equal(artifactsRoot(undefined, { AEGIS_ARTIFACTS_DIR: '/z' }), '/z');
    assert.equal(artifactsRoot(undefined, {}), join(process.cwd(), 'artifacts'));
  });
});
