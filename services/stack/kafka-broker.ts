/**
 * A single-node Apache Kafka 4 broker in KRaft combined mode (broker and
 * controller in one JVM) on loopback. Its data folder is formatted anew on
 * every start, so whatever a crash left behind never blocks the next one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { spawnJvm, type JvmProcess } from './jvm-process.ts';
import { LOOPBACK } from './ports.ts';

const run = promisify(execFile);

export interface KafkaBrokerOptions {
  java: string;
  kafkaHome: string;
  workDir: string;
  port: number;
  controllerPort: number;
  heapMb?: number;
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
    'auto.create.topics.enable=true',
    '',
  ].join('\n');
}

const LOG4J2 = `status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:aegis.log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
`;

/** A Kafka cluster id: 16 random bytes, base64url without padding, as Kafka's Uuid prints it. */
export function clusterId(): string {
  return randomBytes(16).toString('base64url');
}

export async function startKafkaBroker(o: KafkaBrokerOptions): Promise<JvmProcess> {
  const dataDir = join(o.workDir, 'kafka-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = join(o.workDir, 'server.properties');
  const log4j = join(o.workDir, 'log4j2.properties');
  const logFile = join(o.workDir, 'kafka.log');
  writeFileSync(config, brokerProperties({ port: o.port, controllerPort: o.controllerPort, dataDir }));
  writeFileSync(log4j, LOG4J2);
  const common = [
    '-cp',
    join(o.kafkaHome, 'lib', '*'),
    `-Dlog4j2.configurationFile=${log4j}`,
    `-Daegis.log.file=${logFile}`,
    `-Dkafka.logs.dir=${o.workDir}`,
  ];
  await run(o.java, ['-Xmx256m', ...common, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', config]);
  const heap = o.heapMb ?? 512;
  return spawnJvm({
    name: 'kafka',
    java: o.java,
    cwd: o.workDir,
    logFile: join(o.workDir, 'kafka.out'),
    args: [
      `-Xms${Math.min(256, heap)}m`,
      `-Xmx${heap}m`,
      '-XX:+UseSerialGC',
      '-XX:ActiveProcessorCount=2',
      '-Djava.awt.headless=true',
      ...common,
      'kafka.Kafka',
      config,
    ],
  });
}

/** Resolves once the broker answers a metadata request through kafkajs' admin client. */
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
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kafka at ${brokers.join(',')} did not answer: ${(last as Error)?.message ?? 'process exited'}`);
}
