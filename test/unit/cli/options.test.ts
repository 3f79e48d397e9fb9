/**
 * The option tables: values from flags, then the environment, then defaults;
 * strict numbers; negative numbers; relations between flags; --help listing
 * exactly what the parser accepts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { optionsHelp, parseNumber, parseOptions, type CommandOptions } from '../../../services/cli/options.ts';
import { UsageError } from '../../../services/cli/command.ts';
import { ENGINE_OPTIONS } from '../../../services/cli/commands/engine.ts';
import { GATEWAY_OPTIONS } from '../../../services/cli/commands/gateway.ts';
import { PRODUCE_OPTIONS } from '../../../services/cli/commands/produce.ts';
import { REPORT_OPTIONS } from '../../../services/cli/commands/report.ts';
import { STACK_OPTIONS } from '../../../services/cli/commands/stack.ts';
import { START_OPTIONS } from '../../../services/cli/commands/start.ts';
import { TRAIN_OPTIONS } from '../../../services/cli/commands/train.ts';

const TABLES: Record<string, CommandOptions> = {
  engine: ENGINE_OPTIONS,
  gateway: GATEWAY_OPTIONS,
  produce: PRODUCE_OPTIONS,
  report: REPORT_OPTIONS,
  stack: STACK_OPTIONS,
  start: START_OPTIONS,
  train: TRAIN_OPTIONS,
};

const usage = (f: () => unknown, pattern: RegExp) =>
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof UsageError, String(err));
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });

describe('option tables', () => {
  test('numbers are decimal only: hex, padding, overflow and empty strings are refused', () => {
    for (const raw of ['0x10', '0b1', '1e400', '-1e400', ' 5', '5 ', '', 'Infinity', 'NaN', '1_000', '5s']) {
      usage(() => parseNumber(raw, '--interval'), /^--interval must be a number, got/);
    }
    assert.equal(parseNumber('1e3', '--n'), 1000);
    assert.equal(parseNumber('-.5', '--n'), -0.5);
    usage(() => parseNumber('2.5', '--n', { integer: true, min: 1 }), /--n must be an integer >= 1, got '2.5'/);
  });

  test('flag, then environment, then default; an empty variable is unset; errors name the source', () => {
    const env = { AEGIS_INTERVAL: '3', AEGIS_WINDOW: '' };
    const { values, sources } = parseOptions(['--window', '500'], ENGINE_OPTIONS, env);
    assert.equal(values.interval, 3);
    assert.equal(sources.interval, 'AEGIS_INTERVAL');
    assert.equal(values.window, 500);
    assert.equal(values['min-samples'], 200);
    assert.equal(parseOptions(['--interval', '7'], ENGINE_OPTIONS, env).values.interval, 7);
    usage(() => parseOptions([], ENGINE_OPTIONS, { AEGIS_INTERVAL: '0x10' }), /^AEGIS_INTERVAL must be a number in \[0\.1, 3600\], got '0x10'/);
    usage(() => parseOptions(['--interval', '0x10'], ENGINE_OPTIONS, {}), /^--interval must be a number in \[0\.1, 3600\], got '0x10'/);
  });

  test('a negative number is a value, checked against the range, never "ambiguous"', () => {
    usage(() => parseOptions(['--interval', '-5'], ENGINE_OPTIONS, {}), /^--interval must be a number in \[0\.1, 3600\], got '-5'/);
    assert.equal(parseOptions(['--sigma', '-1.5'], PRODUCE_OPTIONS, {}).values.sigma, -1.5);
    assert.equal(parseOptions(['--sigma=-2'], PRODUCE_OPTIONS, {}).values.sigma, -2);
    usage(() => parseOptions(['--host', '-x'], GATEWAY_OPTIONS, {}), /^--host needs a value; to pass one that starts with '-', write --host=-VALUE$/);
    usage(() => parseOptions(['--window'], ENGINE_OPTIONS, {}), /--window/);
  });

  test('relations: --min-samples above --window and --min-effect above --red-effect are refused, defaults included', () => {
    usage(() => parseOptions(['--window', '100', '--min-samples', '200'], ENGINE_OPTIONS, {}), /^--min-samples \(200\) must not exceed --window \(100\): .*would ever be evaluated/);
    usage(() => parseOptions(['--window', '100'], ENGINE_OPTIONS, {}), /^--min-samples \(200, the default\) must not exceed --window \(100\)/);
    usage(() => parseOptions(['--min-effect', '0.6', '--red-effect', '0.3'], ENGINE_OPTIONS, {}), /^--min-effect \(0\.6\) must not exceed --red-effect \(0\.3\)/);
    usage(() => parseOptions([], ENGINE_OPTIONS, { AEGIS_WINDOW: '50' }), /must not exceed AEGIS_WINDOW \(50\)/);
    const ok = parseOptions(['--window', '200', '--min-effect', '0.5', '--red-effect', '0.5'], ENGINE_OPTIONS, {});
    assert.equal(ok.values['min-samples'], 200);
  });

  test('choices are checked; booleans read 1/0 from the environment', () => {
    usage(() => parseOptions(['--correction', 'holm'], ENGINE_OPTIONS, {}), /^--correction must be bh, bonferroni or none, got 'holm'/);
    usage(() => parseOptions(['--reference', 'a', '--format', 'xml'], REPORT_OPTIONS, {}), /^--format must be text or json/);
    assert.equal(parseOptions([], REPORT_OPTIONS, {}).values['fail-on-drift'], false);
  });

  test('--help lists every flag of every table with its variable and default, and only those', () => {
    for (const [name, { table }] of Object.entries(TABLES)) {
      const help = optionsHelp(table);
      for (const [flag, spec] of Object.entries(table)) {
        if (spec.envOnly) {
          assert.ok(help.includes(`  ${spec.env}`), `${name}: ${spec.env}`);
          assert.ok(!help.includes(`--${flag} `), `${name}: env-only ${flag} has no flag`);
          continue;
        }
        const line = help.split('\n').findIndex((l) => l.startsWith(`  --${flag}`) || l.startsWith(`  -${spec.short}, --${flag}`));
        assert.ok(line >= 0, `${name}: --${flag}`);
        const lines = help.split('\n');
        const next = lines.findIndex((l, i) => i > line && /^ {2}(-|[A-Z])/.test(l));
        const entry = lines.slice(line, next < 0 ? undefined : next).join('\n');
        if (spec.env) assert.ok(entry.includes(`env ${spec.env}`), `${name}: --${flag} names ${spec.env}`);
        if ('default' in spec && spec.default !== undefined) assert.ok(entry.includes(`default ${spec.default}`), `${name}: --${flag} default`);
      }
      for (const m of help.matchAll(/^ {2}--([a-z-]+)/gm)) assert.ok(m[1] in table, `${name}: help lists --${m[1]}, which the parser does not take`);
    }
  });

  test('every number default lies in its own range', () => {
    for (const [name, { table }] of Object.entries(TABLES)) {
      for (const [flag, spec] of Object.entries(table)) {
        if (spec.type !== 'number' || spec.default === undefined) continue;
        assert.equal(parseNumber(String(spec.default), flag, spec), spec.default, `${name} --${flag}`);
      }
      assert.doesNotThrow(() => parseOptions([], TABLES[name], {}), name);
    }
  });
});
