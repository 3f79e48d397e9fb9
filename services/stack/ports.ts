/** Loopback port checks: is a port free, and an unused one to listen on. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

export const LOOPBACK = '127.0.0.1';

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return (await tryListen(port)) !== undefined;
}

export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === undefined) throw new Error('the OS gave no free loopback port');
  return port;
}

/** The kernel's range of ephemeral (outgoing) ports; Linux' default when it cannot be read. */
export function ephemeralRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): [number, number] {
  try {
    const [low, high] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

/**
 * A free port below the ephemeral range, for a listener that must get its
 * port back after a restart: a port the OS hands out (`freePort`) can be taken
 * in the meantime by any outgoing connection on the machine, and then the
 * listener fails to bind.
 */
export async function freeListenPort(): Promise<number> {
  const [low] = ephemeralRange();
  const floor = Math.min(20_000, Math.max(1024, low - 10_000));
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomInt(floor, low);
    if (await isPortFree(port)) return port;
  }
  return freePort();
}
