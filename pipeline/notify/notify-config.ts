/**
 * The notify service's configuration (notify.json or .yaml): where alerts go
 * and how hard to try. Validation is total: every mistake is reported as one
 * ConfigError line naming the field, before anything connects. Secrets are
 * named by environment variable, never written in the file, so the file can be
 * checked in and the values never reach a log.
 */
import { DEFAULT_RETRY, type RetryPolicy } from './retry-schedule.ts';
import { DEFAULT_RETRAIN_POLICY, type RetrainPolicy } from '../retrain/retrain-policy.ts';

export type DestinationKind = 'webhook' | 'slack';

export interface Destination {
  name: string;
  kind: DestinationKind;
  /** The endpoint. A Slack webhook URL is itself a secret: it is never logged (see `urlEnv`). */
  url: string;
  /** HMAC key (from the environment variable named by `secretEnv`); required for webhooks. */
  secret: string | null;
  /** Lowest status that reaches this destination: AMBER or RED (unknown statuses rank as AMBER). */
  minStatus: 'AMBER' | 'RED';
  /** Model id globs (minimatch), e.g. ["fraud-*"]. */
  models: string[];
  /** Sustained deliveries per minute, and the burst allowed above it (token bucket). */
  ratePerMinute: number;
  burst: number;
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
}

export interface NotifyConfig {
  destinations: Destination[];
  /** Base URL of the dashboard; links are `<dashboardUrl>?model=<id>`. */
  dashboardUrl: string;
  retry: RetryPolicy;
  retrain: RetrainPolicy;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function number(o: Raw, key: string, at: string, fallback: number, min: number, max: number): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(`${at}.${key} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function string(o: Raw, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new ConfigError(`${at}.${key} must be a non-empty string`);
  return v;
}

function fromEnv(name: string, at: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${at}: environment variable ${name} is not set`);
  return value;
}

function checkUrl(url: string, at: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${at}: not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError(`${at}: must be http(s), got ${parsed.protocol}`);
  return url;
}

function destination(raw: unknown, i: number, env: NodeJS.ProcessEnv): Destination {
  const at = `destinations[${i}]`;
  if (!isObject(raw)) throw new ConfigError(`${at} must be an object`);
  const name = string(raw, 'name', at);
  if (!name) throw new ConfigError(`${at}.name is required`);
  const where = `destination '${name}'`;
  const kind = raw.kind;
  if (kind !== 'webhook' && kind !== 'slack') throw new ConfigError(`${where}: kind must be webhook or slack, got ${JSON.stringify(kind)}`);
  const url = string(raw, 'url', where);
  const urlEnv = string(raw, 'urlEnv', where);
  if ((url === undefined) === (urlEnv === undefined)) throw new ConfigError(`${where}: give exactly one of url and urlEnv`);
  // The URL from the environment is not echoed in errors: a Slack webhook URL is a credential.
  const resolvedUrl = url !== undefined ? checkUrl(url, `${where}.url`) : checkUrl(fromEnv(urlEnv!, where, env), `${where}: ${urlEnv}`);
  const secretEnv = string(raw, 'secretEnv', where);
  if (kind === 'webhook' && !secretEnv) throw new ConfigError(`${where}: a webhook needs secretEnv (the variable holding its signing secret)`);
  const minStatus = raw.minStatus ?? 'AMBER';
  if (minStatus !== 'AMBER' && minStatus !== 'RED') throw new ConfigError(`${where}: minStatus must be AMBER or RED, got ${JSON.stringify(minStatus)}`);
  const models = raw.models ?? ['*'];
  if (!Array.isArray(models) || models.length === 0 || models.some((m) => typeof m !== 'string' || m === '')) {
    throw new ConfigError(`${where}: models must be a non-empty list of globs`);
  }
  return {
    name,
    kind,
    url: resolvedUrl,
    secret: secretEnv ? fromEnv(secretEnv, where, env) : null,
    minStatus,
    models: models as string[],
    ratePerMinute: number(raw, 'ratePerMinute', where, 60, 0.01, 60_000),
    burst: number(raw, 'burst', where, 5, 1, 10_000),
    timeoutMs: number(raw, 'timeoutMs', where, 10_000, 100, 300_000),
  };
}

function retryPolicy(raw: unknown): RetryPolicy {
  if (raw === undefined) return DEFAULT_RETRY;
  if (!isObject(raw)) throw new ConfigError('retry must be an object');
  const d = DEFAULT_RETRY;
  const policy = {
    maxAttempts: number(raw, 'maxAttempts', 'retry', d.maxAttempts, 1, 100),
    baseDelayMs: number(raw, 'baseDelayMs', 'retry', d.baseDelayMs, 1, 600_000),
    maxDelayMs: number(raw, 'maxDelayMs', 'retry', d.maxDelayMs, 1, 3_600_000),
    maxElapsedMs: number(raw, 'maxElapsedMs', 'retry', d.maxElapsedMs, 1, 86_400_000),
  };
  if (policy.maxDelayMs < policy.baseDelayMs) throw new ConfigError('retry.maxDelayMs must be at least retry.baseDelayMs');
  return policy;
}

function retrainPolicy(raw: unknown): RetrainPolicy {
  if (raw === undefined) return DEFAULT_RETRAIN_POLICY;
  if (!isObject(raw)) throw new ConfigError('retrain must be an object');
  const d = DEFAULT_RETRAIN_POLICY;
  const flag = (key: 'enabled' | 'onDataDrift' | 'onAccuracyDrop'): boolean => {
    const v = raw[key];
    if (v === undefined) return d[key];
    if (typeof v !== 'boolean') throw new ConfigError(`retrain.${key} must be true or false`);
    return v;
  };
  return {
    enabled: flag('enabled'),
    consecutive: number(raw, 'consecutive', 'retrain', d.consecutive, 1, 10_000),
    onDataDrift: flag('onDataDrift'),
    onAccuracyDrop: flag('onAccuracyDrop'),
    accuracyMargin: number(raw, 'accuracyMargin', 'retrain', d.accuracyMargin, 0, 1),
    minLabels: number(raw, 'minLabels', 'retrain', d.minLabels, 1, 10_000_000),
    maxMissingShare: number(raw, 'maxMissingShare', 'retrain', d.maxMissingShare, 0, 1),
  };
}

/** Validates a parsed config file; secrets are read from `env`. Throws ConfigError. */
export function parseNotifyConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  if (!isObject(raw)) throw new ConfigError('the config must be an object with a destinations list');
  const known = new Set(['destinations', 'dashboardUrl', 'retry', 'retrain']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw new ConfigError(`unknown config key '${unknown[0]}' (known: ${[...known].join(', ')})`);
  const list = raw.destinations ?? [];
  if (!Array.isArray(list)) throw new ConfigError('destinations must be a list');
  const destinations = list.map((d, i) => destination(d, i, env));
  const names = new Set<string>();
  for (const d of destinations) {
    if (names.has(d.name)) throw new ConfigError(`destination name '${d.name}' is used twice`);
    names.add(d.name);
  }
  const dashboardUrl = string(raw, 'dashboardUrl', 'config') ?? 'http://127.0.0.1:3000/';
  return { destinations, dashboardUrl: checkUrl(dashboardUrl, 'dashboardUrl'), retry: retryPolicy(raw.retry), retrain: retrainPolicy(raw.retrain) };
}
