/**
 * The one per-process copy of small, rarely changing reads on the chat path (docs/benchmarks.md,
 * bench:http): who a chat sender is (staff-identity.ts), the tag dictionary (engagement). Each
 * entry is kept `ttlMs` of wall-clock time (freshness, not a business decision: never the
 * injected clock) and dropped at once in this process by `forget`, which the owner's writers
 * call; other processes see a change within the TTL. The read in flight is what is kept, so
 * concurrent misses read once, a failed read is not kept, and a `forget` during a read drops it.
 * Copies are per owner object (a process has one pool; tests make several, each on its own
 * database).
 */
export interface ProcessCache<V> {
  /** The kept value of `key`, or `load()` (kept for `ttlMs`; 0 reads every time). */
  get(owner: object, key: string, ttlMs: number, load: () => Promise<V>): Promise<V>;
  /** Drops every copy of this owner (something they were read from changed here). */
  forget(owner: object): void;
}

export function processCache<V>(opts: { maxEntries?: number } = {}): ProcessCache<V> {
  // Bound on the entries kept: a flood of made-up keys (senders) cannot grow the map without end.
  const max = opts.maxEntries ?? 10_000;
  const owners = new WeakMap<object, Map<string, { value: Promise<V>; until: number }>>();
  return {
    get(owner, key, ttlMs, load) {
      if (ttlMs <= 0) return load();
      let entries = owners.get(owner);
      if (!entries) owners.set(owner, (entries = new Map()));
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = load();
      if (entries.size >= max) entries.clear();
      const entry = { value, until: now + ttlMs };
      entries.set(key, entry);
      const kept = entries;
      value.catch(() => {
        if (kept.get(key) === entry) kept.delete(key);
      });
      return value;
    },
    forget(owner) {
      owners.get(owner)?.clear();
    },
  };
}
