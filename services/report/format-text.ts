/** The human-readable table of `aegis report --format text`. */
import { getTest, type TestName, type TestOutcome } from '../../pipeline/stats/index.ts';
import type { ReportDocument } from './build-report.ts';

const SHORT: Record<TestName, string> = {
  ks: 'ks',
  psi: 'psi',
  psiDeciles: 'psi10',
  wassersteinNorm: 'wn',
  jensenShannon: 'js',
  chiSquare: 'chi2',
  chiSquareHomogeneity: 'chi2h',
  zTest: 'z',
};

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toFixed(4).replace(/\.?0+$/, '') : x.toExponential(2);
}

function outcome(name: TestName, o: TestOutcome): string {
  return 'pValue' in o ? `${SHORT[name]} ${formatNumber(o.statistic)} (p ${formatNumber(o.pValue)})` : `${SHORT[name]} ${formatNumber(o.value)}`;
}

export function formatText(doc: ReportDocument): string {
  const head = ['', 'feature', 'kind', 'n ref', 'n cur', 'missing', 'test', 'score', 'threshold', 'all tests'];
  const rows = doc.features.map((f) => {
    const t = getTest(f.drift.test);
    const rule = t.direction === 'p-value below' ? `p < ${f.drift.threshold}` : `>= ${f.drift.threshold}`;
    return [
      f.drift.detected ? '*' : '',
      f.name,
      f.kind,
      String(f.nReference),
      String(f.nCurrent),
      `${f.missingReference}/${f.missingCurrent}`,
      f.drift.test,
      formatNumber(f.drift.score),
      rule,
      (Object.entries(f.tests) as [TestName, TestOutcome][]).map(([n, o]) => outcome(n, o)).join('; '),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const d = doc.dataset;
  const pct = (x: number) => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
  return [
    `Drift report (preset ${doc.preset}): reference ${doc.reference.path} (${doc.reference.rows} rows), current ${doc.current.path} (${doc.current.rows} rows)`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `* drifted. missing = empty cells in reference/current. score: p-value${d.correction === 'none' ? '' : ` (${d.correction === 'bh' ? 'Benjamini-Hochberg' : 'Bonferroni'} adjusted)`} or distance.`,
    `Dataset drift: ${d.detected ? 'DETECTED' : 'not detected'}: ${d.drifted} of ${d.total} features drifted (${pct(d.share)}; threshold ${pct(d.threshold)}).`,
  ].join('\n');
}
