/**
 * A local stack as a test runs it: `aegis stack up` as a child process, and
 * its JVMs found by what is on their command line (Kafka's config lives in
 * the run folder named after its port; the registry gets its port as a
 * property).
 */
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { AegisChild } from './aegis-child.ts';
import { freePort } from '../../services/stack/ports.ts';
import type { ClusterAddresses } from '../../services/stack/cluster.ts';

export interface StackPorts {
  kafkaPort: number;
  registryPort: number;
}

function pgrep(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export function kafkaJvms(kafkaPort: number): number[] {
  return pgrep(`^java .*stack-${kafkaPort}-[0-9]+/server\\.properties`);
}

export function registryJvms(registryPort: number): number[] {
  return pgrep(`^java .*quarkus\\.http\\.port=${registryPort} `);
}

export function stackJvms({ kafkaPort, registryPort }: StackPorts): number[] {
  return [...kafkaJvms(kafkaPort), ...registryJvms(registryPort)];
}

export interface RunningStack {
  stack: AegisChild;
  ports: StackPorts;
  /** The KAFKA_BROKERS= and SCHEMA_REGISTRY_URL= lines it printed. */
  lines: string[];
  cluster: ClusterAddresses;
}

/** `aegis stack up` on the given ports (default: free ones), once it has printed both addresses. */
export async function stackUp(ports?: StackPorts): Promise<RunningStack> {
  const { kafkaPort, registryPort } = ports ?? { kafkaPort: await freePort(), registryPort: await freePort() };
  const env = { KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' };
  const stack = new AegisChild(['stack', 'up', '--kafka-port', String(kafkaPort), '--registry-port', String(registryPort)], env);
  try {
    await stack.waitFor(/SCHEMA_REGISTRY_URL=\S+\n/, 180_000);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const lines = stack.stdout.split('\n').filter((l) => /^(KAFKA_BROKERS|SCHEMA_REGISTRY_URL)=/.test(l));
  const value = (name: string) => lines.find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
  return {
    stack,
    ports: { kafkaPort, registryPort },
    lines,
    cluster: { brokers: value('KAFKA_BROKERS').split(','), schemaRegistryUrl: value('SCHEMA_REGISTRY_URL') },
  };
}

/**
 * Kills the stack's Kafka JVM with SIGKILL and resolves with the seconds until
 * a new Kafka JVM answers on the same port (a metadata request, then `check`).
 */
export async function killKafka(kafkaPort: number, check: (admin: Admin) => Promise<void> = async () => undefined, timeoutMs = 120_000): Promise<number> {
  const [pid] = kafkaJvms(kafkaPort);
  if (!pid) throw new Error(`no Kafka JVM runs on port ${kafkaPort}`);
  const killed = Date.now();
  process.kill(pid, 'SIGKILL');
  const admin = new Kafka({ clientId: 'kill-probe', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  for (;;) {
    const now = kafkaJvms(kafkaPort);
    if (now.length === 1 && now[0] !== pid) {
      try {
        await admin.connect();
        await admin.describeCluster();
        await check(admin);
        await admin.disconnect();
        return (Date.now() - killed) / 1000;
      } catch {
        await admin.disconnect().catch(() => undefined); // not answering yet
      }
    }
    if (Date.now() - killed > timeoutMs) throw new Error(`Kafka on port ${kafkaPort} did not answer within ${timeoutMs / 1000} s of kill -9`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
