/** Aegis' topics: `aegis.<name>.v1`, Avro values, keyed by model id. */
export const TOPICS = {
  inference: 'aegis.inference.v1',
  labels: 'aegis.labels.v1',
  references: 'aegis.references.v1',
  driftReports: 'aegis.drift-reports.v1',
  alerts: 'aegis.alerts.v1',
  deadLetter: 'aegis.dead-letter.v1',
  notifyDeadLetter: 'aegis.notify-dead-letter.v1',
  retrainRequests: 'aegis.retrain-requests.v1',
  retrainDecisions: 'aegis.retrain-decisions.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
