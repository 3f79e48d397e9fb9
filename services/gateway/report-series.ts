/**
 * Report points on the wire, column by column: one array per field of
 * ReportPoint (and per field of each requested feature's FeaturePoint), so
 * that a field name is written once per series instead of once per point.
 * An hour of one model at a 5 s interval (720 points) is ≈ 25 KB without
 * features and ≈ 30 KB more per feature. `fromColumns` is the inverse, for the
 * page. The columns are derived from the projection's keys (report-point.ts).
 */
import type { FeaturePoint, ReportPoint } from './report-point.ts';

type ModelFields = Omit<ReportPoint, 'features'>;
type FeatureFields = Omit<FeaturePoint, 'name'>;

export type ModelColumns = { [K in keyof ModelFields]: ModelFields[K][] };
/** null where a report did not have the feature. */
export type FeatureColumns = { name: string } & { [K in keyof FeatureFields]: (FeatureFields[K] | null)[] };

export interface SeriesColumns extends ModelColumns {
  modelId: string;
  /** Only the features that were asked for. */
  features: FeatureColumns[];
}

const MODEL_KEYS = ['evaluatedAt', 'status', 'p95', 'eventsPerSecond'] as const satisfies readonly (keyof ModelFields)[];
const FEATURE_KEYS = ['status', 'test', 'p', 'alpha', 'psi', 'psiThreshold'] as const satisfies readonly (keyof FeatureFields)[];
// A field added to the projection and not listed above fails to compile here.
const modelKeysComplete: [Exclude<keyof ModelFields, (typeof MODEL_KEYS)[number]>] extends [never] ? true : never = true;
const featureKeysComplete: [Exclude<keyof FeatureFields, (typeof FEATURE_KEYS)[number]>] extends [never] ? true : never = true;
void modelKeysComplete;
void featureKeysComplete;

type Row = Record<string, unknown>;
type Columns = Record<string, unknown[]>;

export function toColumns(modelId: string, points: readonly ReportPoint[], featureNames: readonly string[] = []): SeriesColumns {
  const model: Columns = {};
  for (const key of MODEL_KEYS) model[key] = points.map((p) => p[key]);
  const features = featureNames.map((name) => {
    const found = points.map((p) => p.features.find((f) => f.name === name) as Row | undefined);
    const columns: Columns = { name: name as unknown as unknown[] };
    for (const key of FEATURE_KEYS) columns[key] = found.map((f) => f?.[key] ?? null);
    return columns as unknown as FeatureColumns;
  });
  return { modelId, ...(model as unknown as ModelColumns), features };
}

export function fromColumns(columns: SeriesColumns): ReportPoint[] {
  const source = columns as unknown as Columns;
  return columns.evaluatedAt.map((_, i) => {
    const point: Row = {};
    for (const key of MODEL_KEYS) point[key] = source[key][i];
    const features: FeaturePoint[] = [];
    for (const f of columns.features) {
      if (f.status[i] === null) continue;
      const feature: Row = { name: f.name };
      for (const key of FEATURE_KEYS) feature[key] = (f as unknown as Columns)[key][i];
      features.push(feature as unknown as FeaturePoint);
    }
    return { ...(point as unknown as Omit<ReportPoint, 'features'>), features };
  });
}
