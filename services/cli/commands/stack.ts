/**
 * `aegis stack up`: runs Kafka and the schema registry in the foreground and
 * prints their addresses on stdout once both answer; Ctrl-C stops both.
 */
import { DependencyError, UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { clusterFromEnv } from '../../stack/cluster.ts';
import { DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT, startLocalStack } from '../../stack/local-stack.ts';
import { PrerequisiteError } from '../../stack/prerequisites.ts';
import { superviseUntilShutdown } from '../../shutdown.ts';

const PORT = { type: 'number', arg: 'N', integer: true, min: 1, max: 65535 } as const;

export const STACK_OPTIONS = {
  table: {
    'kafka-port': { ...PORT, env: 'AEGIS_KAFKA_PORT', default: DEFAULT_KAFKA_PORT, help: 'Kafka listener port' },
    'registry-port': { ...PORT, env: 'AEGIS_REGISTRY_PORT', default: DEFAULT_REGISTRY_PORT, help: 'schema registry HTTP port' },
  },
  relations: [],
  positionals: true,
} as const satisfies CommandOptions;

const help = `Usage: aegis stack up [--kafka-port N] [--registry-port N]

Starts a single-node Apache Kafka broker (KRaft) and Apicurio Registry
(Confluent-compatible API) on 127.0.0.1, fetching them from Maven Central with
mvn on first use (cache: $AEGIS_CACHE_DIR, else ~/.cache/aegis). Once both
answer, prints on stdout:

  KAFKA_BROKERS=<host:port>
  SCHEMA_REGISTRY_URL=<url>

and keeps running until Ctrl-C (SIGINT) or SIGTERM, which stops both JVMs.
A broker that dies is restarted on its data (backoff 0.25 s doubling to 10 s;
given up after 8 crashes in a row), the registry staying up; a registry that
dies ends the stack (its schemas are kept in memory). A start that fails
prints one line with the cause and the log to read, exit 1. Logs go to stderr. With KAFKA_BROKERS and SCHEMA_REGISTRY_URL already set,
prints them and starts nothing.

${optionsHelp(STACK_OPTIONS.table)}

Requires Java 17+ and Maven (mvn) for the first download.
`;

export function printAddresses(brokers: string[], url: string): void {
  process.stdout.write(`KAFKA_BROKERS=${brokers.join(',')}\nSCHEMA_REGISTRY_URL=${url}\n`);
}

const command: Command = {
  name: 'stack',
  summary: 'run Kafka and the schema registry locally',
  help,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, STACK_OPTIONS);
    if (positionals.length !== 1 || positionals[0] !== 'up') {
      throw new UsageError(`expected 'aegis stack up', got 'aegis stack ${positionals.join(' ')}'`.trimEnd());
    }
    const { 'kafka-port': kafkaPort, 'registry-port': registryPort } = values;
    if (kafkaPort === registryPort) throw new UsageError(`--kafka-port and --registry-port must differ (both ${kafkaPort})`);
    const log = createLogger('stack');
    const external = clusterFromEnv();
    if (external) {
      log.info({ ...external }, 'KAFKA_BROKERS and SCHEMA_REGISTRY_URL are set: using that cluster, starting nothing');
      printAddresses(external.brokers, external.schemaRegistryUrl);
      return 0;
    }
    const started = Date.now();
    let stack;
    try {
      stack = await startLocalStack({ kafkaPort, registryPort, progress: (m) => log.info(m), log });
    } catch (err) {
      if (err instanceof PrerequisiteError) throw new UsageError(err.message);
      if (err instanceof DependencyError) throw err;
      throw new DependencyError(`the local stack did not start: ${(err as Error).message}`, false);
    }
    log.info({ seconds: (Date.now() - started) / 1000, workDir: stack.workDir }, 'stack is up');
    printAddresses(stack.brokers, stack.schemaRegistryUrl);
    return superviseUntilShutdown(
      log,
      stack.processes.map((p) => ({ name: `${p.name} (log ${p.logFile})`, exited: p.exited })),
      stack.stop,
    );
  },
};

export default command;
