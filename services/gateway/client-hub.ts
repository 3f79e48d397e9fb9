/**
 * Fan-out of drift reports to the connected websocket clients, with the two
 * kinds of hygiene a push channel needs. Backpressure: a client whose unsent
 * bytes (`bufferedAmount`) exceed the cap when a report is due is dropped
 * rather than buffered without bound. Heartbeat: every interval each client is
 * pinged (and sent a heartbeat message); one that has not answered the
 * previous ping with a pong is terminated.
 */
import type { ServerMessage } from './messages.ts';

/** The part of a `ws` WebSocket the hub uses. */
export interface HubSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}

const OPEN = 1;

export interface HubOptions {
  maxBufferedBytes: number;
  heartbeatMs: number;
}

export type DropReason = 'backpressure' | 'heartbeat';

interface Client {
  id: number;
  socket: HubSocket;
  alive: boolean;
}

export class ClientHub {
  private readonly clients = new Map<HubSocket, Client>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  readonly dropped: Record<DropReason, number> = { backpressure: 0, heartbeat: 0 };

  constructor(
    readonly options: HubOptions,
    private readonly onDrop: (clientId: number, reason: DropReason, bufferedAmount: number) => void = () => undefined,
  ) {}

  /** Registers an open socket, sending it `greeting` first; returns its id. */
  add(socket: HubSocket, greeting: ServerMessage[] = []): number {
    const client: Client = { id: this.nextId++, socket, alive: true };
    this.clients.set(socket, client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => {
      this.clients.delete(socket);
    });
    for (const message of greeting) socket.send(JSON.stringify(message));
    return client.id;
  }

  /** Sends to every open client, dropping those that are too far behind. Returns how many were sent to. */
  broadcast(message: ServerMessage): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const client of this.clients.values()) {
      if (client.socket.readyState !== OPEN) continue;
      if (client.socket.bufferedAmount > this.options.maxBufferedBytes) {
        this.drop(client, 'backpressure');
        continue;
      }
      client.socket.send(text);
      sent++;
    }
    return sent;
  }

  /** One heartbeat round: terminates clients that missed the previous ping, pings the others. */
  beat(now = Date.now()): void {
    for (const client of this.clients.values()) {
      if (!client.alive) {
        this.drop(client, 'heartbeat');
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
    this.broadcast({ type: 'heartbeat', at: now });
  }

  start(): void {
    this.timer ??= setInterval(() => this.beat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Closes every client with 1001 (going away), so that pages reconnect to the next gateway. */
  closeAll(reason: string): void {
    for (const client of this.clients.values()) client.socket.close(1001, reason);
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }

  private drop(client: Client, reason: DropReason): void {
    this.dropped[reason]++;
    this.clients.delete(client.socket);
    this.onDrop(client.id, reason, client.socket.bufferedAmount);
    client.socket.terminate();
  }
}
