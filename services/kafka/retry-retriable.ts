/**
 * Runs a one-shot kafkajs admin call again while it fails with an error
 * kafkajs marks retriable (a fresh cluster's group coordinator still loading,
 * "not the correct coordinator" while it moves): admin calls such as
 * fetchOffsets give up at the first such answer, consumers do not.
 */
export async function retryRetriable<T>(call: () => Promise<T>, timeoutMs = 30_000, pauseMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || Date.now() + pauseMs > deadline) throw err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}
