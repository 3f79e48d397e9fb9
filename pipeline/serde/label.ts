/** TypeScript view of schemas/label.avsc (checked against it in test/unit/schemas.test.ts). */

export interface Label {
  eventId: string;
  modelId: string;
  label: string;
  /** timestamp-millis */
  eventTime: number;
  labeledAt: number;
}
