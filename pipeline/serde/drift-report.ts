/** TypeScript view of schemas/drift-report.avsc (checked against it in test/unit/schemas.test.ts). */

export type Status = 'GREEN' | 'AMBER' | 'RED' | 'STALE';
export type FeatureKind = 'NUMERIC' | 'CATEGORICAL';

/** STALE (not watching) ranks with AMBER, as notify's severity does: worth a look, not a page. */
export const STATUS_RANK: Record<Status, number> = { GREEN: 0, AMBER: 1, STALE: 1, RED: 2 };

export interface Histogram {
  edges: number[];
  reference: number[];
  current: number[];
}

export interface TestResult {
  test: string;
  statistic: number;
  pValue: number | null;
  adjustedPValue: number | null;
  threshold: number;
  drifted: boolean;
}

export interface FeatureReport {
  name: string;
  kind: FeatureKind;
  status: Status;
  drifted: boolean;
  reason: string;
  /** One line: why RED and not AMBER (or AMBER and not RED); empty when GREEN. */
  severity: string;
  tests: TestResult[];
  /** Wire name of the test in `tests` that decided `drifted`. */
  decidingTest: string;
  nReference: number;
  nCurrent: number;
  missingShare: number;
  outOfRangeShare: number;
  invalidShare: number;
  referenceMean: number | null;
  currentMean: number | null;
  histogram: Histogram;
  categories: CategoryShare[];
}

export interface CategoryShare {
  value: string;
  reference: number;
  current: number;
  seen: boolean;
}

export interface DatasetDrift {
  drifted: number;
  total: number;
  share: number;
  threshold: number;
  detected: boolean;
  correction: string;
}

export interface ClassShare {
  label: string;
  reference: number;
  current: number;
}

export interface PredictionDrift {
  classes: ClassShare[];
  classTest: TestResult;
  scoreTest: TestResult;
  drifted: boolean;
}

export interface Integrity {
  missingShare: number;
  outOfRangeShare: number;
  invalidEvents: number;
  invalidEventsTotal: number;
  unknownFeatures: UnknownFeature[];
}

export interface UnknownFeature {
  name: string;
  events: number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export interface Throughput {
  eventsPerSecond: number;
  eventsSinceLastReport: number;
}

export interface EngineLag {
  records: number;
  seconds: number;
}

export interface Performance {
  labeled: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  referenceAccuracy: number | null;
  status: Status;
  reason: string;
}

export interface DriftReport {
  reportId: string;
  modelId: string;
  modelVersion: string;
  /** timestamp-millis */
  evaluatedAt: number;
  windowStart: number;
  windowEnd: number;
  eventCount: number;
  status: Status;
  reason: string;
  features: FeatureReport[];
  dataset: DatasetDrift;
  prediction: PredictionDrift;
  integrity: Integrity;
  latency: Latency;
  throughput: Throughput;
  engineLag: EngineLag | null;
  performance: Performance | null;
}
