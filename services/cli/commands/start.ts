/**
 * `npm start` / `aegis start`: the whole demo on one machine.
 */
import { numberOption, parseFlags, type Command } from '../command.ts';
import { createLogger } from '../../log.ts';
import { superviseUntilShutdown } from '../../shutdown.ts';
import { DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT } from '../../stack/local-stack.ts';
import { artifactsRoot } from '../../trainer/artifact-store.ts';
import { DEFAULT_MODEL_ID, modelIdOption } from '../../trainer/model-options.ts';
import { startDemo } from '../../start/demo.ts';
import { DEFAULT_SEED } from '../../../pipeline/model/training-run.ts';

const help = `Usage: aegis start [options]

Runs the whole system: Kafka and the schema registry (the cluster in
KAFKA_BROKERS / SCHEMA_REGISTRY_URL, else the local stack), the topics, the
model (trained if the artifacts folder has none; its reference profile
published), then the drift engine, the gateway with the dashboard, and a
producer whose traffic is healthy until a sensor gets stuck at 0. Each
service's log lines carry its name; Ctrl-C stops everything.

Options:
  --port N           gateway / dashboard port (default 3000)
  --kafka-port N     local Kafka port (default ${DEFAULT_KAFKA_PORT})
  --registry-port N  local schema registry port (default ${DEFAULT_REGISTRY_PORT})
  --model ID         model id (default ${DEFAULT_MODEL_ID})
  --artifacts DIR    artifacts folder (env AEGIS_ARTIFACTS_DIR, default ./artifacts)
  --interval S       seconds between evaluations (default 2)
  --rate R           events per second (default 100)
  --fail-after N     events before the sensor fails (default 3000)
  --fail-features F  features that get stuck (default worst_radius)
  -h, --help         this text
`;

const command: Command = {
  name: 'start',
  summary: 'run the whole Aegis demo locally',
  help,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      'kafka-port': { type: 'string' },
      'registry-port': { type: 'string' },
      model: { type: 'string' },
      artifacts: { type: 'string' },
      interval: { type: 'string' },
      rate: { type: 'string' },
      'fail-after': { type: 'string' },
      'fail-features': { type: 'string' },
    });
    const port = { min: 1, max: 65535, integer: true };
    const log = createLogger('start');
    const gatewayPort = numberOption(values.port, '--port', 3000, port);
    const demo = await startDemo({
      gatewayPort,
      kafkaPort: numberOption(values['kafka-port'], '--kafka-port', DEFAULT_KAFKA_PORT, port),
      registryPort: numberOption(values['registry-port'], '--registry-port', DEFAULT_REGISTRY_PORT, port),
      modelId: modelIdOption(values.model),
      artifactsRoot: artifactsRoot(values.artifacts),
      seed: DEFAULT_SEED,
      intervalS: numberOption(values.interval, '--interval', 2, { min: 0.1, max: 3600 }),
      rate: numberOption(values.rate, '--rate', 100, { min: 0.1, max: 100_000 }),
      failAfter: numberOption(values['fail-after'], '--fail-after', 3000, { min: 0, integer: true }),
      failFeatures: values['fail-features'] ?? 'worst_radius',
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
