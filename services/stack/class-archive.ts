/**
 * Class-data sharing (dynamic AppCDS, JDK 13+) for the stack's JVMs: the
 * classes a JVM loads and verifies at start are recorded once, when its first
 * run exits (-XX:ArchiveClassesAtExit), and mapped by every later run
 * (-XX:SharedArchiveFile). On the loaded 2-core development machine this took
 * Kafka's start from 17–23 s to 10–12 s and Apicurio's from 14–25 s to 7–8 s,
 * which is most of a broker's restart and of `aegis stack up`.
 *
 * The recording goes to a file of its own, renamed into place only after its
 * JVM exited normally (a JVM killed while writing it leaves nothing half
 * written, and stacks recording at the same time do not mix). The archive's
 * name carries a digest of the Java build and the application, because an
 * archive only fits the build that wrote it; a JVM that cannot use one
 * ignores it (-Xshare:auto, the default).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

let recordings = 0;

export function classArchivePath(cache: string, app: string, javaBuild: string): string {
  const digest = createHash('sha256').update(`${javaBuild}\n${app}`).digest('hex').slice(0, 12);
  return join(cache, 'cds', `${app}-${digest}.jsa`);
}

export interface ClassArchiveUse {
  /** JVM options, to go before the main class or -jar. */
  flags: string[];
  /** True when this run records the archive (its exit takes longer: it writes it). */
  recording: boolean;
  /** Call with the JVM's exit: keeps a recording made by a JVM that exited normally. */
  exited(code: number | string): void;
}

export function useClassArchive(archive: string | undefined): ClassArchiveUse {
  if (!archive) return { flags: [], recording: false, exited: () => undefined };
  if (existsSync(archive)) return { flags: [`-XX:SharedArchiveFile=${archive}`], recording: false, exited: () => undefined };
  mkdirSync(dirname(archive), { recursive: true });
  const partial = `${archive}.${process.pid}-${++recordings}.partial`;
  return {
    flags: [`-XX:ArchiveClassesAtExit=${partial}`],
    recording: true,
    exited(code) {
      try {
        if (typeof code === 'number' && statSync(partial).size > 0) renameSync(partial, archive);
      } catch {
        // not written (the JVM died or could not dump): the next run records again
      } finally {
        rmSync(partial, { force: true });
      }
    },
  };
}
