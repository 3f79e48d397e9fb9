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
