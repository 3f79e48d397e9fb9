/**
 * The websocket protocol between the gateway and the dashboard: JSON text
 * frames, server to client only. On connect `hello`, then `history`: per
 * model its summary and its report points as columns (report-series.ts),
 * no full reports, so that an hour of 10 models is ≈ 250 KB and not the
 * 20 MB of the full reports. Then one `report` (the full report) per report
 * as it reaches the topic, with a `heartbeat` in between so that the page can
 * tell a quiet gateway from a dead connection. What `history` leaves out is
 * on the REST API: a model's latest full report (`/api/models/:id/reports?since=`)
 * and a feature's series (`/api/models/:id/series?feature=`).
 */
import type { DriftReport, Status } from '../../pipeline/serde/drift-report.ts';
import type { SeriesColumns } from './report-series.ts';

export const WS_PATH = '/ws';
export const API_PREFIX = '/api';
/** Query parameter carrying the bearer token for browsers, which cannot set headers on a websocket. */
export const TOKEN_PARAM = 'access_token';

export interface ModelSummary {
  modelId: string;
  modelVersion: string;
  status: Status;
  reason: string;
  evaluatedAt: number;
  /** Reports in the history (points; the full report may be held for fewer). */
  reports: number;
}

export interface ModelHistory {
  summary: ModelSummary;
  /** The model's points, without features. */
  series: SeriesColumns;
}

export type ServerMessage =
  | { type: 'hello'; heartbeatMs: number; historyMinutes: number; historyPerModel: number }
  | { type: 'history'; models: ModelHistory[] }
  | { type: 'report'; report: DriftReport }
  | { type: 'heartbeat'; at: number };

/** GET /api/models/:id/reports: the full reports held, and from when they are held. */
export interface ReportsResponse {
  modelId: string;
  reports: DriftReport[];
  /** evaluatedAt of the oldest report still held in full; older ones are only points (see /series). */
  heldSince: number;
}
