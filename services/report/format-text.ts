/**
 * The human-readable table of `aegis report --format text`. Names and paths
 * come from the files, so control characters in them are escaped
 * (terminal-text.ts): data cannot clear the screen or split a row.
 */
import { getTest, type TestName, type TestOutcome } from '../../pipeline/stats/index.ts';
import { escapeControls } from '../cli/terminal-text.ts';
import type { FeatureReport, ReportDocument } from './build-report.ts';

const SHORT: Record<TestName, string> = {
  ks: 'ks',
  psi: 'psi',
  psiDeciles: 'psi10',
  wassersteinNorm: 'wn',
  jensenShannon: 'js',
  chiSquare: 'chi2',
  chiSquareHomogeneity: 'chi2h',
  zTest: 'z',
  meanShift: 'mean',
  ksMean: 'ks|mean',
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

function rule(d: FeatureReport['drift']): string {
  if (d.test === 'integrity') return `+${d.threshold} missing`;
  return getTest(d.test).direction === 'p-value below' ? `p < ${d.threshold}` : `>= ${d.threshold}`;
}

export function formatText(doc: ReportDocument): string {
  const head = ['', 'feature', 'kind', 'n ref', 'n cur', 'missing', 'invalid', 'test', 'score', 'threshold', 'all tests'];
  const rows = doc.features.map((f) => [
    f.drift.detected ? '*' : '',
    escapeControls(f.name),
    f.kind,
    String(f.nReference),
    String(f.nCurrent),
    `${f.missingReference}/${f.missingCurrent}`,
    `${f.invalidReference}/${f.invalidCurrent}`,
    f.drift.test,
    formatNumber(f.drift.score),
    rule(f.drift),
    (Object.entries(f.tests) as [TestName, TestOutcome][]).map(([n, o]) => outcome(n, o)).join('; '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const d = doc.dataset;
  const pct = (x: number) => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
  return [
    `Drift report (preset ${doc.preset}): reference ${escapeControls(doc.reference.path)} (${doc.reference.rows} rows), current ${escapeControls(doc.current.path)} (${doc.current.rows} rows)`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `* drifted. missing = empty cells, invalid = cells of a numeric column that are not finite numbers, in reference/current.`,
    `score: p-value${d.correction === 'none' ? '' : ` (${d.correction === 'bh' ? 'Benjamini-Hochberg' : 'Bonferroni'} adjusted)`} or distance; ` +
      `integrity: rise in the share of missing or invalid rows (a column with values in one file only fails).`,
    `Dataset drift: ${d.detected ? 'DETECTED' : 'not detected'}: ${d.drifted} of ${d.total} features drifted (${pct(d.share)}; threshold ${pct(d.threshold)})` +
      (d.integrityFailures ? `; ${d.integrityFailures} failed integrity, which alone makes the dataset drifted.` : '.'),
  ].join('\n');
}
