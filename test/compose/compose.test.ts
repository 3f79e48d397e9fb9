/**
 * `docker compose up` for real: docker-compose.yml at the repo root, brought up
 * through testcontainers' DockerComposeEnvironment with the engine scaled to
 * two, on host ports of its own (AEGIS_*_HOST_PORT). From the host, as an
 * outside subscriber would, it reads aegis.drift-reports.v1 and sees the model
 * GREEN, then RED naming the stuck worst_radius; the two engines share the
 * input partitions in one group; the engines' /metrics count the events; the
 * registry has the global compatibility `aegis stack up` sets; the dashboard
 * on the published port shows RED in Chromium. Then `docker compose stop`
 * must end every container by SIGTERM in its grace period (no 137; the Aegis
 * services exit 0); Kafka started again still holds the reports (named
 * volume); and `down -v` must leave no container, network or volume.
 *
 * Needs a Docker engine (DOCKER_HOST) with `docker compose`; images no
 * registry serves are built as stand-ins first (docker/standins/build.ts),
 * and the test says so. Run with `npm run test:compose` (.ci/run does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import { ensureImages, standinsInUse } from '../../docker/standins/build.ts';
import { freePort } from '../../services/stack/ports.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { DEFAULT_MODEL_ID } from '../../services/trainer/model-options.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { launchChromium } from '../support/chromium.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const MINUTE = 60_000;

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 16 << 20 })).stdout.trim();
}

/** Every object of the project that `down -v` must remove, as "kind name" lines. */
async function leftovers(project: string): Promise<string[]> {
  const filter = `label=com.docker.compose.project=${project}`;
  const lines = async (kind: string, args: string[]) =>
    (await docker(...args)).split('\n').filter(Boolean).map((n) => `${kind} ${n}`);
  return [
    ...(await lines('container', ['ps', '-a', '--filter', filter, '--format', '{{.Names}}'])),
    ...(await lines('network', ['network', 'ls', '--filter', filter, '--format', '{{.Name}}'])),
    ...(await lines('volume', ['volume', 'ls', '--filter', filter, '--format', '{{.Name}}'])),
  ];
}

/** The sum of a metric over the engine containers' /metrics (read inside each container: the port is not published). */
async function engineMetric(env: StartedDockerComposeEnvironment, engines: string[], name: string): Promise<number> {
  let sum = 0;
  for (const engine of engines) {
    const script = "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))";
    const { output, exitCode } = await env.getContainer(engine).exec(['node', '-e', script]);
    assert.equal(exitCode, 0, output);
    const line = output.split('\n').find((l) => l.startsWith(`${name} `));
    assert.ok(line, `${engine} exposes ${name}`);
    sum += Number(line.split(' ')[1]);
  }
  return sum;
}

/** Retries `probe` until it resolves (a broker still starting refuses connections), up to `timeoutMs`. */
async function untilAnswered<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

