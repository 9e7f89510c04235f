/**
 * Bounded pipelining for bulk writes: up to `inFlight` multi-row statements run on the pool
 * while the caller keeps streaming and computing (reading and writing overlap). `drain()`
 * waits for all and rethrows the first failure.
 */
export function pipelinedWriter(write: (rows: unknown[][]) => Promise<void>, batchSize = 2000, inFlight = 3) {
  let batch: unknown[][] = [];
  const pending = new Set<Promise<void>>();
  let failure: unknown = null;
  const send = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    while (pending.size >= inFlight) await Promise.race(pending);
    if (failure) throw failure;
    const p: Promise<void> = write(rows)
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  return {
    async push(row: unknown[]): Promise<void> {
      batch.push(row);
      if (batch.length >= batchSize) await send();
    },
    async drain(): Promise<void> {
      await send();
      await Promise.all(pending);
      if (failure) throw failure;
    },
  };
}
