/**
 * Decodes Confluent-framed Avro (magic byte 0, 4-byte big-endian schema id,
 * Avro body) into a fixed reader schema, resolving from whatever writer schema
 * the id names (Avro schema resolution), and classifies every failure so the
 * caller can dead-letter the record with a reason instead of crashing.
 * Writer schemas come from `lookup` (the registry client, which caches them).
 */
import type avro from 'avsc';
import type { ErrorKind } from './dead-letter.ts';

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export type SchemaLookup = (id: number) => Promise<avro.Type>;

export class ReaderDecoder<T> {
  private readonly resolvers = new Map<number, avro.Resolver>();

  /**
   * @param lookup resolves a schema id to its writer type; throws a DecodeError('UNKNOWN_SCHEMA')
   *   for an id the registry does not know, anything else for a transient failure.
   * @param validate extra checks on the decoded value; returns the problems found.
   */
  constructor(
    private readonly reader: avro.Type,
    private readonly lookup: SchemaLookup,
    private readonly validate: (value: T) => string[] = () => [],
  ) {}

  async decode(bytes: Buffer | null): Promise<T> {
    if (!bytes || bytes.length < 5) {
      throw new DecodeError('UNDECODABLE', `not Confluent-framed Avro: ${bytes ? `${bytes.length} bytes` : 'no value'}`);
    }
    if (bytes[0] !== 0) throw new DecodeError('UNDECODABLE', `not Confluent-framed Avro: magic byte ${bytes[0]}, expected 0`);
    const id = bytes.readInt32BE(1);
    let resolver = this.resolvers.get(id);
    if (!resolver) {
      const writer = await this.lookup(id);
      try {
        resolver = this.reader.createResolver(writer);
      } catch (err) {
        throw new DecodeError('INVALID', `writer schema ${id} cannot be read as ${this.reader.name}: ${(err as Error).message}`);
      }
      this.resolvers.set(id, resolver);
    }
    let value: T;
    try {
      value = this.reader.fromBuffer(bytes.subarray(5), resolver) as T;
    } catch (err) {
      throw new DecodeError('UNDECODABLE', `Avro body does not match schema ${id}: ${(err as Error).message}`);
    }
    // Decoding into the reader type yields a value of that type by construction; what is left are semantic checks.
    const problems = this.validate(value);
    if (problems.length) throw new DecodeError('INVALID', problems.join('; '));
    return value;
  }
}
