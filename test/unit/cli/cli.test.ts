/**
 * The `aegis` entry point: every command has --help, bad input exits 2 with
 * one line on stderr naming the problem.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const COMMANDS = ['stack', 'start', 'train', 'produce', 'engine', 'gateway', 'report', 'notify', 'backtest'];

function aegis(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aegis', () => {
  test('--help lists every command with what it does', () => {
    const r = aegis('--help');
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} +\\S`, 'm'), c);
  });

  test('every command answers --help on stdout with its usage', () => {
    for (const c of COMMANDS) {
      const r = aegis(c, '--help');
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: aegis ${c}`), c);
    }
  });

  test('no command, an unknown command and an unknown flag exit 2 with one line', () => {
    for (const [args, pattern] of [
      [[], /^aegis: missing command/],
      [['nope'], /^aegis: unknown command 'nope'/],
      [['engine', '--frobnicate'], /--frobnicate/],
      [['engine', '--interval', 'soon'], /^aegis: --interval must be a number/],
      [['train', '--watch', '--no-publish'], /^aegis: --watch cannot be combined with --no-publish/],
      [['train', '--watch', '--recent', '5'], /^aegis: --recent must be a number in \[10, 86400\]/],
    ] as const) {
      const r = aegis(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    }
  });
});
