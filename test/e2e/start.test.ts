/**
 * `aegis start` (what `npm start` runs) on the test cluster: it trains a model
 * into an empty artifacts folder, runs the engine, the gateway and the
 * stuck-sensor producer and the notifier with their names in front of their
 * log lines, the model goes GREEN then RED, the demo receiver gets the signed
 * notification, and Ctrl-C stops every service it started.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AegisChild } from '../support/aegis-child.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { freePort } from '../../services/stack/ports.ts';

function running(pattern: string): number {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('aegis start', () => {
  test('the whole demo: trained model, engine, gateway, producer, notify; GREEN then RED, notified; Ctrl-C stops all', async () => {
    const cluster = testCluster();
    const artifacts = mkdtempSync(join(tmpdir(), 'aegis-start-'));
    const port = await freePort();
    const model = unique('start');
    const start = new AegisChild(
      ['start', '--port', String(port), '--artifacts', artifacts, '--model', model, '--interval', '1', '--rate', '300', '--fail-after', '4500'],
      { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl },
    );
    try {
      await start.waitFor(/no model yet: training one/, 60_000);
      await start.waitFor(new RegExp(`\\[gateway\\] dashboard: http://127\\.0\\.0\\.1:${port}/`), 60_000);
      await start.waitFor(/\[engine\] .*"modelId":"[^"]*".*report GREEN/, 60_000);
      await start.waitFor(/\[engine\] .*report RED: worst_radius RED/, 60_000);
      await start.waitFor(new RegExp(`\\[receiver\\] incident.opened ${model} (AMBER|RED) \\(was GREEN\\).*signature ok`), 60_000);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(page.status, 200);
      const models = (await (await fetch(`http://127.0.0.1:${port}/api/models`)).json()) as unknown;
      assert.match(JSON.stringify(models), new RegExp(model));
      assert.ok(running(`main.ts (engine|gateway|produce) .*`) >= 3, 'engine, gateway and producer run');
    } finally {
      start.child.kill('SIGINT');
    }
    assert.equal(await start.exited, 0, start.tail());
    assert.equal(running(`main.ts produce .*--model ${model}`), 0, 'no producer left');
    assert.equal(running(`main.ts gateway --port ${port}`), 0, 'no gateway left');
    rmSync(artifacts, { recursive: true, force: true });
  });
});
