/**
 * The second demo model, with categorical features: a loan-approval scorer on
 * synthetic applications drawn from a fixed seed (no data set to ship). Three
 * numeric features (income, age, debt ratio) and three categorical ones
 * (region, channel, employed as a boolean); the model is a fixed logistic
 * score, and the true outcome is drawn from that probability, so labels agree
 * with predictions about as often as a real scorer's would.
 */
import { gaussian, type Rng } from '../random.ts';
import type { FeatureValue } from '../serde/inference-event.ts';

export const LOAN_MODEL_ID = 'loan-approval';
export const REGIONS = ['north', 'south', 'east', 'west'] as const;
export const CHANNELS = ['web', 'app', 'branch'] as const;
export const HEALTHY_REGION_SHARES = [0.3, 0.25, 0.25, 0.2];
/** After the shift, most applications come from one region (a campaign, a bot, a broken geo-lookup). */
export const SHIFTED_REGION_SHARES = [0.05, 0.05, 0.85, 0.05];
const CHANNEL_SHARES = [0.5, 0.35, 0.15];

export interface LoanApplication {
  income: number;
  age: number;
  debt_ratio: number;
  region: string;
  channel: string;
  employed: boolean;
}

function pick<T>(rng: Rng, values: readonly T[], shares: readonly number[]): T {
  let u = rng();
  for (let k = 0; k < values.length; k++) if ((u -= shares[k]) < 0) return values[k];
  return values[values.length - 1];
}

export function application(rng: Rng, regionShares: readonly number[] = HEALTHY_REGION_SHARES): LoanApplication {
  return {
    income: Math.round(Math.exp(gaussian(rng, 10.8, 0.45))),
    age: Math.round(Math.min(85, Math.max(18, gaussian(rng, 41, 12)))),
    debt_ratio: Math.min(1.5, Math.max(0, gaussian(rng, 0.35, 0.15))),
    region: pick(rng, REGIONS, regionShares),
    channel: pick(rng, CHANNELS, CHANNEL_SHARES),
    employed: rng() < 0.78,
  };
}

/** The model: a fixed logistic score of approval. */
export function approvalScore(a: LoanApplication): number {
  const z = 1.2 * Math.log(a.income / 50_000) - 4 * (a.debt_ratio - 0.35) + (a.employed ? 0.8 : -1) + (a.channel === 'branch' ? 0.3 : 0) + 0.4;
  return 1 / (1 + Math.exp(-z));
}

export function decide(score: number): 'approve' | 'deny' {
  return score >= 0.5 ? 'approve' : 'deny';
}

/** The true outcome: repaid or not, drawn from the score. */
export function outcome(rng: Rng, score: number): 'approve' | 'deny' {
  return rng() < score ? 'approve' : 'deny';
}

export function featuresOf(a: LoanApplication): Record<string, FeatureValue> {
  return { ...a };
}
