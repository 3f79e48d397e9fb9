/**
 * A Python virtual environment with a requirements file installed from PyPI,
 * made by the test itself (python3 -m venv + pip), kept under the Aegis cache
 * and reused while the requirements file is unchanged (its hash names it).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../../services/stack/artifacts.ts';

const run = promisify(execFile);

/** Returns the venv's python executable. */
export async function pythonVenv(requirementsFile: string): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex').slice(0, 12);
  const dir = join(cacheDir(), `venv-${hash}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  const building = `${dir}.tmp-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  await run('python3', ['-m', 'venv', building]);
  await run(join(building, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirementsFile], { timeout: 600_000 });
  writeFileSync(join(building, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return python;
}
