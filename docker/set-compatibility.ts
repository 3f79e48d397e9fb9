/**
 * Compose setup step: sets the registry's global compatibility level as
 * `aegis stack up` does (services/stack/schema-registry.ts). Apicurio has no
 * environment variable that the Confluent API's GET /config reports.
 */
import { DEFAULT_COMPATIBILITY, setCompatibility } from '../services/stack/schema-registry.ts';

const url = process.env.SCHEMA_REGISTRY_URL;
if (!url) {
  process.stderr.write('set-compatibility: SCHEMA_REGISTRY_URL is not set\n');
  process.exit(2);
}
await setCompatibility(url, DEFAULT_COMPATIBILITY);
process.stderr.write(`set-compatibility: ${url}/config is ${DEFAULT_COMPATIBILITY}\n`);
