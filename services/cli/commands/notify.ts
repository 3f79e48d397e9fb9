/**
 * `aegis notify`: alerts to people (Slack, signed webhooks) and retrain
 * requests to the trainer, as one long-running service.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { CLUSTER_OPTIONS, reachableCluster } from '../cluster-flags.ts';
import { createLogger } from '../../log.ts';
import { createKafka } from '../../kafka/client.ts';
import { ensureTopics } from '../../kafka/topic-setup.ts';
import { onShutdown } from '../../shutdown.ts';
import { createRegistry } from '../../../pipeline/serde/registry-serde.ts';
import { ConfigError, parseNotifyConfig, type NotifyConfig } from '../../../pipeline/notify/notify-config.ts';
import { AlertNotifier } from '../../notify/alert-notifier.ts';
import { RetrainRequester } from '../../notify/retrain-requester.ts';

export const NOTIFY_OPTIONS = {
  table: {
    config: { type: 'string', arg: 'FILE', env: 'AEGIS_NOTIFY_CONFIG', help: 'destinations, retry and retrain policy' },
    group: { type: 'string', arg: 'ID', env: 'AEGIS_NOTIFY_GROUP', default: 'aegis-notify', help: 'consumer group; the retraining policy uses ID-retrain' },
    'from-beginning': {
      type: 'boolean',
      help: 'a group with no committed offset starts at the oldest alert\n(default: at the next one, so a new destination is not sent history)',
    },
    ...CLUSTER_OPTIONS,
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis notify --config notify.json [options]

Delivers alerts from aegis.alerts.v1 to the config's destinations (Slack
incoming webhooks, or any URL as signed JSON): one notification per incident
per destination and one when the model is GREEN again, retried with backoff,
rate-limited per destination; what cannot be delivered is parked on
aegis.notify-dead-letter.v1. Also runs the retraining policy on
aegis.drift-reports.v1 and publishes RetrainRequests to
aegis.retrain-requests.v1, once per incident. See README "Alerts that reach
people" for the config file (JSON, or YAML for .yaml/.yml).

${optionsHelp(NOTIFY_OPTIONS.table)}
`;

export function loadNotifyConfig(file: string, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const raw: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    return parseNotifyConfig(raw, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`--config ${file}: ${err.message}`);
    throw new UsageError(`--config ${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

const command: Command = {
  name: 'notify',
  summary: 'deliver alerts to Slack and webhooks, request retrains',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, NOTIFY_OPTIONS);
    const file = values.config;
    if (!file) throw new UsageError('--config FILE is required (try aegis notify --help)');
    const config = loadNotifyConfig(file);
    const cluster = await reachableCluster(values);
    const groupId = values.group;
    const log = createLogger('notify');
    const kafka = createKafka(cluster.brokers, 'aegis-notify', log);
    const registry = createRegistry(cluster.schemaRegistryUrl);
    const notifier = new AlertNotifier(kafka, registry, config, { groupId, fromBeginning: values['from-beginning'] }, log);
    const requester = config.retrain.enabled ? new RetrainRequester(kafka, registry, config.retrain, `${groupId}-retrain`, log.child({ component: 'retrain' })) : null;
    try {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin);
      await admin.disconnect();
      await Promise.all([notifier.start(), requester?.start()]);
    } catch (err) {
      process.stderr.write(`aegis: notify could not start (retriable: is Kafka at ${cluster.brokers.join(',')} and the registry up?): ${(err as Error).message}\n`);
      await Promise.allSettled([notifier.stop(), requester?.stop()]);
      return 1;
    }
    log.info(
      { groupId, destinations: config.destinations.map((d) => ({ name: d.name, kind: d.kind, minStatus: d.minStatus, models: d.models })), retrain: config.retrain },
      'notify started',
    );
    return new Promise<number>((resolve) => {
      onShutdown(async (signal) => {
        log.info({ signal }, 'stopping');
        await Promise.all([notifier.stop(), requester?.stop()]);
        log.info({ ...notifier.stats, retrainRequests: requester?.requests ?? 0 }, 'notify stopped');
        resolve(0);
      });
    });
  },
};

export default command;
