/**
 * The pinned JVM artifacts of the local stack, fetched once from Maven Central
 * with `mvn` into a cache outside the repository. A completed fetch leaves a
 * marker file; later runs find it and download nothing.
 *
 * - Kafka: org.apache.kafka:kafka_2.13 with its runtime dependencies, plus
 *   log4j2 as the SLF4J backend (Kafka's POM leaves the backend out).
 * - Apicurio Registry: the `all` tar.gz assembly of io.apicurio:apicurio-registry-app.
 *   3.0.x is the newest line that runs on Java 17 (3.1+ is built for Java 21).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PrerequisiteError } from './prerequisites.ts';

const run = promisify(execFile);

export const VERSIONS = {
  kafka: process.env.AEGIS_KAFKA_VERSION ?? '4.1.1',
  scala: '2.13',
  log4j: '2.25.3',
  slf4j: '2.0.17',
  apicurio: process.env.AEGIS_APICURIO_VERSION ?? '3.0.9',
} as const;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_CACHE_DIR) return env.AEGIS_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'aegis');
}

const MARKER = '.complete';

export interface Progress {
  (message: string): void;
}

async function mvn(mvnCmd: string, args: string[], cwd: string, artifact: string): Promise<void> {
  try {
    await run(mvnCmd, ['-B', '-q', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const text = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    const reason =
      text
        .split('\n')
        .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
        .find((l) => l.startsWith('[ERROR]') && l.length > 8) ?? e.message.split('\n')[0];
    throw new PrerequisiteError(`failed to download ${artifact} with mvn: ${reason.replace(/^\[ERROR\]\s*/, '')}`);
  }
}

function kafkaPom(artifactId = `kafka_${VERSIONS.scala}`): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.aegis.stack</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', artifactId, VERSIONS.kafka)}
    ${dep('org.slf4j', 'slf4j-api', VERSIONS.slf4j)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j2-impl', VERSIONS.log4j)}
    ${dep('org.apache.logging.log4j', 'log4j-core', VERSIONS.log4j)}
  </dependencies>
</project>
`;
}

/** Fetches into a temporary folder and renames it into place, so a killed fetch never looks complete. */
async function fetchOnce(target: string, fetch: (dir: string) => Promise<void>): Promise<string> {
  if (existsSync(join(target, MARKER))) return target;
  const tmp = `${target}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fetch(tmp);
    writeFileSync(join(tmp, MARKER), new Date().toISOString() + '\n');
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return target;
}

/** Returns the folder holding Kafka's jars (`<dir>/lib/*.jar`). */
export async function ensureKafka(mvnCmd: string, progress: Progress, root = cacheDir()): Promise<string> {
  const target = join(root, `kafka_${VERSIONS.scala}-${VERSIONS.kafka}`);
  if (!existsSync(join(target, MARKER))) progress(`fetching Kafka ${VERSIONS.kafka} from Maven Central into ${target}`);
  return fetchOnce(target, async (dir) => {
    writeFileSync(join(dir, 'pom.xml'), kafkaPom());
    await mvn(
      mvnCmd,
      ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(dir, 'lib')}`],
      dir,
      `org.apache.kafka:kafka_${VERSIONS.scala}:${VERSIONS.kafka}`,
    );
  });
}

/**
 * Returns the folder holding org.apache.kafka:kafka-tools and its runtime
 * dependencies (`<dir>/lib/*.jar`): the admin commands (kafka-topics,
 * kafka-broker-api-versions, ...) that the broker's own jars leave out.
 */
export async function ensureKafkaTools(mvnCmd: string, progress: Progress, root = cacheDir()): Promise<string> {
  const target = join(root, `kafka-tools-${VERSIONS.kafka}`);
  if (!existsSync(join(target, MARKER))) progress(`fetching kafka-tools ${VERSIONS.kafka} from Maven Central into ${target}`);
  return fetchOnce(target, async (dir) => {
    writeFileSync(join(dir, 'pom.xml'), kafkaPom('kafka-tools'));
    await mvn(
      mvnCmd,
      ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(dir, 'lib')}`],
      dir,
      `org.apache.kafka:kafka-tools:${VERSIONS.kafka}`,
    );
  });
}

/** Returns the folder of the unpacked Apicurio Registry assembly. */
export async function ensureApicurio(mvnCmd: string, progress: Progress, root = cacheDir()): Promise<string> {
  const target = join(root, `apicurio-registry-${VERSIONS.apicurio}`);
  if (!existsSync(join(target, MARKER))) progress(`fetching Apicurio Registry ${VERSIONS.apicurio} from Maven Central into ${target}`);
  return fetchOnce(target, async (dir) => {
    const coords = `io.apicurio:apicurio-registry-app:${VERSIONS.apicurio}:tar.gz:all`;
    await mvn(mvnCmd, ['dependency:copy', `-Dartifact=${coords}`, `-DoutputDirectory=${dir}`], dir, coords);
    const archive = readdirSync(dir).find((f) => f.endsWith('.tar.gz'));
    if (!archive) throw new PrerequisiteError(`failed to download ${coords}: mvn produced no archive`);
    await run('tar', ['-xzf', archive], { cwd: dir });
    rmSync(join(dir, archive));
  });
}

/** The runnable jar of an Apicurio assembly: Quarkus fast-jar (`quarkus-run.jar`) or legacy (`*-runner.jar`). */
export function apicurioJar(dir: string): string {
  if (existsSync(join(dir, 'quarkus-run.jar'))) return join(dir, 'quarkus-run.jar');
  const runner = readdirSync(dir).find((f) => f.endsWith('-runner.jar'));
  if (!runner) throw new PrerequisiteError(`no quarkus-run.jar or *-runner.jar in ${dir}; delete it to fetch again`);
  return join(dir, runner);
}
