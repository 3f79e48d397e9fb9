/** TypeScript view of schemas/dead-letter.avsc (checked against it in test/unit/schemas.test.ts). */

export type ErrorKind = 'UNDECODABLE' | 'UNKNOWN_SCHEMA' | 'INVALID' | 'UNKNOWN_MODEL';

export interface DeadLetter {
  sourceTopic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  reason: string;
  errorKind: ErrorKind;
  consumerGroup: string;
  /** timestamp-millis */
  failedAt: number;
}
