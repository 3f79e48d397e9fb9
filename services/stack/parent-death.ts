/**
 * Wraps a command so that the kernel sends it SIGTERM when this process dies,
 * however it dies (util-linux `setpriv --pdeathsig`), where setpriv exists.
 * Without it, children still stop on a clean shutdown but not on SIGKILL.
 */
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

export function dieWithParent(command: string, args: string[]): [string, string[]] {
  return existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
}
