/**
 * Publishing a model's predictions to Aegis from Node: one InferenceEvent per
 * prediction on aegis.inference.v1, Avro under aegis.inference.v1-value,
 * keyed by model id — the same contract a Python service fills with
 * confluent-kafka's AvroSerializer (examples/python/publish_predictions.py).
 *
 *   const publisher = await createInferencePublisher({ brokers: ['127.0.0.1:9092'], registryUrl, modelId: 'fraud' });
 *   await publisher.publish([{ features: { amount: 12.5, country: 'DE' }, prediction: 'ok', score: 0.03 }]);
 *   await publisher.close();
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { FeatureValue, InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import { TOPICS } from '../kafka/topics.ts';

/** Bytes of encoded events per produce request. */
const MAX_SEND_BYTES = 512 * 1024;

export interface InferencePublisherOptions {
  brokers: string[];
  registryUrl: string;
  modelId: string;
  /** Put on every event unless the prediction names its own (default '1'). */
  modelVersion?: string;
  /** An existing kafkajs client to reuse (default: a new one). */
  kafka?: Kafka;
}

export interface Prediction {
  features: Record<string, FeatureValue>;
  prediction?: FeatureValue;
  score?: number | null;
  latencyMs?: number | null;
  /** Defaults: a random UUID, now, the publisher's version. */
  eventId?: string;
  eventTime?: number;
  modelVersion?: string;
}

export interface InferencePublisher {
  /** Sends the predictions in one batch; resolves when the broker acknowledged them; returns their event ids. */
  publish(predictions: readonly Prediction[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function createInferencePublisher(o: InferencePublisherOptions): Promise<InferencePublisher> {
  const kafka = o.kafka ?? new Kafka({ clientId: `aegis-publisher-${o.modelId}`, brokers: o.brokers, logLevel: logLevel.NOTHING });
  const serde = await TopicSerde.create<InferenceEvent>(createRegistry(o.registryUrl), TOPICS.inference, schemaText('inference-event'));
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    async publish(predictions) {
      const events: InferenceEvent[] = predictions.map((p) => ({
        eventId: p.eventId ?? randomUUID(),
        modelId: o.modelId,
        modelVersion: p.modelVersion ?? o.modelVersion ?? '1',
        eventTime: p.eventTime ?? Date.now(),
        features: p.features,
        prediction: p.prediction ?? null,
        score: p.score ?? null,
        latencyMs: p.latencyMs ?? null,
      }));
      const messages = await Promise.all(events.map(async (e) => ({ key: o.modelId, value: await serde.encode(e) })));
      // One send is one record batch per partition, which must fit the broker's 1 MB default: wide models are sent in chunks.
      for (let start = 0; start < messages.length; ) {
        let end = start;
        let bytes = 0;
        while (end < messages.length && (end === start || bytes + messages[end].value.length <= MAX_SEND_BYTES)) bytes += messages[end++].value.length;
        await producer.send({ topic: TOPICS.inference, messages: messages.slice(start, end) });
        start = end;
      }
      return events.map((e) => e.eventId);
    },
    close: () => producer.disconnect(),
  };
}
