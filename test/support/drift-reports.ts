/**
 * Plausible DriftReports built in code, for the gateway and dashboard tests
 * and the demo publisher: 30 WDBC features, GREEN with small statistics, or a
 * stuck sensor on chosen features (values collapsed to 0: KS D near 1, PSI
 * large, out-of-range share high), with the model RED as the engine would say.
 */
import { randomUUID } from 'node:crypto';
import { WDBC_FEATURES } from '../../pipeline/model/dataset.ts';
import type { DriftReport, FeatureReport, Status } from '../../pipeline/serde/drift-report.ts';
import { TopicSerde, createRegistry } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { TOPICS } from '../../services/kafka/topics.ts';

export interface ReportSpec {
  modelId: string;
  evaluatedAt?: number;
  /** Features with a stuck sensor; none means GREEN. */
  stuck?: readonly string[];
  /** Deterministic jitter of the GREEN statistics. */
  seed?: number;
  modelVersion?: string;
}

const BINS = 10;

function wiggle(seed: number, i: number): number {
  return (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1;
}

function featureReport(name: string, index: number, stuck: boolean, seed: number): FeatureReport {
  const edges = Array.from({ length: BINS + 1 }, (_, i) => 10 + index + i * (1 + index / 10));
  const reference = Array.from({ length: BINS }, (_, i) => Math.round(40 * Math.exp(-((i - 4.5) ** 2) / 6)) + 1);
  const jitter = Math.abs(wiggle(seed, index));
  const current = stuck ? Array.from({ length: BINS }, (_, i) => (i === 0 ? 12 : 0)) : reference.map((c, i) => Math.max(0, Math.round(c * (0.9 + 0.2 * Math.abs(wiggle(seed + i, index))))));
  const d = stuck ? 0.97 : 0.03 + 0.06 * jitter;
  const p = stuck ? 1e-40 : 0.3 + 0.6 * jitter;
  const psi = stuck ? 4.8 : 0.01 + 0.03 * jitter;
  const status: Status = stuck ? 'RED' : 'GREEN';
  const mean = (edges[0] + edges[BINS]) / 2;
  return {
    name,
    kind: 'NUMERIC',
    status,
    drifted: stuck,
    reason: stuck ? `KS D ${d.toFixed(2)} (p ${p.toExponential(1)}), PSI ${psi}; 88% out of range` : '',
    severity: stuck ? `RED: mean moved 3.1 σ (≥ 0.75 σ): ${mean.toFixed(1)} → ${edges[0].toFixed(1)}` : '',
    tests: [
      { test: 'ks', statistic: d, pValue: p, adjustedPValue: stuck ? p * 30 : Math.min(1, p * 1.5), threshold: 0.05, drifted: stuck },
      { test: 'psi', statistic: psi, pValue: null, adjustedPValue: null, threshold: 0.25, drifted: stuck },
    ],
    decidingTest: 'ks',
    nReference: 455,
    nCurrent: stuck ? 1000 : 990,
    missingShare: 0,
    outOfRangeShare: stuck ? 0.88 : 0,
    invalidShare: 0,
    referenceMean: mean,
    currentMean: stuck ? 0 : mean * (1 + 0.02 * wiggle(seed, index)),
    histogram: { edges, reference, current },
    categories: [],
  };
}

export function driftReport({ modelId, evaluatedAt = Date.now(), stuck = [], seed = evaluatedAt / 1000, modelVersion = 'demo-v1' }: ReportSpec): DriftReport {
  const features = WDBC_FEATURES.map((name, i) => featureReport(name, i, stuck.includes(name), seed));
  const drifted = features.filter((f) => f.drifted).length;
  const status: Status = drifted ? 'RED' : 'GREEN';
  const eventsPerSecond = 400 + 20 * wiggle(seed, 99);
  const test = { test: 'chi_square', statistic: 0.4, pValue: 0.52, adjustedPValue: null, threshold: 0.05, drifted: false };
  return {
    reportId: randomUUID(),
    modelId,
    modelVersion,
    evaluatedAt,
    windowStart: evaluatedAt - 2500,
    windowEnd: evaluatedAt - 5,
    eventCount: 1000,
    status,
    reason: drifted ? `feature drift: ${stuck.join(', ')} RED (stuck at 0: KS D 0.97, PSI 4.8)` : 'no drift',
    features,
    dataset: { drifted, total: features.length, share: drifted / features.length, threshold: 0.5, detected: drifted / features.length >= 0.5, correction: 'bh' },
    prediction: {
      classes: [
        { label: 'B', reference: 0.63, current: drifted ? 0.71 : 0.62 },
        { label: 'M', reference: 0.37, current: drifted ? 0.29 : 0.38 },
      ],
      classTest: test,
      scoreTest: { ...test, test: 'ks', statistic: 0.05, pValue: 0.4 },
      drifted: false,
    },
    integrity: { missingShare: 0, outOfRangeShare: drifted ? 0.88 / 30 : 0, invalidEvents: 0, invalidEventsTotal: 3, unknownFeatures: [] },
    latency: { p50: 0.08 + 0.01 * wiggle(seed, 1), p95: 0.21 + 0.04 * wiggle(seed, 2), p99: 0.4 + 0.05 * wiggle(seed, 3) },
    throughput: { eventsPerSecond, eventsSinceLastReport: Math.round(eventsPerSecond * 2) },
    engineLag: { records: 0, seconds: 0 },
    performance: { labeled: 800, accuracy: 0.93, precision: 0.91, recall: 0.9, referenceAccuracy: 0.935, status: 'GREEN', reason: '' },
  };
}

/** A serde for aegis.drift-reports.v1 on the cluster's registry. */
export function driftReportSerde(schemaRegistryUrl: string): Promise<TopicSerde<DriftReport>> {
  return TopicSerde.create<DriftReport>(createRegistry(schemaRegistryUrl), TOPICS.driftReports, schemaText('drift-report'));
}
