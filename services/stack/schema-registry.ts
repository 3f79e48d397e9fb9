/**
 * Apicurio Registry with in-memory (H2) storage, served through its
 * Confluent-compatible API at /apis/ccompat/v7. Configured for Confluent
 * clients: schemas looked up by canonical hash (so a client re-registering
 * a reformatted schema gets the same id), deletion allowed, and the global
 * compatibility level set explicitly once it answers.
 */
import { join } from 'node:path';
import { spawnJvm, type JvmProcess } from './jvm-process.ts';
import { apicurioJar } from './artifacts.ts';
import { LOOPBACK } from './ports.ts';

export const CCOMPAT_PATH = '/apis/ccompat/v7';
export const DEFAULT_COMPATIBILITY = 'BACKWARD';

export interface SchemaRegistryOptions {
  java: string;
  apicurioHome: string;
  workDir: string;
  port: number;
  heapMb?: number;
  /** Class-data-sharing archive (class-archive.ts). */
  classArchive?: string;
}

export function registryUrl(port: number): string {
  return `http://${LOOPBACK}:${port}${CCOMPAT_PATH}`;
}

export function startSchemaRegistry(o: SchemaRegistryOptions): JvmProcess {
  const heap = o.heapMb ?? 384;
  const props: Record<string, string> = {
    'quarkus.http.host': LOOPBACK,
    'quarkus.http.port': String(o.port),
    'quarkus.http.non-application-root-path': '/q',
    'apicurio.storage.kind': 'sql',
    'apicurio.storage.sql.kind': 'h2',
    'apicurio.ccompat.use-canonical-hash': 'true',
    'apicurio.rest.deletion.group.enabled': 'true',
    'apicurio.rest.deletion.artifact.enabled': 'true',
    'apicurio.rest.deletion.artifact-version.enabled': 'true',
    'quarkus.log.console.json': 'false',
  };
  return spawnJvm({
    name: 'schema-registry',
    java: o.java,
    cwd: o.workDir,
    logFile: join(o.workDir, 'apicurio.log'),
    classArchive: o.classArchive,
    args: [
      `-Xms128m`,
      `-Xmx${heap}m`,
      '-XX:+UseSerialGC',
      '-XX:ActiveProcessorCount=2',
      '-XX:TieredStopAtLevel=1',
      ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`),
      '-jar',
      apicurioJar(o.apicurioHome),
    ],
  });
}

/**
 * Resolves once `GET /subjects` answers 200, then sets the global compatibility
 * level; rejects with the last probe error at the deadline or once `alive()` turns false.
 */
export async function waitForRegistry(url: string, deadline: number, alive: () => boolean): Promise<void> {
  let last = 'no answer';
  while (Date.now() < deadline && alive()) {
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        await setCompatibility(url, DEFAULT_COMPATIBILITY);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(last);
}

export async function setCompatibility(url: string, level: string): Promise<void> {
  const res = await fetch(`${url}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
  });
  if (!res.ok) throw new Error(`setting compatibility ${level} at ${url}/config failed: HTTP ${res.status} ${await res.text()}`);
}
