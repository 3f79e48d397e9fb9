import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  chiSquareGoodnessOfFit,
  chiSquareHomogeneity,
  jensenShannonSorted,
  ks2,
  psiSorted,
  wassersteinNormSorted,
} from '../../../pipeline/stats/index.ts';

interface Case {
  name: string;
  kind: 'numerical' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  expected: Record<string, any>;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/drift-stats.json', import.meta.url)), 'utf8')) as {
  cases: Case[];
};

function closeP(actual: number, expected: number, label: string) {
  const tol = Math.max(1e-6 * expected, 1e-10);
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual} vs scipy ${expected} (tol ${tol})`);
}

function closeRel(actual: number, expected: number, label: string) {
  const tol = expected === 0 ? 1e-12 : 1e-9 * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual} vs ${expected}`);
}

const sorted = (xs: (number | string)[]) => Float64Array.from(xs as number[]).sort();

describe('scipy / Evidently fixture (scipy 1.17, numpy 2.4)', () => {
  test('the fixture has both numerical and categorical cases', () => {
    assert.ok(fixture.cases.some((c) => c.kind === 'numerical'));
    assert.ok(fixture.cases.some((c) => c.kind === 'categorical'));
  });

  for (const c of fixture.cases) {
    if (c.kind === 'numerical') {
      test(`${c.name}: KS statistic and p-value`, () => {
        const r = ks2(c.reference as number[], c.current as number[]);
        assert.ok(Math.abs(r.statistic - c.expected.ks.statistic) <= 1e-12, `D ${r.statistic} vs ${c.expected.ks.statistic}`);
        closeP(r.pValue, c.expected.ks.pValue, 'p');
      });
      test(`${c.name}: PSI, normed Wasserstein, Jensen–Shannon`, () => {
        const ref = sorted(c.reference);
        const cur = sorted(c.current);
        closeRel(psiSorted(ref, cur), c.expected.psi, 'psi');
        closeRel(wassersteinNormSorted(ref, cur), c.expected.wassersteinNorm, 'wassersteinNorm');
        closeRel(jensenShannonSorted(ref, cur), c.expected.jensenShannon, 'jensenShannon');
      });
    } else {
      test(`${c.name}: chi-square goodness of fit and homogeneity`, () => {
        const ref = c.reference.map(String);
        const cur = c.current.map(String);
        const g = chiSquareGoodnessOfFit(ref, cur);
        closeRel(g.statistic, c.expected.chiSquare.statistic, 'chiSquare statistic');
        closeP(g.pValue, c.expected.chiSquare.pValue, 'chiSquare p');
        const h = chiSquareHomogeneity(ref, cur);
        closeRel(h.statistic, c.expected.chiSquareHomogeneity.statistic, 'homogeneity statistic');
        closeP(h.pValue, c.expected.chiSquareHomogeneity.pValue, 'homogeneity p');
      });
    }
  }
});
