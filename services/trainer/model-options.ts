/**
 * Flag values that name a model and seed a run, shared by `aegis train` and
 * `aegis produce`. A model id becomes a folder name, so it is restricted to
 * letters, digits, '.', '_' and '-'.
 */
import { UsageError } from '../cli/command.ts';

/** --seed as an option-table entry (services/cli/options.ts): a uint32. */
export const SEED_OPTION = { type: 'number', arg: 'N', env: 'AEGIS_SEED', integer: true, min: 0, max: 2 ** 32 - 1 } as const;

export const DEFAULT_MODEL_ID = 'wdbc-cart';

export function modelIdOption(raw: string | undefined, label = '--model'): string {
  const id = raw === undefined || raw === '' ? DEFAULT_MODEL_ID : raw;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)) {
    throw new UsageError(`${label} must be letters, digits, '.', '_' or '-' (starting with a letter or digit), got '${id}'`);
  }
  return id;
}
