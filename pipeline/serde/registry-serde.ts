/**
 * Avro values in Confluent's wire format (magic byte, 4-byte schema id, Avro
 * body) through a Confluent-compatible registry, with the schema registered
 * under the topic's value subject `<topic>-value` (TopicNameStrategy).
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

/**
 * Unions decode to plain values ('never' wrap): the inference contract's
 * feature values are a union of long and double, which avsc would otherwise
 * wrap as {"double": 1.5} because both are JavaScript numbers.
 */
export const AVRO_OPTIONS = { wrapUnions: 'never' } as const;

export function createRegistry(url: string): SchemaRegistry {
  return new SchemaRegistry({ host: url }, { [SchemaType.AVRO]: AVRO_OPTIONS });
}

export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/**
 * Registers (or finds) the schema under `<topic>-value` and returns its id.
 * A subject first registered by another client (confluent-kafka's serializers
 * set no subject-level rule) reads as compatibility NONE in Apicurio, and this
 * client then refuses to register at all; the schema that client registered
 * is the same contract, found by its content.
 */
export async function registerValueSchema(registry: SchemaRegistry, topic: string, schema: string): Promise<number> {
  const subject = valueSubject(topic);
  try {
    return (await registry.register({ type: SchemaType.AVRO, schema }, { subject })).id;
  } catch (err) {
    if ((err as Error).name !== 'ConfluentSchemaRegistryCompatibilityError') throw err;
    return registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema });
  }
}

/** A typed encoder/decoder for one topic's values. */
export class TopicSerde<T> {
  private constructor(
    readonly registry: SchemaRegistry,
    readonly topic: string,
    readonly schemaId: number,
  ) {}

  static async create<T>(registry: SchemaRegistry, topic: string, schema: string): Promise<TopicSerde<T>> {
    return new TopicSerde<T>(registry, topic, await registerValueSchema(registry, topic, schema));
  }

  encode(value: T): Promise<Buffer> {
    return this.registry.encode(this.schemaId, value);
  }

  /** Decodes with the writer's schema, whatever id the bytes carry. */
  async decode(bytes: Buffer): Promise<T> {
    return (await this.registry.decode(bytes)) as T;
  }
}
