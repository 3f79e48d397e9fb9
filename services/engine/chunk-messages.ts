/**
 * Splits messages into groups of at most `maxBytes` of keys and values (a
 * single larger message forms a group alone): kafkajs puts all messages of a
 * send to one partition in one record batch, and a batch above the topic's
 * max.message.bytes is refused as a whole.
 */
export function chunkMessages<M extends { key: string | Buffer | null; value: Buffer }>(messages: M[], maxBytes: number): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let size = 0;
  for (const m of messages) {
    const bytes = m.value.length + (m.key ? Buffer.byteLength(m.key) : 0) + 64;
    if (current.length && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += bytes;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
