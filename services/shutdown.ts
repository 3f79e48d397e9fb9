/**
 * Graceful shutdown for a service: the first SIGINT or SIGTERM runs the
 * handler; a second one exits at once.
 */
export function onShutdown(handler: (signal: NodeJS.Signals) => void | Promise<void>): () => void {
  let fired = false;
  const listener = (signal: NodeJS.Signals) => {
    if (fired) process.exit(130);
    fired = true;
    void handler(signal);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

export interface Supervised {
  name: string;
  exited: Promise<unknown>;
  /** An exit that is part of the plan (e.g. a producer that sent its --count); default: none is. */
  expectedExit?: (code: unknown) => boolean;
}

/**
 * Runs until SIGINT/SIGTERM (exit code 0) or until one of `children` exits
 * unexpectedly (exit code 1), then calls `stop` once. Resolves with the code.
 */
export function superviseUntilShutdown(
  log: { info: (o: object, m?: string) => void; error: (o: object, m?: string) => void },
  children: Supervised[],
  stop: () => Promise<void>,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const finish = async (code: number, why: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ why }, 'stopping');
      await stop();
      log.info({ code }, 'stopped');
      resolve(code);
    };
    onShutdown((signal) => finish(0, signal));
    for (const c of children) {
      void c.exited.then((code) => {
        if (stopping || c.expectedExit?.(code)) return;
        log.error({ process: c.name, code }, 'a supervised process exited');
        void finish(1, `${c.name} exited with ${String(code)}`);
      });
    }
  });
}
