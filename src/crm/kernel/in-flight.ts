/**
 * Runs `work` on every item, at most `inFlight` at a time, each worker taking the next item
 * when its last is done (bulk reads and rebuilds in chunks: two statements in flight keep the
 * database busy while this thread folds the previous answer). Rejects with the first failure.
 */
export async function eachInFlight<T>(items: readonly T[], inFlight: number, work: (item: T) => Promise<void>): Promise<void> {
  let k = 0;
  const worker = async (): Promise<void> => {
    while (k < items.length) await work(items[k++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, items.length)) }, worker));
}
