/**
 * Finds `java` (17 or newer) and `mvn`, failing with one line that says what is
 * missing and how to get it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

const run = promisify(execFile);

export const MIN_JAVA = 17;

export class PrerequisiteError extends Error {
  override name = 'PrerequisiteError';
}

export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Parses the major version out of `java -version` output ("1.8.0_x" → 8, "17.0.15" → 17). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

export async function checkJava(java = javaCommand()): Promise<{ java: string; major: number; build: string }> {
  let output: string;
  try {
    const { stdout, stderr } = await run(java, ['-version']);
    output = stderr + stdout;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new PrerequisiteError(
        `java not found (${java}): the local stack needs Java ${MIN_JAVA} or newer — install a JDK/JRE ` +
          `(Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME`,
      );
    }
    throw new PrerequisiteError(`'${java} -version' failed: ${(err as Error).message.split('\n')[0]}`);
  }
  const major = parseJavaMajor(output);
  if (major === undefined || major < MIN_JAVA) {
    throw new PrerequisiteError(
      `${java} is Java ${major ?? 'of unknown version'}; the local stack needs Java ${MIN_JAVA} or newer (set JAVA_HOME to one)`,
    );
  }
  return { java, major, build: `${java}\n${output.trim()}` };
}

export async function checkMaven(mvn = process.env.AEGIS_MVN ?? 'mvn'): Promise<string> {
  try {
    await run(mvn, ['--version']);
    return mvn;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PrerequisiteError(
        `mvn not found: the local stack fetches Kafka and Apicurio from Maven Central with Maven ` +
          `(Debian/Ubuntu: apt-get install maven), or set KAFKA_BROKERS and SCHEMA_REGISTRY_URL to use an existing cluster`,
      );
    }
    throw new PrerequisiteError(`'${mvn} --version' failed: ${(err as Error).message.split('\n')[0]}`);
  }
}
