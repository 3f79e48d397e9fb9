/**
 * The class-data-sharing archive's life: recorded by a first run into a file
 * of its own, kept only when that JVM exited normally, then used by later runs.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { classArchivePath, useClassArchive } from '../../../services/stack/class-archive.ts';

const cache = mkdtempSync(join(tmpdir(), 'aegis-cds-'));
after(() => rmSync(cache, { recursive: true, force: true }));

const recordedTo = (flags: string[]) => {
  const m = /^-XX:ArchiveClassesAtExit=(.+)$/.exec(flags[0] ?? '');
  assert.ok(m, `records: ${flags}`);
  return m[1];
};

test('an archive is named after the Java build and the application', () => {
  const a = classArchivePath(cache, 'kafka-4.1.1', 'openjdk 17.0.15');
  assert.match(a, /\/cds\/kafka-4\.1\.1-[0-9a-f]{12}\.jsa$/);
  assert.notEqual(a, classArchivePath(cache, 'kafka-4.1.1', 'openjdk 17.0.16'));
  assert.notEqual(a, classArchivePath(cache, 'apicurio-3.0.9', 'openjdk 17.0.15'));
});

test('a recording of a JVM killed by a signal is dropped; one of a JVM that exited is kept and then used', () => {
  const archive = classArchivePath(cache, 'app', 'java');
  const killed = useClassArchive(archive);
  assert.equal(killed.recording, true);
  writeFileSync(recordedTo(killed.flags), 'half an archive');
  killed.exited('SIGKILL');
  assert.equal(existsSync(archive), false);
  assert.deepEqual(readdirSync(dirname(archive)), [], 'the partial recording is removed');

  const first = useClassArchive(archive);
  const second = useClassArchive(archive);
  assert.notEqual(recordedTo(first.flags), recordedTo(second.flags), 'two JVMs recording at once write different files');
  writeFileSync(recordedTo(first.flags), 'an archive');
  first.exited(143);
  assert.equal(existsSync(archive), true);

  const later = useClassArchive(archive);
  assert.deepEqual(later.flags, [`-XX:SharedArchiveFile=${archive}`]);
  assert.equal(later.recording, false);
});

test('no archive asked for: no flags', () => {
  assert.deepEqual(useClassArchive(undefined).flags, []);
});
