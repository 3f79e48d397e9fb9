/**
 * The websocket protocol between the gateway and the dashboard: JSON text
 * frames, server to client only. On connect `hello`, then `history` (the
 * recent reports, oldest first), then one `report` per report as it reaches
 * the topic, with a `heartbeat` in between so that the page can tell a quiet
 * gateway from a dead connection.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';

export const WS_PATH = '/ws';
/** Query parameter carrying the bearer token for browsers, which cannot set headers on a websocket. */
export const TOKEN_PARAM = 'access_token';

export type ServerMessage =
  | { type: 'hello'; heartbeatMs: number; historyMinutes: number; historyPerModel: number }
  | { type: 'history'; reports: DriftReport[] }
  | { type: 'report'; report: DriftReport }
  | { type: 'heartbeat'; at: number };
