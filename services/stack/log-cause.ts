/**
 * The cause of a JVM's failure, read from the end of its log as one line, so
 * that a stack that does not start can say why without a stack trace.
 *
 * The last ERROR (or FATAL/SEVERE) line that carries an exception wins; its
 * message is followed by the exception that explains it: the deepest cause,
 * shown as the outermost exception whose message still contains it (Kafka's
 * bind failure is the `KafkaException` naming the address, not the bare
 * `BindException` under it). Without such a line: the last ERROR line, else the
 * last exception, else the last line.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const LEVEL = /\b(ERROR|FATAL|SEVERE)\b\s*(.*)$/;
const EXCEPTION = /^(?:Caused by: )?(?:[\w$]+\.)+([\w$]*(?:Exception|Error))\b(?::\s*(.*))?$/;
const MAX = 400;

interface Thrown {
  type: string;
  message: string;
}

function exceptionsAfter(lines: string[], i: number): Thrown[] {
  const chain: Thrown[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const line = lines[j];
    if (/^\s/.test(line) || line === '') continue; // stack frames, "... 12 more"
    const m = EXCEPTION.exec(line);
    if (!m) break;
    chain.push({ type: m[1], message: (m[2] ?? '').trim() });
  }
  return chain;
}

function explain(chain: Thrown[]): string {
  const root = chain[chain.length - 1];
  const shown = chain.find((t) => root.message !== '' && t.message.includes(root.message)) ?? root;
  return shown.message ? `${shown.type}: ${shown.message}` : shown.type;
}

function clip(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

export function lastCause(text: string): string | undefined {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd());
  let lastError: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = LEVEL.exec(lines[i]);
    if (!m || EXCEPTION.test(lines[i].trim())) continue;
    // Kafka ends a line with its logger, "(kafka.server.BrokerServer)"; Quarkus starts it with "[logger] (thread)"
    const message = m[2].replace(/\s\([\w.$]+\)$/, '').replace(/^\[[\w.$]+\]\s+\([^)]*\)\s+/, '').trim();
    const chain = exceptionsAfter(lines, i);
    if (chain.length) return clip(message ? `${message} — ${explain(chain)}` : explain(chain));
    lastError ??= message;
  }
  if (lastError) return clip(lastError);
  const thrown = lines.filter((l) => EXCEPTION.test(l)).pop();
  if (thrown) return clip(thrown.replace(/^Caused by: /, ''));
  const last = lines.filter((l) => l.trim() !== '').pop();
  return last === undefined ? undefined : clip(last.trim());
}

/** `lastCause` of the last 256 KiB of a log file; undefined when it is missing or empty. */
export function logCause(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return lastCause(buf.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}
