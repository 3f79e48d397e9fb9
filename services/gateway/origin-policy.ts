/**
 * Which web pages may open the gateway's websocket. Browsers always send an
 * Origin header on a websocket handshake, and a page from another site must
 * not be able to read the reports with the visitor's network position
 * (cross-site websocket hijacking). With no allow-list the rule is same
 * origin: the Origin's host:port must equal the request's Host. A handshake
 * with no Origin at all does not come from a browser page and is let through;
 * the bearer token, when set, is what guards those clients.
 */
export class OriginPolicy {
  private readonly allowed: Set<string> | undefined;

  /** `allowedOrigins`: full origins like `https://ops.example.com`; empty or undefined means same origin. */
  constructor(allowedOrigins?: readonly string[]) {
    const normalized = (allowedOrigins ?? []).map(normalizeOrigin).filter((o): o is string => o !== undefined);
    this.allowed = normalized.length ? new Set(normalized) : undefined;
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    if (this.allowed) return this.allowed.has(normalized);
    return host !== undefined && normalized === normalizeOrigin(`${new URL(normalized).protocol}//${host}`);
  }

  describe(): string {
    return this.allowed ? [...this.allowed].join(',') : 'same-origin';
  }
}

/** `scheme://host[:port]` in URL-normalized form (lower case, default port dropped); undefined when it is not one. */
export function normalizeOrigin(origin: string): string | undefined {
  if (origin === 'null') return undefined;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
