/**
 * `npm start` / `aegis start`: the whole demo on one machine.
 */
import type { Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { createLogger } from '../../log.ts';
import { superviseUntilShutdown } from '../../shutdown.ts';
import { DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT } from '../../stack/local-stack.ts';
import { artifactsRoot } from '../../trainer/artifact-store.ts';
import { DEFAULT_MODEL_ID, modelIdOption } from '../../trainer/model-options.ts';
import { startDemo } from '../../start/demo.ts';
import { DEFAULT_SEED } from '../../../pipeline/model/training-run.ts';

const PORT = { type: 'number', arg: 'N', integer: true, min: 1, max: 65535 } as const;

export const START_OPTIONS = {
  table: {
    port: { ...PORT, default: 3000, help: 'gateway / dashboard port' },
    'kafka-port': { ...PORT, default: DEFAULT_KAFKA_PORT, help: 'local Kafka port' },
    'registry-port': { ...PORT, default: DEFAULT_REGISTRY_PORT, help: 'local schema registry port' },
    model: { type: 'string', arg: 'ID', defaultText: DEFAULT_MODEL_ID, help: 'model id' },
    artifacts: { type: 'string', arg: 'DIR', env: 'AEGIS_ARTIFACTS_DIR', defaultText: './artifacts', help: 'artifacts folder' },
    interval: { type: 'number', arg: 'S', min: 0.1, max: 3600, default: 2, help: 'seconds between evaluations' },
    rate: { type: 'number', arg: 'R', min: 0.1, max: 100_000, default: 100, help: 'events per second' },
    'fail-after': { type: 'number', arg: 'N', integer: true, min: 0, default: 3000, help: 'events before the sensor fails' },
    'fail-features': { type: 'string', arg: 'F', default: 'worst_radius', help: 'features that get stuck' },
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis start [options]

Runs the whole system: Kafka and the schema registry (the cluster in
KAFKA_BROKERS / SCHEMA_REGISTRY_URL, else the local stack), the topics, the
model (trained if the artifacts folder has none; its reference profile
published), then the drift engine, the gateway with the dashboard, and a
producer whose traffic is healthy until a sensor gets stuck at 0. Each
service's log lines carry its name; Ctrl-C stops everything.

${optionsHelp(START_OPTIONS.table)}
`;

const command: Command = {
  name: 'start',
  summary: 'run the whole Aegis demo locally',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, START_OPTIONS);
    const log = createLogger('start');
    const gatewayPort = values.port;
    const demo = await startDemo({
      gatewayPort,
      kafkaPort: values['kafka-port'],
      registryPort: values['registry-port'],
      modelId: modelIdOption(values.model),
      artifactsRoot: artifactsRoot(values.artifacts),
      seed: DEFAULT_SEED,
      intervalS: values.interval,
      rate: values.rate,
      failAfter: values['fail-after'],
      failFeatures: values['fail-features'],
      log,
    });
    log.info(`dashboard: http://127.0.0.1:${gatewayPort}/  (Ctrl-C stops everything)`);
    return superviseUntilShutdown(
      log,
      demo.services.map((s) => ({ name: s.name, exited: s.exited, expectedExit: (code) => s.name === 'producer' && code === 0 })),
      demo.stop,
    );
  },
};

export default command;
