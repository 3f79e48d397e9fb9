/**
 * The local stack: Kafka and Apicurio Registry as two JVMs on loopback,
 * fetched from Maven Central on first use. `startLocalStack` returns once both
 * answer real probes; `stop()` ends both and waits for them to be gone.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensureApicurio, ensureKafka, type Progress } from './artifacts.ts';
import { checkJava, checkMaven, PrerequisiteError } from './prerequisites.ts';
import { freePort, isPortFree, LOOPBACK } from './ports.ts';
import { startKafkaBroker, waitForBroker } from './kafka-broker.ts';
import { registryUrl, startSchemaRegistry, waitForRegistry } from './schema-registry.ts';
import type { JvmProcess } from './jvm-process.ts';

export interface ClusterAddresses {
  brokers: string[];
  schemaRegistryUrl: string;
}

export interface LocalStack extends ClusterAddresses {
  processes: JvmProcess[];
  workDir: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  kafkaPort?: number;
  registryPort?: number;
  /** Milliseconds both have to answer after their JVMs start. */
  timeoutMs?: number;
  progress?: Progress;
}

export const DEFAULT_KAFKA_PORT = 9092;
export const DEFAULT_REGISTRY_PORT = 8081;

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const progress = opts.progress ?? (() => undefined);
  const kafkaPort = opts.kafkaPort ?? DEFAULT_KAFKA_PORT;
  const registryPort = opts.registryPort ?? DEFAULT_REGISTRY_PORT;
  for (const [port, what] of [
    [kafkaPort, 'Kafka'],
    [registryPort, 'schema registry'],
  ] as const) {
    if (!(await isPortFree(port))) {
      throw new PrerequisiteError(`port ${port} (${what}) on ${LOOPBACK} is already in use; choose another port`);
    }
  }
  const { java } = await checkJava();
  const root = cacheDir();
  const mvn = await checkMaven();
  const kafkaHome = await ensureKafka(mvn, progress, root);
  const apicurioHome = await ensureApicurio(mvn, progress, root);

  const workDir = join(root, 'run', `stack-${kafkaPort}`);
  mkdirSync(workDir, { recursive: true });
  const controllerPort = await freePort();
  progress(`starting Kafka on ${LOOPBACK}:${kafkaPort} and Apicurio Registry on ${LOOPBACK}:${registryPort} (logs in ${workDir})`);

  const processes: JvmProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    processes.push(startSchemaRegistry({ java, apicurioHome, workDir, port: registryPort }));
    processes.push(await startKafkaBroker({ java, kafkaHome, workDir, port: kafkaPort, controllerPort }));
    const exitedEarly = processes.map(() => false);
    processes.forEach((p, i) =>
      p.exited.then(() => {
        exitedEarly[i] = true;
      }),
    );
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    const brokers = [`${LOOPBACK}:${kafkaPort}`];
    const url = registryUrl(registryPort);
    await Promise.all([
      waitForBroker(brokers, deadline, () => !exitedEarly[1]).catch((err: Error) => {
        throw new Error(`${err.message} (see ${processes[1].logFile} and ${join(workDir, 'kafka.log')})`);
      }),
      waitForRegistry(url, deadline, () => !exitedEarly[0]).catch((err: Error) => {
        throw new Error(`${err.message} (see ${processes[0].logFile})`);
      }),
    ]);
    return { brokers, schemaRegistryUrl: url, processes, workDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
