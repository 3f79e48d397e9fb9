/**
 * What a notification looks like on the wire: the signed JSON body of a
 * generic webhook, and a Slack incoming-webhook message a person can read.
 */
import type { Notification } from './incidents.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from './signature.ts';
import type { Destination } from './notify-config.ts';

export const DELIVERY_HEADER = 'x-aegis-delivery';

export interface WebhookBody {
  deliveryId: string;
  event: 'incident.opened' | 'incident.resolved';
  modelId: string;
  modelVersion: string;
  /** GREEN / AMBER / RED (or any status the engine adds later, passed on as is). */
  status: string;
  previousStatus: string;
  incidentId: string;
  reason: string;
  features: { name: string; status: string; reason: string }[];
  /** When the engine saw the change, ISO 8601. */
  at: string;
  alertId: string;
  reportId: string;
  dashboardUrl: string;
}

export function dashboardLink(base: string, modelId: string): string {
  const url = new URL(base);
  url.searchParams.set('model', modelId);
  return url.toString();
}

export function webhookBody(n: Notification, dashboardUrl: string): WebhookBody {
  const a = n.alert;
  return {
    deliveryId: n.deliveryId,
    event: n.event === 'opened' ? 'incident.opened' : 'incident.resolved',
    modelId: a.modelId,
    modelVersion: a.modelVersion,
    status: a.status,
    previousStatus: a.previousStatus,
    incidentId: n.incidentId,
    reason: a.reason,
    features: n.features.map(({ name, status, reason }) => ({ name, status, reason })),
    at: new Date(a.raisedAt).toISOString(),
    alertId: a.alertId,
    reportId: a.reportId,
    dashboardUrl: dashboardLink(dashboardUrl, a.modelId),
  };
}

const EMOJI: Record<string, string> = { GREEN: ':large_green_circle:', AMBER: ':large_orange_circle:', RED: ':red_circle:' };

/** Slack's `mrkdwn` needs &, < and > escaped in user text. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackBody {
  text: string;
  blocks: { type: 'section'; text: { type: 'mrkdwn'; text: string } }[];
}

/** An incoming-webhook message: `text` is the notification's fallback, the block its readable form. */
export function slackBody(n: Notification, dashboardUrl: string): SlackBody {
  const a = n.alert;
  const headline =
    n.event === 'resolved'
      ? `${a.modelId} is ${a.status} again (was ${a.previousStatus})`
      : `${a.modelId} is ${a.status} (was ${a.previousStatus})`;
  const lines = [
    `${EMOJI[a.status] ?? ':white_circle:'} *${escape(headline)}*`,
    escape(a.reason),
    ...n.features.slice(0, 10).map((f) => `• \`${escape(f.name)}\` ${escape(f.status)}: ${escape(f.reason)}`),
    ...(n.features.length > 10 ? [`…and ${n.features.length - 10} more features`] : []),
    `version ${escape(a.modelVersion)} · ${new Date(a.raisedAt).toISOString()} · <${dashboardLink(dashboardUrl, a.modelId)}|open the dashboard>`,
  ];
  return { text: headline, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] };
}

export interface OutgoingRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * The request for one attempt: the body, and headers signed at `nowMs` (each
 * attempt is signed afresh, so a retry after minutes still falls inside the
 * receiver's replay window). Slack destinations are signed only when given a secret.
 */
export function buildRequest(n: Notification, destination: Pick<Destination, 'kind' | 'secret'>, dashboardUrl: string, nowMs: number): OutgoingRequest {
  const body = JSON.stringify(destination.kind === 'slack' ? slackBody(n, dashboardUrl) : webhookBody(n, dashboardUrl));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'aegis-notify/1', [DELIVERY_HEADER]: n.deliveryId };
  if (destination.secret !== null) {
    headers[TIMESTAMP_HEADER] = String(nowMs);
    headers[SIGNATURE_HEADER] = signBody(destination.secret, nowMs, body);
  }
  return { body, headers };
}
