/**
 * Runs `op` again while Kafka answers with an error kafkajs marks retriable,
 * with doubling backoff, for at most `budgetMs`. On a fresh cluster a topic
 * that was just created answers ListOffsets with NOT_LEADER_OR_FOLLOWER until
 * its leader is known, and kafkajs' admin does not retry that itself; any
 * other error, or the budget spent, is thrown.
 */
export async function whileRetriable<T>(op: () => Promise<T>, budgetMs = 15_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await op();
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable !== true || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
