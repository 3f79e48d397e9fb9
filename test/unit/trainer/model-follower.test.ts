/** The model service follows LATEST: a new version is served after the next check, a broken one is not. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { runTraining } from '../../../pipeline/model/training-run.ts';
import { loadArtifact, writeArtifact } from '../../../services/trainer/artifact-store.ts';
import { ModelFollower } from '../../../services/producer/model-follower.ts';
import { createLogger } from '../../../services/log.ts';

const dataset = parseWdbcCsv(await readFile(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const root = await mkdtemp(join(tmpdir(), 'aegis-follow-'));
after(() => rm(root, { recursive: true, force: true }));

describe('ModelFollower', () => {
  test('swaps in the version LATEST names, at most once per period, and keeps the model when LATEST is broken', async () => {
    const first = runTraining({ modelId: 'm', dataset, seed: 1, createdAt: 1 });
    const second = runTraining({ modelId: 'm', dataset, seed: 2, createdAt: 2 });
    await writeArtifact(root, first);
    const follower = new ModelFollower(await loadArtifact(root, 'm'), createLogger('test'), 1000);
    await follower.refresh(0);
    assert.equal(follower.version, first.version);
    await writeArtifact(root, second);
    await follower.refresh(500);
    assert.equal(follower.version, first.version, 'not before the period is over');
    await follower.refresh(1000);
    assert.equal(follower.version, second.version);
    assert.deepEqual(follower.model, second.model);
    await writeFile(join(root, 'm', 'LATEST'), 'nosuchversion\n');
    await follower.refresh(2000);
    assert.equal(follower.version, second.version, 'a version that cannot be loaded is not served');
  });
});
