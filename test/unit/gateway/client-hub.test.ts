/**
 * The hub's fan-out: frames encoded once and shared; slow clients are
 * dropped, not buffered, per client and across clients; silent clients are
 * dropped at the next heartbeat.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientHub, encodeFrame, reportFrame, type DropReason, type HubOptions, type HubSocket } from '../../../services/gateway/client-hub.ts';
import type { ServerMessage } from '../../../services/gateway/messages.ts';
import { driftReport } from '../../support/drift-reports.ts';

class FakeSocket implements HubSocket {
  readyState = 1;
  /** Unsent bytes: what the fake has been sent and not `drain`ed, unless set by hand. */
  bufferedAmount = 0;
  frames: Buffer[] = [];
  pings = 0;
  terminated = false;
  private listeners = new Map<string, (() => void)[]>();

  constructor(private readonly reads = true) {}

  get sent(): ServerMessage[] {
    return this.frames.map((f) => JSON.parse(f.toString('utf8')) as ServerMessage);
  }
  send(data: Buffer, options: { binary: boolean }): void {
    assert.equal(options.binary, false, 'text frames');
    this.frames.push(data);
    if (!this.reads) this.bufferedAmount += data.length;
  }
  ping(): void {
    this.pings++;
  }
  closedWith: number | undefined;
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  on(event: 'pong' | 'close', listener: () => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: 'pong' | 'close'): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

const heartbeat = (at: number): ServerMessage => ({ type: 'heartbeat', at });
const options = (overrides: Partial<HubOptions> = {}): HubOptions => ({ maxBufferedBytes: 1000, maxTotalBufferedBytes: 1 << 20, heartbeatMs: 1000, ...overrides });

describe('ClientHub', () => {
  test('greets a new client, then broadcasts one shared frame to every open one', () => {
    const hub = new ClientHub(options());
    const a = new FakeSocket();
    const b = new FakeSocket();
    hub.add(a, [encodeFrame({ type: 'history', models: [] })]);
    hub.add(b);
    assert.equal(hub.broadcast(heartbeat(1)), 2);
    assert.deepEqual(a.sent, [{ type: 'history', models: [] }, heartbeat(1)]);
    assert.deepEqual(b.sent, [heartbeat(1)]);
    assert.equal(a.frames[1], b.frames[0], 'the same Buffer, not a copy per client');
    assert.equal(hub.size, 2);
  });

  test('a report frame built from its JSON is the encoded message', () => {
    const report = driftReport({ modelId: 'm' });
    assert.deepEqual(reportFrame(JSON.stringify(report)), encodeFrame({ type: 'report', report }));
  });

  test('a client whose unsent bytes plus the frame would exceed the cap is terminated instead of buffered further', () => {
    const drops: [number, DropReason, number][] = [];
    const hub = new ClientHub(options(), (...d) => drops.push(d));
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    hub.add(fast);
    const slowId = hub.add(slow);
    const frameBytes = encodeFrame(heartbeat(1)).length;
    slow.bufferedAmount = 1000 - frameBytes;
    hub.broadcast(heartbeat(1));
    assert.equal(slow.terminated, false, 'up to the cap is still allowed');
    slow.bufferedAmount = 1000 - frameBytes + 1;
    assert.equal(hub.broadcast(heartbeat(2)), 1);
    assert.equal(slow.terminated, true);
    assert.deepEqual(drops, [[slowId, 'backpressure', 1000 - frameBytes + 1]]);
    assert.equal(slow.sent.length, 1, 'nothing queued after the cap was passed');
    assert.equal(fast.sent.length, 2);
    assert.equal(hub.size, 1);
    assert.equal(hub.dropped.backpressure, 1);
  });

  test('a greeting larger than the per-client cap drops the client instead of queueing it', () => {
    const hub = new ClientHub(options({ maxBufferedBytes: 100 }));
    const socket = new FakeSocket(false);
    hub.add(socket, [Buffer.alloc(101, 0x20)]);
    assert.equal(socket.terminated, true);
    assert.equal(socket.frames.length, 0);
  });

  test('when all clients together would exceed the total budget, the furthest behind are dropped first', () => {
    const drops: [number, DropReason, number][] = [];
    const hub = new ClientHub(options({ maxBufferedBytes: 10_000, maxTotalBufferedBytes: 4000 }), (...d) => drops.push(d));
    const healthy = new FakeSocket();
    const stuck = Array.from({ length: 4 }, () => new FakeSocket(false));
    hub.add(healthy);
    const ids = stuck.map((s) => hub.add(s));
    stuck.forEach((s, i) => (s.bufferedAmount = 1000 + i * 100));
    // 4600 unsent + 200 for each of 5 clients = 5600; without the 1300 one 4100, without the 1200 one too 2700.
    hub.broadcast(Buffer.alloc(200, 0x20));
    assert.ok(hub.bufferedBytes() <= 4000, `${hub.bufferedBytes()} bytes unsent`);
    assert.deepEqual(
      drops.map(([id, reason]) => [id, reason]),
      [
        [ids[3], 'memory'],
        [ids[2], 'memory'],
      ],
      'the two furthest behind went',
    );
    assert.equal(healthy.terminated, false);
    assert.equal(healthy.frames.length, 1);
    assert.equal(hub.dropped.memory, 2);
  });

  test('the total budget never drops a client that is keeping up', () => {
    const hub = new ClientHub(options({ maxBufferedBytes: 10_000, maxTotalBufferedBytes: 300 }));
    const sockets = Array.from({ length: 5 }, () => new FakeSocket());
    for (const s of sockets) hub.add(s);
    assert.equal(hub.broadcast(Buffer.alloc(200, 0x20)), 5);
    assert.equal(hub.size, 5);
  });

  test('each beat pings; a client that did not pong since the previous beat is terminated', () => {
    const hub = new ClientHub(options());
    const live = new FakeSocket();
    const dead = new FakeSocket();
    hub.add(live);
    hub.add(dead);
    hub.beat(1);
    assert.equal(live.pings, 1);
    assert.equal(dead.pings, 1);
    live.emit('pong');
    hub.beat(2);
    assert.equal(dead.terminated, true);
    assert.equal(live.terminated, false);
    assert.equal(live.pings, 2);
    assert.deepEqual(live.sent.at(-1), heartbeat(2));
    assert.equal(hub.dropped.heartbeat, 1);
    assert.equal(hub.size, 1);
  });

  test('closeAll says 1001 (going away) to every client', () => {
    const hub = new ClientHub(options());
    const sockets = [new FakeSocket(), new FakeSocket()];
    for (const s of sockets) hub.add(s);
    hub.closeAll('bye');
    assert.deepEqual(sockets.map((s) => s.closedWith), [1001, 1001]);
    assert.equal(hub.size, 0);
  });

  test('a closed client leaves the hub and is not sent to', () => {
    const hub = new ClientHub(options());
    const socket = new FakeSocket();
    hub.add(socket);
    socket.readyState = 3;
    socket.emit('close');
    assert.equal(hub.broadcast(heartbeat(1)), 0);
    assert.equal(hub.size, 0);
  });
});
