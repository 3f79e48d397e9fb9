/**
 * The engine's ops endpoint without Kafka: /healthz follows the probe, and
 * /metrics exposes the engine's live counters (read at each scrape, not
 * copied at start) and the group's lag in Prometheus text format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { buildEngineOps, type EngineStatsProvider } from '../../../services/engine/ops-server.ts';
import type { EngineStats } from '../../../services/engine/drift-engine.ts';
import type { PartitionLag } from '../../../services/prometheus.ts';

function provider(stats: EngineStats, state: { up: boolean; lag?: PartitionLag[] }): EngineStatsProvider {
  return {
    topic: 'aegis.inference.v1',
    groupId: 'aegis-engine',
    stats: () => stats,
    healthy: async () => state.up,
    lag: async () => (state.up ? state.lag : undefined),
  };
}

const zero = (): EngineStats => ({
  eventsConsumed: 0,
  labelsJoined: 0,
  labelsUnmatched: 0,
  deadLettered: 0,
  reportsPublished: 0,
  alertsPublished: 0,
  evaluations: 0,
  lastEvaluationMs: 0,
  eventsReplayed: 0,
  positionLag: [],
});

/** The value of an unlabelled sample, or of the one with the given label text. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('/healthz is 200 while Kafka answers and 503 when it does not', async () => {
  const state = { up: true };
  const app = await buildEngineOps(provider(zero(), state), pino({ level: 'silent' }));
  try {
    const ok = await app.inject('/healthz');
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().kafka, true);
    state.up = false;
    const down = await app.inject('/healthz');
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().status, 'kafka unreachable');
  } finally {
    await app.close();
  }
});

test('/metrics reads the live stats at each scrape and renders the lag per partition', async () => {
  const stats = zero();
  const state = { up: true, lag: [{ partition: 0, lag: 12 }, { partition: 2, lag: 0 }] };
  const app = await buildEngineOps(provider(stats, state), pino({ level: 'silent' }));
  try {
    const first = await app.inject('/metrics');
    assert.equal(first.statusCode, 200);
    assert.match(first.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(first.body, 'aegis_engine_events_consumed_total'), 0);

    stats.eventsConsumed = 1500;
    stats.deadLettered = 3;
    stats.evaluations = 7;
    stats.lastEvaluationMs = 42;
    stats.positionLag = [{ topic: 'aegis.labels.v1', partition: 1, records: 250, seconds: 1.5 }];
    const text = (await app.inject('/metrics')).body;
    assert.equal(sample(text, 'aegis_engine_events_consumed_total'), 1500);
    assert.equal(sample(text, 'aegis_engine_dead_letters_total'), 3);
    assert.equal(sample(text, 'aegis_engine_evaluations_total'), 7);
    assert.equal(sample(text, 'aegis_engine_last_evaluation_seconds'), 0.042);
    assert.equal(sample(text, 'aegis_engine_consumer_lag', '{topic="aegis.inference.v1",partition="0"}'), 12);
    assert.equal(sample(text, 'aegis_engine_consumer_lag', '{topic="aegis.inference.v1",partition="2"}'), 0);
    assert.equal(sample(text, 'aegis_engine_consumer_lag_known'), 1);
    assert.equal(sample(text, 'aegis_engine_position_lag_records', '{topic="aegis.labels.v1",partition="1"}'), 250);
    assert.equal(sample(text, 'aegis_engine_position_lag_seconds', '{topic="aegis.labels.v1",partition="1"}'), 1.5);
    assert.match(text, /^# TYPE aegis_engine_events_consumed_total counter$/m);
    assert.match(text, /^# TYPE aegis_engine_consumer_lag gauge$/m);

    state.up = false;
    const blind = (await app.inject('/metrics')).body;
    assert.equal(sample(blind, 'aegis_engine_consumer_lag_known'), 0);
    assert.equal(sample(blind, 'aegis_engine_consumer_lag', '{topic="aegis.inference.v1",partition="0"}'), undefined);
  } finally {
    await app.close();
  }
});
