/**
 * One evaluation path: the rows of an engine window, written to CSV and given
 * to `aegis report` (buildReport, preset aegis) against the reference rows,
 * give the same statistics per feature and test, and the same deciding test
 * with the same adjusted p-value — with calibration off (UNCALIBRATED_POLICY),
 * which is the 'aegis' preset's rule. Calibrated (DEFAULT_POLICY), the engine
 * decides by KS-or-mean at the false-alarm budget's level instead, on the
 * same statistics: every test both compute still agrees.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateWindow } from '../../../pipeline/drift/evaluate-window.ts';
import { DEFAULT_POLICY, UNCALIBRATED_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { WindowLayout } from '../../../pipeline/drift/window-layout.ts';
import { buildProfile } from '../../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32, type Rng } from '../../../pipeline/random.ts';
import { SlidingWindow } from '../../../pipeline/windows/sliding-window.ts';
import { getTest, TEST_NAMES, type TestName } from '../../../pipeline/stats/test-registry.ts';
import { buildReport } from '../../../services/report/build-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'aegis-agreement-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Row = { income: number; age: number; region: string; plan: string };
const REGIONS = ['north', 'south', 'east', 'west'];

function rows(rng: Rng, n: number, shift: number): Row[] {
  return Array.from({ length: n }, () => ({
    income: gaussian(rng, 50 + shift, 10),
    age: Math.round(gaussian(rng, 40, 10)),
    region: REGIONS[Math.min(3, Math.floor(rng() * (4 - shift / 10)))],
    plan: rng() < 0.6 ? 'basic' : 'gold',
  }));
}

function csv(data: Row[]): string {
  return ['income,age,region,plan', ...data.map((r) => `${r.income},${r.age},${r.region},${r.plan}`)].join('\n') + '\n';
}

for (const shift of [0, 15]) {
  test(`engine and aegis report agree on every statistic (${shift ? 'drifted' : 'healthy'} window)`, async () => {
    const rng = mulberry32(11 + shift);
    const ref = rows(rng, 700, 0);
    const cur = rows(rng, 900, shift);
    writeFileSync(join(dir, `ref-${shift}.csv`), csv(ref));
    writeFileSync(join(dir, `cur-${shift}.csv`), csv(cur));

    const names = ['income', 'age', 'region', 'plan'] as const;
    const profile = buildProfile({
      modelId: 'agree',
      modelVersion: 'v',
      createdAt: 0,
      features: names.map((name) => ({ name, kind: typeof ref[0][name] === 'number' ? ('NUMERIC' as const) : ('CATEGORICAL' as const), values: ref.map((r) => r[name]) })),
    });
    const layout = new WindowLayout(profile);
    const window = new SlidingWindow(layout.width, cur.length);
    cur.forEach((r, i) => {
      const row = new Float64Array(layout.width);
      layout.row({ eventId: `e${i}`, modelId: 'agree', modelVersion: 'v', eventTime: i, features: { ...r }, prediction: null, score: null, latencyMs: null }, row);
      window.push(i, row);
    });
    const ctx = { reportId: 'r', evaluatedAt: 0, invalidEvents: 0, invalidEventsTotal: 0, eventsSinceLastReport: 0, secondsSinceLastReport: 0 };
    const engine = evaluateWindow(profile, layout, window.snapshot(), UNCALIBRATED_POLICY, ctx);
    const calibrated = evaluateWindow(profile, layout, window.snapshot(), DEFAULT_POLICY, ctx);
    const report = await buildReport(join(dir, `ref-${shift}.csv`), join(dir, `cur-${shift}.csv`), { preset: 'aegis' });

    let compared = 0;
    for (const f of report.features) {
      const e = engine.features.find((x) => x.name === f.name)!;
      assert.equal(e.kind.toLowerCase(), f.kind, f.name);
      assert.notEqual(f.drift.test, 'integrity', f.name);
      assert.equal(e.decidingTest, getTest(f.drift.test as TestName).wireName, f.name);
      for (const name of TEST_NAMES) {
        const outcome = f.tests[name];
        if (!outcome) continue;
        const [statistic, pValue] = 'pValue' in outcome ? [outcome.statistic, outcome.pValue] : [outcome.value, null];
        for (const [which, r] of [['uncalibrated', engine], ['calibrated', calibrated]] as const) {
          const mine = r.features.find((x) => x.name === f.name)!.tests.find((t) => t.test === getTest(name).wireName);
          assert.ok(mine, `${f.name}: ${which} engine has no ${name}`);
          assert.ok(Math.abs(mine.statistic - statistic) <= 1e-12 * Math.max(1, Math.abs(statistic)), `${which} ${f.name} ${name}: ${mine.statistic} vs ${statistic}`);
          if (pValue !== null) assert.ok(Math.abs(mine.pValue! - pValue) <= 1e-12, `${which} ${f.name} ${name} p: ${mine.pValue} vs ${pValue}`);
        }
        compared++;
      }
      const deciding = e.tests[0];
      if (deciding.pValue !== null) assert.ok(Math.abs(deciding.adjustedPValue! - f.drift.score) <= 1e-12, `${f.name}: adjusted p ${deciding.adjustedPValue} vs ${f.drift.score}`);
    }
    assert.ok(compared >= 14, `${compared} statistics compared`);
    if (shift) for (const r of [engine, calibrated]) assert.ok(r.features.find((f) => f.name === 'income')!.drifted);
  });
}
