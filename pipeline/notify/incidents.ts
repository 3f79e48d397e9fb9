/**
 * Turns the alert stream into notifications: one when a model's incident
 * reaches a destination, one when the model is GREEN again — not one per
 * change of state. An incident is the run from a model leaving GREEN to its
 * return; its id is the reportId of the report that opened it (the same id
 * the retraining trigger uses). Within an incident a destination hears once:
 * a RED-only destination hears when an AMBER incident escalates to RED, and
 * only destinations that heard of the incident hear of its end.
 *
 * The state is a pure fold over the alerts, so a restarted service rebuilds it
 * exactly by replaying the topic up to its committed offset.
 */
import type { Alert } from '../serde/alert.ts';
import { isHealthy } from './severity.ts';
import { routes } from './routing.ts';
import type { Destination } from './notify-config.ts';

export type NotificationEvent = 'opened' | 'resolved';

export interface FeatureState {
  name: string;
  status: string;
  reason: string;
}

export interface Notification {
  /** Stable across restarts and retries: what a receiver deduplicates on. */
  deliveryId: string;
  destination: string;
  event: NotificationEvent;
  incidentId: string;
  /** The MODEL alert behind it. */
  alert: Alert;
  /** The model's features not GREEN after this alert's report. */
  features: FeatureState[];
}

interface ModelState {
  incidentId: string | null;
  notified: string[];
  features: Map<string, FeatureState>;
}

export class IncidentTracker {
  private readonly models = new Map<string, ModelState>();

  constructor(private readonly destinations: readonly Pick<Destination, 'name' | 'models' | 'minStatus'>[]) {}

  /**
   * The alerts one report raised (the engine publishes them together: the
   * MODEL alert first, then its FEATURE alerts), in topic order; returns the
   * notifications they cause, in the order they must be delivered.
   */
  apply(alerts: readonly Alert[]): Notification[] {
    for (const a of alerts) {
      if (a.scope !== 'FEATURE' || a.feature === null) continue;
      const features = this.state(a.modelId).features;
      if (isHealthy(a.status)) features.delete(a.feature);
      else features.set(a.feature, { name: a.feature, status: a.status, reason: a.reason });
    }
    return alerts.filter((a) => a.scope === 'MODEL').flatMap((a) => this.onModel(a));
  }

  private onModel(alert: Alert): Notification[] {
    const state = this.state(alert.modelId);
    const features = [...state.features.values()].sort((a, b) => a.name.localeCompare(b.name));
    const notify = (destination: string, event: NotificationEvent, incidentId: string): Notification => ({
      deliveryId: `${incidentId}:${event}`,
      destination,
      event,
      incidentId,
      alert,
      features,
    });
    if (isHealthy(alert.status)) {
      const { incidentId, notified } = state;
      state.incidentId = null;
      state.notified = [];
      return incidentId === null ? [] : notified.map((d) => notify(d, 'resolved', incidentId));
    }
    const incidentId = (state.incidentId ??= alert.reportId);
    const fresh = this.destinations.filter((d) => !state.notified.includes(d.name) && routes(d, alert.modelId, alert.status));
    state.notified.push(...fresh.map((d) => d.name));
    return fresh.map((d) => notify(d.name, 'opened', incidentId));
  }

  private state(modelId: string): ModelState {
    let s = this.models.get(modelId);
    if (!s) {
      s = { incidentId: null, notified: [], features: new Map() };
      this.models.set(modelId, s);
    }
    return s;
  }
}
