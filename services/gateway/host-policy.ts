/**
 * Which Host headers the gateway answers: its defence against DNS rebinding.
 * A page on evil.example whose name is re-pointed at the gateway's address
 * sends `Host: evil.example:PORT` and `Origin: http://evil.example:PORT`, so
 * the same-origin rule passes it; the Host check does not. Allowed: an IP
 * literal (a rebinding needs a name the attacker controls, and a page served
 * from an IP literal is that address's own origin), `localhost`, the listen
 * host, and the names given in `--allowed-hosts`. The port is not compared:
 * a rebinding attack uses the gateway's own port anyway.
 */
import { isIP } from 'node:net';

export class HostPolicy {
  private readonly names: Set<string>;

  constructor(listenHost: string, allowedHosts: readonly string[] = []) {
    this.names = new Set(['localhost', ...[listenHost, ...allowedHosts].map((h) => h.toLowerCase().replace(/\.$/, ''))]);
  }

  allows(hostHeader: string | undefined): boolean {
    const name = hostname(hostHeader);
    if (name === undefined) return false;
    return isIP(name) !== 0 || this.names.has(name);
  }

  describe(): string {
    return [...this.names, '<any IP literal>'].join(',');
  }
}

/** The host part of a Host header, lower case, without a trailing dot or IPv6 brackets; undefined when it is not a host[:port]. */
export function hostname(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
