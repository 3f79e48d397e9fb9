/** What other Node programs import from Aegis: publishing predictions, and the contract's types. */
export { createInferencePublisher, type InferencePublisher, type InferencePublisherOptions, type Prediction } from './inference-publisher.ts';
export type { InferenceEvent, FeatureValue } from '../../pipeline/serde/inference-event.ts';
export type { DriftReport } from '../../pipeline/serde/drift-report.ts';
export type { Alert } from '../../pipeline/serde/alert.ts';
