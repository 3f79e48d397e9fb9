/**
 * A single-node Apache Kafka 4 broker in KRaft combined mode (broker and
 * controller in one JVM) on loopback. Its data folder is formatted once, when
 * a stack starts (whatever an earlier run left behind never blocks it), and a
 * broker restarted within that stack runs again on the same folder.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { spawnJvm, type JvmProcess } from './jvm-process.ts';
import { LOOPBACK } from './ports.ts';
import { lastCause } from './log-cause.ts';
import { DependencyError } from '../cli/command.ts';

const run = promisify(execFile);

export interface KafkaBrokerOptions {
  java: string;
  kafkaHome: string;
  workDir: string;
  port: number;
  controllerPort: number;
  heapMb?: number;
  /** Class-data-sharing archive (class-archive.ts). */
  classArchive?: string;
}

export function brokerProperties(o: { port: number; controllerPort: number; dataDir: string }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${LOOPBACK}:${o.controllerPort}`,
    `listeners=PLAINTEXT://${LOOPBACK}:${o.port},CONTROLLER://${LOOPBACK}:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${LOOPBACK}:${o.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${o.dataDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // A broker restarted after a crash cannot register until the controller
    // expires its previous session (DUPLICATE_BROKER_REGISTRATION): 9 s by default.
    'broker.session.timeout.ms=4000',
    'broker.heartbeat.interval.ms=1000',
    'auto.create.topics.enable=true',
    '',
  ].join('\n');
}

/** Log4j2 on the console: the JVM's stdout and stderr go to one file, so a fatal error and its log lines are read in one place. */
const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
`;

/**
 * A Kafka cluster id as Kafka's own `Uuid.randomUuid()` makes one: a random
 * version-4 UUID printed as 22 base64url characters, drawn again while it
 * starts with '-', which kafka-storage's parser would take for an option
 * (1 id in 64 did). Its version bits keep it off Kafka's reserved ids (0 and 1).
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaLogFile(workDir: string): string {
  return join(workDir, 'kafka.log');
}

function classpath(o: KafkaBrokerOptions): string[] {
  return ['-cp', join(o.kafkaHome, 'lib', '*'), `-Dlog4j2.configurationFile=${join(o.workDir, 'log4j2.properties')}`, `-Dkafka.logs.dir=${o.workDir}`];
}

/** Writes the broker's configuration and formats a fresh, empty data folder. */
export async function formatKafkaStorage(o: KafkaBrokerOptions): Promise<void> {
  const dataDir = join(o.workDir, 'kafka-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = join(o.workDir, 'server.properties');
  writeFileSync(config, brokerProperties({ port: o.port, controllerPort: o.controllerPort, dataDir }));
  writeFileSync(join(o.workDir, 'log4j2.properties'), LOG4J2);
  try {
    const shared = o.classArchive && existsSync(o.classArchive) ? [`-XX:SharedArchiveFile=${o.classArchive}`] : [];
    await run(o.java, ['-Xmx256m', ...shared, ...classpath(o), 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId()}`, '-c', config]);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const cause = lastCause(`${e.stdout ?? ''}\n${e.stderr ?? ''}`) ?? e.message.split('\n')[0];
    throw new DependencyError(`formatting Kafka's data folder ${dataDir} failed: ${cause}`, false);
  }
}

/** Starts the broker on the configuration and data folder `formatKafkaStorage` made. */
export function spawnKafka(o: KafkaBrokerOptions): JvmProcess {
  const heap = o.heapMb ?? 512;
  return spawnJvm({
    name: 'kafka',
    java: o.java,
    cwd: o.workDir,
    logFile: kafkaLogFile(o.workDir),
    classArchive: o.classArchive,
    args: [
      `-Xms${Math.min(256, heap)}m`,
      `-Xmx${heap}m`,
      '-XX:+UseSerialGC',
      '-XX:ActiveProcessorCount=2',
      '-Djava.awt.headless=true',
      ...classpath(o),
      'kafka.Kafka',
      join(o.workDir, 'server.properties'),
    ],
  });
}

/**
 * Resolves once the broker answers a metadata request through kafkajs' admin
 * client; rejects with the last probe error at the deadline or once `alive()`
 * turns false.
 */
export async function waitForBroker(brokers: string[], deadline: number, alive: () => boolean): Promise<void> {
  const admin = new Kafka({
    clientId: 'aegis-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  let last: unknown;
  while (Date.now() < deadline && alive()) {
    try {
      await admin.connect();
      const { brokers: found } = await admin.describeCluster();
      if (found.length > 0) {
        await admin.disconnect();
        return;
      }
    } catch (err) {
      last = err;
    }
    await admin.disconnect().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error((last as Error)?.message ?? 'no answer');
}
