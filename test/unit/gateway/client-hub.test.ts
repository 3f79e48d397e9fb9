/** The hub's fan-out: slow clients are dropped, not buffered; silent clients are dropped at the next heartbeat. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientHub, type DropReason, type HubSocket } from '../../../services/gateway/client-hub.ts';
import type { ServerMessage } from '../../../services/gateway/messages.ts';

class FakeSocket implements HubSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: ServerMessage[] = [];
  pings = 0;
  terminated = false;
  private listeners = new Map<string, (() => void)[]>();

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ServerMessage);
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

describe('ClientHub', () => {
  test('greets a new client, then broadcasts to every open one', () => {
    const hub = new ClientHub({ maxBufferedBytes: 1000, heartbeatMs: 1000 });
    const a = new FakeSocket();
    const b = new FakeSocket();
    hub.add(a, [{ type: 'history', reports: [] }]);
    hub.add(b);
    assert.equal(hub.broadcast(heartbeat(1)), 2);
    assert.deepEqual(a.sent, [{ type: 'history', reports: [] }, heartbeat(1)]);
    assert.deepEqual(b.sent, [heartbeat(1)]);
    assert.equal(hub.size, 2);
  });

  test('a client whose unsent bytes exceed the cap is terminated instead of buffered further', () => {
    const drops: [number, DropReason, number][] = [];
    const hub = new ClientHub({ maxBufferedBytes: 1000, heartbeatMs: 1000 }, (...d) => drops.push(d));
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    hub.add(fast);
    const slowId = hub.add(slow);
    slow.bufferedAmount = 1000;
    hub.broadcast(heartbeat(1));
    assert.equal(slow.terminated, false, 'at the cap is still allowed');
    slow.bufferedAmount = 1001;
    assert.equal(hub.broadcast(heartbeat(2)), 1);
    assert.equal(slow.terminated, true);
    assert.deepEqual(drops, [[slowId, 'backpressure', 1001]]);
    assert.equal(slow.sent.length, 1, 'nothing queued after the cap was passed');
    assert.equal(fast.sent.length, 2);
    assert.equal(hub.size, 1);
    assert.equal(hub.dropped.backpressure, 1);
  });

  test('each beat pings; a client that did not pong since the previous beat is terminated', () => {
    const hub = new ClientHub({ maxBufferedBytes: 1000, heartbeatMs: 1000 });
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
    const hub = new ClientHub({ maxBufferedBytes: 1000, heartbeatMs: 1000 });
    const sockets = [new FakeSocket(), new FakeSocket()];
    for (const s of sockets) hub.add(s);
    hub.closeAll('bye');
    assert.deepEqual(sockets.map((s) => s.closedWith), [1001, 1001]);
    assert.equal(hub.size, 0);
  });

  test('a closed client leaves the hub and is not sent to', () => {
    const hub = new ClientHub({ maxBufferedBytes: 1000, heartbeatMs: 1000 });
    const socket = new FakeSocket();
    hub.add(socket);
    socket.readyState = 3;
    socket.emit('close');
    assert.equal(hub.broadcast(heartbeat(1)), 0);
    assert.equal(hub.size, 0);
  });
});
