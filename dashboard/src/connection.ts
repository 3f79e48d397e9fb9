/**
 * The page's websocket to the gateway: connects, hands each message on,
 * reconnects with exponential backoff and jitter (0.5 s doubling up to 15 s,
 * reset after a connection that delivered data), and treats a connection
 * that has been silent for three heartbeats as dead.
 */
import type { ServerMessage } from '../../services/gateway/messages.ts';

export type ConnectionState =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'waiting'; retryInMs: number; reason: string };

export interface ConnectionHandlers {
  onMessage(message: ServerMessage): void;
  onState(state: ConnectionState): void;
}

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export class Connection {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private heartbeatMs = 15_000;
  private lastMessageAt = 0;
  private watchdog: number | undefined;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  open(): void {
    this.attempt++;
    this.handlers.onState({ state: 'connecting', attempt: this.attempt });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let delivered = false;
    socket.addEventListener('open', () => {
      this.lastMessageAt = Date.now();
      this.handlers.onState({ state: 'open' });
      this.watchdog = window.setInterval(() => this.checkAlive(), 1000);
    });
    socket.addEventListener('message', (event) => {
      this.lastMessageAt = Date.now();
      if (!delivered) {
        delivered = true;
        this.attempt = 0;
      }
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === 'hello') this.heartbeatMs = message.heartbeatMs;
      this.handlers.onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.retry(event.code === 1006 ? 'connection lost or refused' : `closed (${event.code})`);
    });
  }

  private retry(reason: string): void {
    window.clearInterval(this.watchdog);
    this.socket = undefined;
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.max(0, this.attempt - 1)) * (0.75 + Math.random() * 0.5);
    this.handlers.onState({ state: 'waiting', retryInMs: delay, reason });
    window.setTimeout(() => this.open(), delay);
  }

  private checkAlive(): void {
    const socket = this.socket;
    if (!socket || Date.now() - this.lastMessageAt <= 3 * this.heartbeatMs) return;
    this.retry('no heartbeat from the gateway');
    socket.close(4000, 'no heartbeat');
  }
}

/** The access token the page was opened with (`?access_token=`), if any. */
export function pageToken(location: Location, tokenParam: string): string | undefined {
  return new URLSearchParams(location.search).get(tokenParam) || undefined;
}

/** ws(s)://<this page's host>/ws, carrying the page's access_token when it has one. */
export function gatewaySocketUrl(location: Location, path: string, tokenParam: string): string {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  const token = pageToken(location, tokenParam);
  if (token) url.searchParams.set(tokenParam, token);
  return url.toString();
}
