/**
 * `npm run stress:stack -- --cycles 50`: start/stop cycles of `aegis stack up`
 * on the default ports (9092, 8081), back to back, as a user runs it. Each
 * cycle waits for the two address lines on stdout, checks they are exactly the
 * default addresses, that the broker answers a metadata request and takes and
 * returns a record, that the registry registers a schema and gives it back by
 * id, then sends Ctrl-C (SIGINT) and waits for exit 0. The next cycle starts
 * the moment the previous `aegis` has exited. Prints one line per cycle, then
 * `N passed, N failed` with timings; exits 1 if any cycle failed.
 *
 * With `--kills N`, one more stack is started after the cycles and its broker
 * is killed with SIGKILL N times, waiting each time until it answers again (a
 * new JVM, the records written before it still there); prints the times from
 * kill to answering.
 *
 * Needs 9092 and 8081 free and no KAFKA_BROKERS / SCHEMA_REGISTRY_URL.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { AegisChild } from '../support/aegis-child.ts';
import { DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT } from '../../services/stack/local-stack.ts';
import { registryUrl } from '../../services/stack/schema-registry.ts';
import { killKafka } from '../support/local-stack-child.ts';

const { values } = parseArgs({
  options: { cycles: { type: 'string', default: '50' }, kills: { type: 'string', default: '0' }, 'timeout-s': { type: 'string', default: '180' } },
});
const cycles = Number(values.cycles);
const kills = Number(values.kills);
const timeoutMs = Number(values['timeout-s']) * 1000;
if (!Number.isInteger(cycles) || cycles < 1) throw new Error(`--cycles must be a positive integer, got ${values.cycles}`);

const BROKER = `127.0.0.1:${DEFAULT_KAFKA_PORT}`;
const URL = registryUrl(DEFAULT_REGISTRY_PORT);
const EXPECTED_STDOUT = `KAFKA_BROKERS=${BROKER}\nSCHEMA_REGISTRY_URL=${URL}\n`;

async function brokerWorks(cycle: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'stress-stack', brokers: [BROKER], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    if (brokers.length !== 1) throw new Error(`describeCluster: ${brokers.length} brokers`);
  } finally {
    await admin.disconnect();
  }
  const topic = 'stress-stack';
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: `cycle ${cycle}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `stress-${cycle}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the record did not come back within 30 s')), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        clearTimeout(timer);
        resolve(String(message.value));
      },
    });
  }).finally(() => consumer.disconnect());
  if (got !== `cycle ${cycle}`) throw new Error(`read back '${got}', expected 'cycle ${cycle}' (a fresh stack has only this cycle's record)`);
}

async function registryWorks(cycle: number): Promise<void> {
  const schema = JSON.stringify({ type: 'record', name: `Cycle${cycle}`, fields: [{ name: 'n', type: 'int' }] });
  const res = await fetch(`${URL}/subjects/stress-value/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
  });
  if (!res.ok) throw new Error(`registering a schema: HTTP ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: number };
  const back = (await (await fetch(`${URL}/schemas/ids/${id}`)).json()) as { schema: string };
  if (JSON.parse(back.schema).name !== `Cycle${cycle}`) throw new Error(`schema id ${id} gave back ${back.schema}`);
}

const env = { KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' };
const started = Date.now();
const upTimes: number[] = [];
const stopTimes: number[] = [];
let failed = 0;
for (let cycle = 1; cycle <= cycles; cycle++) {
  const t0 = Date.now();
  const stack = new AegisChild(['stack', 'up'], env);
  let up = 0;
  try {
    await stack.waitFor(/SCHEMA_REGISTRY_URL=\S+\n/, timeoutMs);
    up = Date.now() - t0;
    if (stack.stdout !== EXPECTED_STDOUT) throw new Error(`stdout was ${JSON.stringify(stack.stdout)}`);
    await brokerWorks(cycle);
    await registryWorks(cycle);
    const t1 = Date.now();
    stack.child.kill('SIGINT');
    const code = await Promise.race([stack.exited, new Promise<string>((r) => setTimeout(() => r('no exit within 60 s'), 60_000))]);
    if (code !== 0) throw new Error(`after Ctrl-C: ${code === 'no exit within 60 s' ? code : `exit code ${code}`}`);
    upTimes.push(up);
    stopTimes.push(Date.now() - t1);
    console.log(`cycle ${cycle}/${cycles} ok: up in ${(up / 1000).toFixed(1)} s, stopped in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed++;
    const lastLine = stack.tail(4000).trim().split('\n').pop();
    console.log(`cycle ${cycle}/${cycles} FAILED: ${(err as Error).message.split('\n')[0]} | aegis said: ${lastLine}`);
    await stack.stop();
  }
}
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
console.log(
  `${cycles - failed} passed, ${failed} failed in ${s(Date.now() - started)}; ` +
    `up: mean ${s(mean(upTimes))}, max ${s(Math.max(...upTimes))}; Ctrl-C to exit: mean ${s(mean(stopTimes))}, max ${s(Math.max(...stopTimes))}`,
);

/** Kills the broker N times under one stack; the seconds from each kill until it answers again, its records intact. */
async function killBroker(times: number): Promise<number[]> {
  const stack = new AegisChild(['stack', 'up'], env);
  const seconds: number[] = [];
  try {
    await stack.waitFor(/SCHEMA_REGISTRY_URL=\S+\n/, timeoutMs);
    const kafka = new Kafka({ clientId: 'stress-kill', brokers: [BROKER], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'stress-kill' }] }); // waits for the partition's leader
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 10 } });
    await producer.connect();
    await producer.send({ topic: 'stress-kill', messages: Array.from({ length: 100 }, (_, i) => ({ value: String(i) })) });
    await producer.disconnect();
    for (let k = 1; k <= times; k++) {
      seconds.push(
        await killKafka(DEFAULT_KAFKA_PORT, async (admin) => {
          const [{ high }] = await admin.fetchTopicOffsets('stress-kill');
          if (high !== '100') throw new Error(`after kill ${k} the topic has ${high} records, not 100`);
        }),
      );
      console.log(`kill ${k}/${times}: broker answering again after ${seconds[k - 1].toFixed(1)} s`);
    }
    stack.child.kill('SIGINT');
    if ((await stack.exited) !== 0) throw new Error('Ctrl-C after the kills did not exit 0');
  } finally {
    await stack.stop();
  }
  return seconds;
}

if (kills > 0) {
  try {
    const times = await killBroker(kills);
    console.log(`broker kill -9 → answering again: mean ${(mean(times)).toFixed(1)} s, max ${Math.max(...times).toFixed(1)} s over ${kills} kills`);
  } catch (err) {
    failed++;
    console.log(`kills FAILED: ${(err as Error).message.split('\n')[0]}`);
  }
}
process.exit(failed ? 1 : 0);
