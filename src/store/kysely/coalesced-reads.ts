/**
 * Coalesces reads by key into batches: a read asked for while none is under way goes out at once,
 * alone; reads asked for while one is under way wait for it to end and then go out together, at
 * most `maxBatch` keys to a query. Over a network store each query costs the service a round trip
 * whatever it reads (about 0.3 ms of CPU through `pg` on loopback), so many keys first seen at
 * the same time (a burst of partners, or keys coming back after the cache's trust window) cost a
 * few queries instead of one each. A failed batch fails every read in it; the next batch is tried
 * afresh.
 */
export function coalescedReads<V>(
  readMany: (keys: string[]) => Promise<Map<string, V>>,
  maxBatch = 100,
): (key: string) => Promise<V | undefined> {
  type Waiter = { resolve(value: V | undefined): void; reject(error: unknown): void };
  const waiting = new Map<string, Waiter[]>();
  let running = false;

  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (waiting.size > 0) {
        const batch = new Map<string, Waiter[]>();
        for (const [key, waiters] of waiting) {
          if (batch.size === maxBatch) break;
          batch.set(key, waiters);
        }
        for (const key of batch.keys()) waiting.delete(key);
        try {
          const found = await readMany([...batch.keys()]);
          for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
        } catch (error) {
          for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      running = false;
    }
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!running) void drain();
    });
}