test('docker compose: GREEN then RED from the host, two engines in one group, dashboard, SIGTERM stop, nothing left', async (t) => {
  const sources = await ensureImages();
  const standins = await standinsInUse();
  t.diagnostic(`images: ${Object.entries(sources).map(([i, s]) => `${i} (${s})`).join(', ')}`);
  t.diagnostic(
    standins.length
      ? `STAND-IN images in use, no image registry answered: ${standins.join(', ')} (built by npm run compose:standins)`
      : 'official images in use',
  );

  const ports = { kafka: await freePort(), registry: await freePort(), gateway: await freePort() };
  const project = `aegis-compose-test-${Date.now().toString(36)}`;
  const environment = {
    AEGIS_KAFKA_HOST_PORT: String(ports.kafka),
    AEGIS_REGISTRY_HOST_PORT: String(ports.registry),
    AEGIS_GATEWAY_HOST_PORT: String(ports.gateway),
    AEGIS_AFTER: '2000',
  };
  const engines = ['engine-1', 'engine-2'];
  let started: StartedDockerComposeEnvironment | undefined;
  let admin: Admin | undefined;
  const upAt = Date.now();
  try {
    started = await new DockerComposeEnvironment(root, 'docker-compose.yml')
      .withProjectName(project)
      .withBuild()
      .withAutoCleanup(false) // no Ryuk: its image lives on Docker Hub; the finally below cleans up
      .withEnvironment(environment)
      .withClientOptions({ commandOptions: ['--scale', 'engine=2'] })
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withWaitStrategy('producer-1', Wait.forLogMessage(/"msg":"producing"/))
      // notify has no port of its own to probe: it is ready once it has rebuilt its incident state.
      .withWaitStrategy('notify-1', Wait.forLogMessage(/"msg":"incident state rebuilt"/))
      .withStartupTimeout(10 * MINUTE)
      .up();
    t.diagnostic(`docker compose up (build included) healthy in ${((Date.now() - upAt) / 1000).toFixed(0)} s`);

    const registryUrl = `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`;
    const config = (await (await fetch(`${registryUrl}/config`)).json()) as { compatibilityLevel?: string };
    assert.equal(config.compatibilityLevel, 'BACKWARD', 'the registry is configured as `aegis stack up` configures it');

    // An outside subscriber on the host: the addresses `aegis stack up` would print, on this test's ports.
    process.env.KAFKA_BROKERS = `127.0.0.1:${ports.kafka}`;
    process.env.SCHEMA_REGISTRY_URL = registryUrl;
    const reader = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([DEFAULT_MODEL_ID])).start();
    const firstGreen = () => reader.values().findIndex((r) => r.status === 'GREEN');
    const stuckRed = (r: DriftReport) => r.status === 'RED' && r.features.some((f) => f.name === 'worst_radius' && f.status === 'RED');
    try {
      await reader.waitFor('a GREEN report', () => firstGreen() >= 0, 3 * MINUTE);
      await reader.waitFor('a RED report naming worst_radius after the GREEN one', () => reader.values().slice(firstGreen()).some(stuckRed), 3 * MINUTE);
    } finally {
      await reader.stop();
    }
    const red = reader.values().find(stuckRed)!;
    assert.match(red.reason, /worst_radius/);
    assert.deepEqual(red.features.filter((f) => f.status === 'RED').map((f) => f.name), ['worst_radius']);

    admin = new Kafka({ clientId: 'compose-test', brokers: [process.env.KAFKA_BROKERS], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    {
      const [group] = (await admin.describeGroups(['aegis-engine'])).groups;
      assert.equal(group.state, 'Stable');
      assert.equal(group.members.length, 2, 'both engines are members of one group');
      const owned = group.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[TOPICS.inference] ?? []);
      assert.ok(owned.every((p) => p.length > 0), `each engine owns input partitions: ${JSON.stringify(owned)}`);
      assert.deepEqual(owned.flat().sort(), [0, 1, 2], 'together they own each input partition exactly once');
    }
    assert.ok((await engineMetric(started, engines, 'aegis_engine_events_consumed_total')) > 2000, 'the engines count the events they consumed');
    assert.ok((await engineMetric(started, engines, 'aegis_engine_evaluations_total')) > 0);
    assert.equal(await engineMetric(started, engines, 'aegis_engine_dead_letters_total'), 0);

    const browser = await launchChromium();
    try {
      const page = await browser.page();
      await page.goto(`http://127.0.0.1:${ports.gateway}/`);
      await page.locator('#model-status', { hasText: /^RED$/ }).waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.feature[data-feature="worst_radius"]').getAttribute('data-status'), 'RED');
      await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
    }

    const stopAt = Date.now();
    await started.stop();
    t.diagnostic(`docker compose stop took ${((Date.now() - stopAt) / 1000).toFixed(1)} s`);
    const exits = (await docker('ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.Names}} {{.Status}}'))
      .split('\n')
      .map((line) => {
        const [service, name] = line.split(' ');
        return { service, name, code: Number(/Exited \((\d+)\)/.exec(line)?.[1] ?? NaN), line };
      });
    t.diagnostic(`exit codes: ${exits.map((e) => `${e.name}=${e.code}`).join(' ')}`);
    assert.equal(exits.length, 8, 'kafka, registry, setup, two engines, gateway, producer, notify');
    for (const e of exits) {
      assert.notEqual(e.code, 137, `${e.name} was killed after its grace period: ${e.line}`);
      // The JVMs end on SIGTERM with 143 after their shutdown hooks ran; the Aegis services drain and exit 0.
      if (!['kafka', 'schema-registry'].includes(e.service)) assert.equal(e.code, 0, e.line);
    }

    // Kafka's data lives on a named volume: started again, the broker still holds every report read above.
    await run('docker', ['compose', '-p', project, 'start', 'kafka'], { cwd: root, env: { ...process.env, ...environment } });
    const probe = admin;
    const highs = await untilAnswered(() => probe.fetchTopicOffsets(TOPICS.driftReports), 3 * MINUTE);
    const kept = highs.reduce((n, p) => n + Number(p.high), 0);
    assert.ok(kept >= reader.records.length, `after a restart the topic holds ${kept} reports, ${reader.records.length} were read before`);
  } finally {
    await admin?.disconnect();
    if (started) await started.down({ removeVolumes: true });
    else await run('docker', ['compose', '-p', project, 'down', '-v', '--timeout', '20'], { cwd: root, env: { ...process.env, ...environment } }).catch(() => undefined);
  }
  assert.deepEqual(await leftovers(project), [], 'docker compose down -v leaves nothing of the project');
});
