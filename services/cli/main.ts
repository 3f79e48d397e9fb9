/**
 * `aegis <command>`: the one entry point of every Aegis process.
 * Bad input exits 2 with one line on stderr; a dependency that does not answer
 * (a RetriableError past its deadline, or a DependencyError: a service we
 * started that failed) exits 1 with one line; anything else is
 * a bug and prints its stack. `--help` works everywhere. A reader that closes
 * stdout early (`aegis report ... | head`) ends the process quietly.
 */
import { DependencyError, UsageError, type Command } from './command.ts';
import { RetriableError } from '../../pipeline/errors.ts';
import { escapeControls } from './terminal-text.ts';

const loaders: Record<string, () => Promise<Command>> = {
  stack: async () => (await import('./commands/stack.ts')).default,
  start: async () => (await import('./commands/start.ts')).default,
  reference: async () => (await import('./commands/reference.ts')).default,
  models: async () => (await import('./commands/models.ts')).default,
  train: async () => (await import('./commands/train.ts')).default,
  produce: async () => (await import('./commands/produce.ts')).default,
  engine: async () => (await import('./commands/engine.ts')).default,
  gateway: async () => (await import('./commands/gateway.ts')).default,
  notify: async () => (await import('./commands/notify.ts')).default,
  report: async () => (await import('./commands/report.ts')).default,
  backtest: async () => (await import('./commands/backtest.ts')).default,
};

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(loaders).map((load) => load()));
  return [
    'Usage: aegis <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`),
    '',
    'Kafka and the schema registry: KAFKA_BROKERS and SCHEMA_REGISTRY_URL (see `aegis stack up`).',
    "Run 'aegis <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError("missing command (try 'aegis --help')");
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return 0;
  }
  const load = loaders[name];
  if (!load) throw new UsageError(`unknown command '${name}' (try 'aegis --help')`);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help.trimEnd() + '\n');
    return 0;
  }
  return command.run(rest);
}

/** EPIPE: whoever read our output has gone; there is no one left to tell. */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const oneLine = (message: string) => escapeControls(message.split('\n')[0]);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`aegis: ${escapeControls(err.message)}\n`);
      process.exitCode = 2;
    } else if (err instanceof RetriableError || err instanceof DependencyError) {
      process.stderr.write(`aegis: ${oneLine(err.message)}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`aegis: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
