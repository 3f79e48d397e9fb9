/**
 * Hysteresis of a feature's status, so that a steady fault is one incident:
 * a status is raised as soon as one evaluation's evidence reaches it at the
 * enter levels (no delay to detection), and lowered only after `calm`
 * evaluations in a row whose evidence, taken at the looser stay levels
 * (feature-verdict.ts), no longer holds it. Evaluations without new events
 * carry no new evidence and do not count towards calm.
 */
import type { Status } from '../serde/drift-report.ts';
import { STATUS_RANK } from '../serde/drift-report.ts';

export interface HeldStatus {
  status: Status;
  /** Evaluations in a row whose stay verdict was below `status`. */
  calm: number;
}

const lower = (a: Status, b: Status) => (STATUS_RANK[a] <= STATUS_RANK[b] ? a : b);
const higher = (a: Status, b: Status) => (STATUS_RANK[a] >= STATUS_RANK[b] ? a : b);

/**
 * The held status after one evaluation whose verdict is `enter` at the enter
 * levels and `stay` at the stay levels (stay ≥ enter).
 */
export function holdStatus(prior: HeldStatus | undefined, enter: Status, stay: Status, calm: number, fresh = true): HeldStatus {
  if (!prior || calm <= 1) return { status: enter, calm: 0 };
  const candidate = higher(enter, lower(prior.status, stay));
  if (STATUS_RANK[candidate] >= STATUS_RANK[prior.status]) return { status: candidate, calm: 0 };
  const streak = prior.calm + (fresh ? 1 : 0);
  return streak >= calm ? { status: candidate, calm: 0 } : { status: prior.status, calm: streak };
}
