/**
 * One definition of each option of a command — name, type, environment
 * variable, default, range, help text — from which the node:util parseArgs
 * configuration, the `--help` option list and the environment lookup are all
 * derived, so the three cannot disagree.
 *
 * Precedence: the flag, else its environment variable (an empty variable counts
 * as unset), else the default. Numbers are parsed strictly (pipeline/decimal.ts:
 * no hex, no surrounding spaces, no overflow to Infinity) and checked against
 * their range; a value that starts with '-' is accepted as a flag's argument
 * when it is a number (`--sigma -1`), so a negative number gets the range
 * message rather than parseArgs' "ambiguous" one. Relations between options
 * (`--min-samples` ≤ `--window`) are declared next to the table and checked
 * after every value is known, defaults included.
 */
import { parseArgs } from 'node:util';
import { parseDecimal } from '../../pipeline/decimal.ts';
import { UsageError } from './command.ts';

interface CommonSpec {
  /** Help text; a '\n' starts a continuation line. */
  help: string;
  /** Environment variable read when the flag is absent. */
  env?: string;
  /** Set from the environment only; no flag (listed under "Environment:" in --help). */
  envOnly?: true;
  /** Placeholder shown in --help, e.g. 'N' in `--window N`. */
  arg?: string;
  short?: string;
  /** How --help shows the default when it is not a constant (e.g. 'random, logged'). */
  defaultText?: string;
}

export interface NumberSpec extends CommonSpec {
  type: 'number';
  default?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface StringSpec extends CommonSpec {
  type: 'string';
  default?: string;
  choices?: readonly string[];
}

export interface BooleanSpec extends CommonSpec {
  type: 'boolean';
}

export type OptionSpec = NumberSpec | StringSpec | BooleanSpec;
export type OptionTable = Record<string, OptionSpec>;

type ValueOf<S> = S extends NumberSpec
  ? S extends { default: number }
    ? number
    : number | undefined
  : S extends BooleanSpec
    ? boolean
    : S extends { choices: readonly (infer C)[] }
      ? S extends { default: string }
        ? C
        : C | undefined
      : S extends { default: string }
        ? string
        : string | undefined;

export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };

/** `smaller` must not exceed `larger` (both numbers, defaults included); `why` ends the message. */
export interface Relation<T extends OptionTable = OptionTable> {
  smaller: keyof T & string;
  larger: keyof T & string;
  why: string;
}

export interface CommandOptions<T extends OptionTable = OptionTable> {
  table: T;
  relations?: readonly Relation<T>[];
  positionals?: boolean;
}

export interface ParsedOptions<T extends OptionTable> {
  values: OptionValues<T>;
  positionals: string[];
  /** Where each set value came from: '--name', the variable's name, or 'default'. */
  sources: Partial<Record<keyof T, string>>;
}

