/**
 * The second demo model, run as any team would run Aegis beside its own
 * model: the reference is built from its data with the generic profile
 * builder and registered on aegis.references.v1; predictions are published
 * with the Node publisher (services/sdk), labels follow on aegis.labels.v1.
 * After `shiftAfter` events most applications come from one region, and the
 * engine turns the model RED naming `region`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../kafka/client.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';
import { publishProfile } from '../reference/profile-publisher.ts';
import { createInferencePublisher } from '../sdk/inference-publisher.ts';
import { buildProfile } from '../../pipeline/reference/build-profile.ts';
import { mulberry32 } from '../../pipeline/random.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import {
  application,
  approvalScore,
  decide,
  featuresOf,
  LOAN_MODEL_ID,
  outcome,
  SHIFTED_REGION_SHARES,
  HEALTHY_REGION_SHARES,
} from '../../pipeline/simulator/loan-model.ts';

/** At most 1,000 rows: the test registry then decides numeric features by KS and categorical ones by chi-square, as for WDBC. */
export const LOAN_REFERENCE_ROWS = 1000;

export interface LoanDemoOptions {
  cluster: ClusterAddresses;
  rate: number;
  shiftAfter: number;
  seed: number;
  log: Logger;
  signal: AbortSignal;
}

/** The loan model's reference: applications drawn from the seed, scored, with their outcomes. */
export function loanReference(seed: number) {
  const rng = mulberry32(seed);
  const apps = Array.from({ length: LOAN_REFERENCE_ROWS }, () => application(rng));
  const scores = apps.map(approvalScore);
  const names = Object.keys(apps[0]) as (keyof (typeof apps)[0])[];
  return buildProfile({
    modelId: LOAN_MODEL_ID,
    modelVersion: `synthetic-${seed}`,
    createdAt: Date.now(),
    features: names.map((name) => ({
      name,
      kind: typeof apps[0][name] === 'number' ? ('NUMERIC' as const) : ('CATEGORICAL' as const),
      values: apps.map((a) => a[name]),
    })),
    predictions: scores.map(decide),
    scores,
    labels: scores.map((s) => outcome(rng, s)),
    positiveLabel: 'deny',
  });
}

export async function runLoanDemo(o: LoanDemoOptions): Promise<void> {
  await publishProfile(o.cluster, loanReference(o.seed), o.log);
  const publisher = await createInferencePublisher({
    brokers: o.cluster.brokers,
    registryUrl: o.cluster.schemaRegistryUrl,
    modelId: LOAN_MODEL_ID,
    modelVersion: `synthetic-${o.seed}`,
  });
  const labels = await TopicSerde.create<Label>(createRegistry(o.cluster.schemaRegistryUrl), TOPICS.labels, schemaText('label'));
  const producer = createKafka(o.cluster.brokers, 'aegis-loan-demo', o.log).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const rng = mulberry32(o.seed + 1);
  const tickMs = 100;
  let sent = 0;
  o.log.info({ modelId: LOAN_MODEL_ID, rate: o.rate, shiftAfter: o.shiftAfter }, 'loan demo: producing');
  try {
    while (!o.signal.aborted) {
      const n = Math.max(1, Math.round((o.rate * tickMs) / 1000));
      const batch = Array.from({ length: n }, () => {
        const app = application(rng, sent++ < o.shiftAfter ? HEALTHY_REGION_SHARES : SHIFTED_REGION_SHARES);
        const score = approvalScore(app);
        return { eventId: randomUUID(), features: featuresOf(app), prediction: decide(score), score, truth: outcome(rng, score) };
      });
      const now = Date.now();
      await publisher.publish(batch.map(({ truth: _truth, ...p }) => ({ ...p, eventTime: now })));
      await producer.send({
        topic: TOPICS.labels,
        messages: await Promise.all(
          batch.map(async (b) => ({
            key: LOAN_MODEL_ID,
            value: await labels.encode({ eventId: b.eventId, modelId: LOAN_MODEL_ID, label: b.truth, eventTime: now, labeledAt: now }),
          })),
        ),
      });
      if (sent - n < o.shiftAfter && sent >= o.shiftAfter) o.log.info({ events: sent }, "loan demo: most applications now come from one region ('east')");
      await sleep(tickMs, undefined, { signal: o.signal }).catch(() => undefined);
    }
  } finally {
    await publisher.close();
    await producer.disconnect();
  }
}
