/**
 * Fan-out of drift reports to the connected websocket clients, with the
 * hygiene a push channel needs.
 *
 * Frames are encoded once and the same Buffer is queued on every socket (ws
 * does not copy a Buffer it does not mask, and a server never masks), so N
 * clients that lag behind share one copy of each frame instead of N.
 *
 * Backpressure, per client: a client whose unsent bytes (`bufferedAmount`)
 * plus the next frame would exceed `maxBufferedBytes` is dropped rather than
 * buffered without bound. Across clients: when the sum of every client's
 * unsent bytes plus the frame for each would exceed `maxTotalBufferedBytes`,
 * the clients furthest behind are dropped until it fits, so that the gateway's
 * memory does not scale with the number of stuck clients. (The sum counts a
 * shared frame once per client, so it bounds the real memory from above.)
 *
 * Heartbeat: every interval each client is pinged (and sent a heartbeat
 * message); one that has not answered the previous ping with a pong is
 * terminated.
 */
import type { ServerMessage } from './messages.ts';

/** The part of a `ws` WebSocket the hub uses. */
export interface HubSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}

const OPEN = 1;

export interface HubOptions {
  /** Per client. */
  maxBufferedBytes: number;
  /** Across all clients. */
  maxTotalBufferedBytes: number;
  heartbeatMs: number;
}

export type DropReason = 'backpressure' | 'memory' | 'heartbeat';

interface Client {
  id: number;
  socket: HubSocket;
  alive: boolean;
}

/** A message as the bytes of one text frame. */
export function encodeFrame(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** The `report` frame of a report already encoded as JSON: the bytes of encodeFrame({ type: 'report', report }), without encoding it again. */
export function reportFrame(reportJson: string): Buffer {
  return Buffer.from(`{"type":"report","report":${reportJson}}`);
}

export class ClientHub {
  private readonly clients = new Map<HubSocket, Client>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  readonly dropped: Record<DropReason, number> = { backpressure: 0, memory: 0, heartbeat: 0 };

  constructor(
    readonly options: HubOptions,
    private readonly onDrop: (clientId: number, reason: DropReason, bufferedAmount: number) => void = () => undefined,
  ) {}

  /** Registers an open socket and sends it `greeting` first (unless that alone breaks a budget); returns its id. */
  add(socket: HubSocket, greeting: Buffer[] = []): number {
    const client: Client = { id: this.nextId++, socket, alive: true };
    this.clients.set(socket, client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => {
      this.clients.delete(socket);
    });
    for (const frame of greeting) {
      this.makeRoom(frame.length, [client]);
      if (!this.trySend(client, frame)) break;
    }
    return client.id;
  }

  /** Sends to every open client, dropping those that are too far behind. Returns how many were sent to. */
  broadcast(message: ServerMessage | Buffer): number {
    const frame = Buffer.isBuffer(message) ? message : encodeFrame(message);
    const open = [...this.clients.values()].filter((c) => c.socket.readyState === OPEN);
    this.makeRoom(frame.length, open);
    let sent = 0;
    for (const client of open) if (this.trySend(client, frame)) sent++;
    return sent;
  }

  /** Unsent bytes summed over the clients. */
  bufferedBytes(): number {
    let total = 0;
    for (const { socket } of this.clients.values()) total += socket.bufferedAmount;
    return total;
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

  private trySend(client: Client, frame: Buffer): boolean {
    if (!this.clients.has(client.socket)) return false;
    if (client.socket.bufferedAmount + frame.length > this.options.maxBufferedBytes) {
      this.drop(client, 'backpressure');
      return false;
    }
    client.socket.send(frame, { binary: false });
    return true;
  }

  /** Drops the clients furthest behind until `frameBytes` more for each of `recipients` fits the total budget. */
  private makeRoom(frameBytes: number, recipients: Client[]): void {
    let total = this.bufferedBytes() + frameBytes * recipients.length;
    if (total <= this.options.maxTotalBufferedBytes) return;
    const behind = [...this.clients.values()].sort((a, b) => b.socket.bufferedAmount - a.socket.bufferedAmount);
    for (const client of behind) {
      if (total <= this.options.maxTotalBufferedBytes || client.socket.bufferedAmount === 0) return;
      total -= client.socket.bufferedAmount + (recipients.includes(client) ? frameBytes : 0);
      this.drop(client, 'memory');
    }
  }

  private drop(client: Client, reason: DropReason): void {
    if (!this.clients.delete(client.socket)) return;
    this.dropped[reason]++;
    this.onDrop(client.id, reason, client.socket.bufferedAmount);
    client.socket.terminate();
  }
}
