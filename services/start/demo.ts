/**
 * The whole system on one machine, the seed's story: a cluster (the one in
 * the environment, else the local stack), the topics, a trained model whose
 * reference profile is on aegis.references.v1, then the drift engine, the
 * gateway and a producer that sends healthy traffic until a sensor gets stuck;
 * beside it a second model with categorical features (loan-demo.ts) whose
 * applications shift to one region at the same point.
 */
import type { Logger } from '../log.ts';
import { clusterFromEnv } from '../stack/cluster.ts';
import { startLocalStack, type LocalStack } from '../stack/local-stack.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { createKafka } from '../kafka/client.ts';
import { latestVersion, loadProfile } from '../trainer/artifact-store.ts';
import { publishProfile } from '../reference/profile-publisher.ts';
import { DEFAULT_DATA_FILE, trainModel } from '../trainer/trainer.ts';
import { startService, type ServiceProcess } from './service-process.ts';
import { demoNotifyConfig } from './demo-notify.ts';
import { runLoanDemo } from './loan-demo.ts';
import { avroType, invalidPaths } from '../../pipeline/serde/schemas.ts';

export interface DemoOptions {
  kafkaPort: number;
  registryPort: number;
  gatewayPort: number;
  modelId: string;
  artifactsRoot: string;
  seed: number;
  intervalS: number;
  rate: number;
  failAfter: number;
  failFeatures: string;
  log: Logger;
}

export interface Demo {
  services: ServiceProcess[];
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<Demo> {
  let stack: LocalStack | undefined;
  const cluster =
    clusterFromEnv() ??
    (stack = await startLocalStack({ kafkaPort: o.kafkaPort, registryPort: o.registryPort, progress: (m) => o.log.info(m), log: o.log }));
  const services: ServiceProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(cleanups.map((c) => c()));
    await stack?.stop();
  };
  try {
    const admin = createKafka(cluster.brokers, 'aegis-start', o.log).admin();
    await admin.connect();
    const created = await ensureTopics(admin);
    await admin.disconnect();
    o.log.info({ created }, 'topics ready');

    const version = await latestVersion(o.artifactsRoot, o.modelId);
    // A profile written by an older Aegis does not fit today's contract: train again rather than fail.
    const stored = version ? await loadProfile(o.artifactsRoot, o.modelId, version) : undefined;
    if (version && stored && invalidPaths(avroType('reference-profile'), stored).length === 0) {
      o.log.info({ modelId: o.modelId, version }, 'model exists: publishing its reference profile');
      await publishProfile(cluster, stored, o.log);
    } else {
      o.log.info({ modelId: o.modelId }, 'no model yet: training one');
      await trainModel({ modelId: o.modelId, dataFile: DEFAULT_DATA_FILE, artifactsRoot: o.artifactsRoot, seed: o.seed, cluster, log: o.log });
    }

    const env = {
      KAFKA_BROKERS: cluster.brokers.join(','),
      SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl,
      AEGIS_ARTIFACTS_DIR: o.artifactsRoot,
    };
    const engine = startService('engine', ['engine', '--interval', String(o.intervalS)], env);
    services.push(engine);
    services.push(startService('gateway', ['gateway', '--port', String(o.gatewayPort)], env));
    const notifyConfig = await demoNotifyConfig(o.gatewayPort);
    cleanups.push(notifyConfig.stop);
    const notify = startService('notify', ['notify', '--config', notifyConfig.file], { ...env, ...notifyConfig.env });
    services.push(notify);
    // The story needs healthy traffic evaluated before the sensor fails: traffic
    // starts once the engine and the notifier are in their groups (on a fresh
    // cluster, or a busy machine, that can take longer than the healthy phase).
    await Promise.all([engine.printed(/"msg":"engine started"/, 180_000), notify.printed(/"msg":"notify started"/, 180_000)]);
    services.push(
      startService(
        'producer',
        [
          'produce',
          '--model', o.modelId,
          '--rate', String(o.rate),
          '--scenario', 'sensor-failure',
          '--features', o.failFeatures,
          '--after', String(o.failAfter),
        ],
        env,
      ),
    );
    // The second model, with categorical features, run in-process through the public Node path.
    const loans = new AbortController();
    const loanDemo = runLoanDemo({ cluster, rate: Math.max(20, o.rate / 2), shiftAfter: o.failAfter, seed: o.seed, log: o.log.child({ service: 'loans' }), signal: loans.signal }).catch(
      (err) => o.log.error({ err }, 'loan demo stopped'),
    );
    const stopAll = async () => {
      loans.abort();
      await loanDemo;
      await stop();
    };
    return { services, stop: stopAll };
  } catch (err) {
    await stop();
    throw err;
  }
}
