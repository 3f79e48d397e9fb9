/**
 * The one line that says why a feature is RED and not AMBER (or AMBER and
 * not RED): the RED criteria it meets or misses, in its own units and in
 * reference standard deviations, e.g.
 *
 *   RED: mean moved 3.4 σ (≥ 0.75 σ): 16.3 → 0
 *   AMBER, not RED: mean moved 0.51 σ (< 0.75 σ); spread ×1.02 (< ×2); D 0.2 (< 0.5)
 *   AMBER: held — this window alone says GREEN; it falls back after calm evaluations in a row
 */
import type { Status } from '../serde/drift-report.ts';
import type { Levels, Verdict, VerdictInput } from './feature-verdict.ts';
import { redCriteria } from './feature-verdict.ts';

const fmt = (x: number) => (!Number.isFinite(x) || Math.abs(x) >= 1000 || x === 0 ? x.toFixed(0) : String(Number(x.toPrecision(Math.abs(x) >= 10 ? 3 : 2))));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export interface SeverityFacts {
  input: VerdictInput;
  verdict: Verdict;
  /** The status the feature shows after hysteresis. */
  status: Status;
  referenceMean: number | null;
  currentMean: number | null;
  referenceStd: number | null;
  currentStd: number | null;
}

export function severityLine(f: SeverityFacts, levels: Levels): string {
  if (f.status === 'GREEN') return '';
  if (f.status !== f.verdict.status) {
    return `${f.status}: held — this window alone says ${f.verdict.status}; it falls back after calm evaluations in a row`;
  }
  const { input, verdict } = f;
  const parts: Array<{ red: boolean; text: string }> = [];
  if (verdict.drifted) {
    const red = redCriteria(input, levels);
    if (input.shiftSigma !== null && f.referenceMean !== null && f.currentMean !== null) {
      parts.push({
        red: red.shift,
        text: `mean moved ${fmt(input.shiftSigma)} σ (${red.shift ? '≥' : '<'} ${fmt(levels.redShift)} σ): ${fmt(f.referenceMean)} → ${fmt(f.currentMean)}`,
      });
    }
    if (input.scaleRatio !== null && f.referenceStd !== null && f.currentStd !== null) {
      parts.push({
        red: red.scale,
        text: `spread ×${fmt(input.scaleRatio)} (${red.scale ? 'beyond' : 'within'} ×${fmt(levels.redScale)}): σ ${fmt(f.referenceStd)} → ${fmt(f.currentStd)}`,
      });
    }
    parts.push({ red: red.effect, text: `${input.kind === 'NUMERIC' ? 'D' : 'TV'} ${fmt(input.effect)} (${red.effect ? '≥' : '<'} ${fmt(levels.redEffect)})` });
  }
  const share = (name: string, rule: 'missing' | 'invalid' | 'outside', value: number, red: number) => {
    if (verdict.integrity.includes(rule)) parts.push({ red: value >= red, text: `${name} ${pct(value)} (${value >= red ? '≥' : '<'} ${pct(red)})` });
  };
  share('missing', 'missing', input.excessMissing.share, levels.redMissing);
  share('invalid', 'invalid', input.invalid.share, levels.redMissing);
  share(input.kind === 'NUMERIC' ? 'out of range' : 'unseen categories', 'outside', input.outOfRange.share, levels.redOutOfRange);
  const met = parts.filter((p) => p.red).map((p) => p.text);
  if (f.status === 'RED') return `RED: ${met.length ? met.join('; ') : 'distance at twice its threshold or more'}`;
  return `AMBER, not RED: ${parts.map((p) => p.text).join('; ')}`;
}
