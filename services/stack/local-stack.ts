/**
 * The local stack: Kafka and Apicurio Registry as two JVMs on loopback,
 * fetched from Maven Central on first use. `startLocalStack` returns once both
 * answer real probes, or fails with one line naming the cause and the log to
 * read; `stop()` ends both and waits for them to be gone.
 *
 * Kafka is kept running (restarting-jvm.ts): a broker that dies is started
 * again on its own data, and the registry is never stopped with it. The
 * registry keeps its schemas in memory (H2): they live as long as the stack,
 * as Kafka's data does (formatted when the stack starts), so no record ever
 * outlives the schema id it was written with. A registry that dies therefore
 * ends the stack (its ids are gone; a registry restarted empty would hand out
 * the same ids for other schemas).
 *
 * Each run has its own work folder, `run/stack-<kafka port>-<pid>`: a stack
 * started on the ports of one that is still shutting down never shares files
 * with it. Folders of earlier runs on the same port are removed at start;
 * when a port is held by the JVM of an earlier stack killed outright, which is
 * still shutting down (leftover-jvms.ts), the start waits for it.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensureApicurio, ensureKafka, VERSIONS, type Progress } from './artifacts.ts';
import { classArchivePath } from './class-archive.ts';
import { checkJava, checkMaven, PrerequisiteError } from './prerequisites.ts';
import { freeListenPort, isPortFree, LOOPBACK } from './ports.ts';
import { formatKafkaStorage, spawnKafka, waitForBroker, type KafkaBrokerOptions } from './kafka-broker.ts';
import { registryUrl, startSchemaRegistry, waitForRegistry } from './schema-registry.ts';
import type { JvmProcess } from './jvm-process.ts';
import { keepRunning, type RestartingJvm, type RestartLog } from './restarting-jvm.ts';
import { logCause } from './log-cause.ts';
import { DependencyError } from '../cli/command.ts';
import { isAlive, leftoverStackJvms, waitForExit } from './leftover-jvms.ts';

export interface ClusterAddresses {
  brokers: string[];
  schemaRegistryUrl: string;
}

export interface LocalStack extends ClusterAddresses {
  kafka: RestartingJvm;
  registry: JvmProcess;
  /** Both, for a supervisor: Kafka's `exited` resolves only once it is given up on. */
  processes: { name: string; logFile: string; exited: Promise<unknown> }[];
  workDir: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  kafkaPort?: number;
  registryPort?: number;
  /** Milliseconds both have to answer after their JVMs start. */
  timeoutMs?: number;
  progress?: Progress;
  /** Where a broker restart is told. */
  log?: RestartLog;
}

export const DEFAULT_KAFKA_PORT = 9092;
export const DEFAULT_REGISTRY_PORT = 8081;
/** A JVM's own shutdown takes a few seconds; JvmProcess.stop() gives it 20 s before SIGKILL. */
const LEFTOVER_WAIT_MS = 30_000;

const quiet: RestartLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function runFolder(root: string, kafkaPort: number): string {
  const runs = join(root, 'run');
  mkdirSync(runs, { recursive: true });
  const mine = new RegExp(`^stack-${kafkaPort}-(\\d+)$`);
  for (const name of readdirSync(runs)) {
    const pid = Number(mine.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) rmSync(join(runs, name), { recursive: true, force: true });
  }
  const dir = join(runs, `stack-${kafkaPort}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Waits for one JVM to answer; a failure becomes one line with its cause and log. */
async function answers(
  jvm: JvmProcess,
  what: string,
  probe: (deadline: number, alive: () => boolean) => Promise<void>,
  deadline: number,
  timeoutMs: number,
): Promise<void> {
  let exit: number | string | undefined;
  void jvm.exited.then((code) => (exit = code));
  try {
    await probe(deadline, () => exit === undefined);
  } catch (err) {
    const cause = logCause(jvm.logFile);
    if (exit !== undefined) {
      throw new DependencyError(`${what} exited (${String(exit)}) before answering: ${cause ?? 'its log is empty'} (log: ${jvm.logFile})`, false);
    }
    throw new DependencyError(
      `${what} did not answer within ${timeoutMs / 1000} s (last probe: ${(err as Error).message}); ` +
        `last log line: ${cause ?? 'none'} (log: ${jvm.logFile})`,
      true,
    );
  }
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const progress = opts.progress ?? (() => undefined);
  const kafkaPort = opts.kafkaPort ?? DEFAULT_KAFKA_PORT;
  const registryPort = opts.registryPort ?? DEFAULT_REGISTRY_PORT;
  const root = cacheDir();
  const ports = [
    [kafkaPort, 'Kafka'],
    [registryPort, 'schema registry'],
  ] as const;
  if (!(await Promise.all(ports.map(([port]) => isPortFree(port)))).every(Boolean)) {
    const leftovers = leftoverStackJvms(join(root, 'run'));
    if (leftovers.length) {
      progress(`waiting for ${leftovers.length} JVM(s) of an earlier stack (pids ${leftovers.join(', ')}) to finish shutting down`);
      await waitForExit(leftovers, LEFTOVER_WAIT_MS);
    }
  }
  for (const [port, what] of ports) {
    if (!(await isPortFree(port))) {
      throw new PrerequisiteError(`port ${port} (${what}) on ${LOOPBACK} is already in use; choose another port (\`ss -ltnp 'sport = :${port}'\` shows by whom)`);
    }
  }
  const { java, build } = await checkJava();
  const mvn = await checkMaven();
  const kafkaHome = await ensureKafka(mvn, progress, root);
  const apicurioHome = await ensureApicurio(mvn, progress, root);

  const workDir = runFolder(root, kafkaPort);
  const broker: KafkaBrokerOptions = {
    java,
    kafkaHome,
    workDir,
    port: kafkaPort,
    controllerPort: await freeListenPort(),
    classArchive: classArchivePath(root, `kafka-${VERSIONS.kafka}`, build),
  };
  const brokers = [`${LOOPBACK}:${kafkaPort}`];
  const url = registryUrl(registryPort);
  progress(`starting Kafka on ${brokers[0]} and Apicurio Registry on ${LOOPBACK}:${registryPort} (logs in ${workDir})`);

  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  try {
    const registry = startSchemaRegistry({
      java,
      apicurioHome,
      workDir,
      port: registryPort,
      classArchive: classArchivePath(root, `apicurio-${VERSIONS.apicurio}`, build),
    });
    started.push(registry);
    await formatKafkaStorage(broker);
    const firstKafka = spawnKafka(broker);
    started.push(firstKafka);
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    const brokerAnswers = (until: number, up: () => boolean) => waitForBroker(brokers, until, up);
    await Promise.all([
      answers(firstKafka, `Kafka on ${brokers[0]}`, brokerAnswers, deadline, timeoutMs),
      answers(registry, `the schema registry on ${LOOPBACK}:${registryPort}`, (until, up) => waitForRegistry(url, until, up), deadline, timeoutMs),
    ]);
    const kafka = keepRunning(firstKafka, { spawn: () => spawnKafka(broker), ready: brokerAnswers, log: opts.log ?? quiet });
    started[1] = kafka;
    return { brokers, schemaRegistryUrl: url, kafka, registry, processes: [kafka, registry], workDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