/** Checks a number's spelling and range, naming `label` (the flag or variable) on failure. */
export function parseNumber(raw: string, label: string, spec: { min?: number; max?: number; integer?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, integer = false } = spec;
  const kind = integer ? 'an integer' : 'a number';
  const range = Number.isFinite(min) && Number.isFinite(max) ? ` in [${min}, ${max}]` : Number.isFinite(min) ? ` >= ${min}` : Number.isFinite(max) ? ` <= ${max}` : '';
  const value = parseDecimal(raw);
  if (value === undefined || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${label} must be ${kind}${range}, got '${raw}'`);
  }
  return value;
}

const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/** Joins `--name -5` into `--name=-5` for options that take a value, so parseArgs does not call it ambiguous. */
function joinNegativeValues(argv: readonly string[], table: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const spec = arg.startsWith('--') && !arg.includes('=') ? table[arg.slice(2)] : undefined;
    if (spec && spec.type !== 'boolean' && !spec.envOnly && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      out.push(`${arg}=${argv[++i]}`);
    } else out.push(arg);
  }
  return out;
}

/** parseArgs' messages, cut to one line that still says what to do. */
export function argsErrorMessage(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    return `${ambiguous[1]} needs a value; to pass one that starts with '-', write ${ambiguous[1]}=-VALUE`;
  }
  return message.split('\n')[0];
}

function parseArgsConfig(table: OptionTable) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(table)) {
    if (spec.envOnly) continue;
    options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) };
  }
  return options;
}

/** Parses argv against the table (then the environment, then defaults) and checks the relations. */
export function parseOptions<T extends OptionTable>(
  argv: readonly string[],
  command: CommandOptions<T>,
  env: NodeJS.ProcessEnv = process.env,
): ParsedOptions<T> {
  const { table } = command;
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, table),
      options: parseArgsConfig(table),
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
  } catch (err) {
    throw new UsageError(argsErrorMessage(err));
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [name, spec] of Object.entries(table)) {
    const flag = spec.envOnly ? undefined : flags[name];
    const fromEnv = spec.env !== undefined && env[spec.env] !== undefined && env[spec.env] !== '' ? env[spec.env] : undefined;
    if (spec.type === 'boolean') {
      values[name] = flag === true || (flag === undefined && fromEnv !== undefined && booleanEnv(fromEnv, spec.env!));
      continue;
    }
    const raw = (flag as string | undefined) ?? fromEnv;
    const label = flag !== undefined ? `--${name}` : spec.env!;
    if (raw === undefined) {
      values[name] = spec.default;
      if (spec.default !== undefined) sources[name] = 'default';
      continue;
    }
    sources[name] = label;
    if (spec.type === 'number') values[name] = parseNumber(raw, label, spec);
    else {
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`${label} must be ${spec.choices.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got '${raw}'`);
      }
      values[name] = raw;
    }
  }
  for (const r of command.relations ?? []) {
    const a = values[r.smaller] as number | undefined;
    const b = values[r.larger] as number | undefined;
    if (a !== undefined && b !== undefined && a > b) {
      const show = (name: string, v: number) => `${sources[name] === 'default' ? `--${name}` : sources[name]} (${v}${sources[name] === 'default' ? ', the default' : ''})`;
      throw new UsageError(`${show(r.smaller, a)} must not exceed ${show(r.larger, b)}: ${r.why}`);
    }
  }
  return { values: values as OptionValues<T>, positionals: parsed.positionals, sources: sources as ParsedOptions<T>['sources'] };
}

function booleanEnv(raw: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new UsageError(`${name} must be 1 or 0 (true or false), got '${raw}'`);
}

function describeDefault(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.type === 'boolean' || spec.default === undefined) return undefined;
  return String(spec.default);
}

function annotations(spec: OptionSpec, withEnv: boolean): string {
  const parts: string[] = [];
  if (withEnv && spec.env) parts.push(`env ${spec.env}`);
  const d = describeDefault(spec);
  if (d !== undefined) parts.push(`default ${d}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const HELP_COLUMN = 24;
const HELP_WIDTH = 100;

function entry(left: string, text: string): string {
  const pad = ' '.repeat(HELP_COLUMN);
  const lines = text.split('\n');
  const first = left.length + 2 <= HELP_COLUMN ? left.padEnd(HELP_COLUMN) + lines[0] : `${left}\n${pad}${lines[0]}`;
  return [first, ...lines.slice(1).map((l) => pad + l)].join('\n');
}

function withAnnotation(help: string, note: string): string {
  const lines = help.split('\n');
  const last = lines[lines.length - 1];
  if (note && (lines.length > 1 || HELP_COLUMN + last.length + note.length > HELP_WIDTH)) lines.push(note.trimStart());
  else lines[lines.length - 1] = last + note;
  return lines.join('\n');
}

/** The "Options:" list of --help, in table order, ending with -h, --help. */
export function optionsHelp(table: OptionTable): string {
  const lines = ['Options:'];
  for (const [name, spec] of Object.entries(table)) {
    if (spec.envOnly) continue;
    const left = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'boolean' ? '' : ` ${spec.arg ?? (spec.type === 'number' ? 'N' : 'VALUE')}`}`;
    lines.push(entry(left, withAnnotation(spec.help, annotations(spec, true))));
  }
  lines.push(entry('  -h, --help', 'this text'));
  const envOnly = Object.values(table).filter((s) => s.envOnly && s.env);
  if (envOnly.length) {
    lines.push('', 'Environment:');
    for (const spec of envOnly) lines.push(entry(`  ${spec.env}`, withAnnotation(spec.help, annotations(spec, false))));
  }
  return lines.join('\n');
}
