/**
 * A stand-in for the drift engine when working on the dashboard: publishes a
 * GREEN → RED sequence of DriftReports for one model to aegis.drift-reports.v1,
 * one every --interval seconds, worst_radius stuck from the --red-after'th on.
 *
 *   KAFKA_BROKERS=... SCHEMA_REGISTRY_URL=... npx tsx test/support/publish-demo-reports.ts \
 *     [--model demo-model] [--count 30] [--interval 2] [--red-after 10] [--features worst_radius]
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { testCluster } from './cluster.ts';
import { driftReport, driftReportSerde } from './drift-reports.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'demo-model' },
    count: { type: 'string', default: '30' },
    interval: { type: 'string', default: '2' },
    'red-after': { type: 'string', default: '10' },
    features: { type: 'string', default: 'worst_radius' },
  },
});
const cluster = testCluster();
const serde = await driftReportSerde(cluster.schemaRegistryUrl);
const producer = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.WARN }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const count = Number(values.count);
const stuck = values.features.split(',');
for (let i = 0; i < count; i++) {
  const report = driftReport({ modelId: values.model, stuck: i >= Number(values['red-after']) ? stuck : [] });
  await producer.send({ topic: TOPICS.driftReports, messages: [{ key: report.modelId, value: await serde.encode(report) }] });
  process.stderr.write(`${new Date().toISOString()} ${report.modelId} ${report.status}\n`);
  if (i < count - 1) await new Promise((r) => setTimeout(r, Number(values.interval) * 1000));
}
await producer.disconnect();
