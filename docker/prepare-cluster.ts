/**
 * Compose setup step, before `aegis train`: makes a fresh cluster ready for
 * services that start together.
 * - Every Aegis topic is created, waiting for partition leaders: a gateway
 *   whose first ListOffsets lands while an engine is still creating the topics
 *   gets "not the leader" and does not start.
 * - The value schemas the engines publish with are registered once: two
 *   engines registering a new subject at the same instant make Apicurio fail
 *   one of them ("A rule named 'COMPATIBILITY' already exists").
 * - The registry's global compatibility is set as `aegis stack up` sets it
 *   (services/stack/schema-registry.ts); no Apicurio environment variable
 *   shows in the Confluent API's GET /config.
 */
import { clusterFromEnv } from '../services/stack/cluster.ts';
import { DEFAULT_COMPATIBILITY, setCompatibility } from '../services/stack/schema-registry.ts';
import { createKafka } from '../services/kafka/client.ts';
import { ensureTopics } from '../services/kafka/topic-setup.ts';
import { TOPICS } from '../services/kafka/topics.ts';
import { createLogger } from '../services/log.ts';
import { createRegistry, registerValueSchema } from '../pipeline/serde/registry-serde.ts';
import { schemaText } from '../pipeline/serde/schemas.ts';

const log = createLogger('setup');
const cluster = clusterFromEnv();
if (!cluster) {
  log.error('KAFKA_BROKERS and SCHEMA_REGISTRY_URL must be set');
  process.exit(2);
}
await setCompatibility(cluster.schemaRegistryUrl, DEFAULT_COMPATIBILITY);
const admin = createKafka(cluster.brokers, 'aegis-setup', log).admin();
await admin.connect();
const created = await ensureTopics(admin);
await admin.disconnect();
const registry = createRegistry(cluster.schemaRegistryUrl);
const engineOutputs = { [TOPICS.driftReports]: 'drift-report', [TOPICS.alerts]: 'alert', [TOPICS.deadLetter]: 'dead-letter' } as const;
for (const [topic, schema] of Object.entries(engineOutputs)) await registerValueSchema(registry, topic, schemaText(schema));
log.info({ compatibility: DEFAULT_COMPATIBILITY, created, schemas: Object.keys(engineOutputs) }, 'cluster prepared');
