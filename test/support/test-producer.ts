/** What a test that publishes to Aegis' topics needs first: every topic created, and a connected producer. */
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { testCluster } from './cluster.ts';

export async function topicsAndProducer(clientId: string, cluster = testCluster()): Promise<Producer> {
  const kafka = new Kafka({ clientId, brokers: cluster.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}
