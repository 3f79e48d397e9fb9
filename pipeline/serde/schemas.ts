/**
 * The Avro contracts in schemas/, loaded as text (for the registry) and as
 * avsc types (for validation). The .avsc files are the source of truth; the
 * TypeScript interfaces beside them are checked against them in test/unit.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export type SchemaName = 'inference-event' | 'drift-report' | 'alert' | 'dead-letter' | 'reference-profile' | 'label'
  | 'retrain-request' | 'notify-dead-letter' | 'retrain-decision';

export function schemaText(name: SchemaName): string {
  return readFileSync(`${SCHEMA_DIR}${name}.avsc`, 'utf8');
}

export function avroType(name: SchemaName): avro.Type {
  return avro.Type.forSchema(JSON.parse(schemaText(name)) as avro.Schema, { wrapUnions: 'never' });
}

/** The paths of the fields that make `value` invalid for `type` (empty when it is valid). */
export function invalidPaths(type: avro.Type, value: unknown): string[] {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') });
  return paths;
}
