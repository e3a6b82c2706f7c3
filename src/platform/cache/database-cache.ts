// A short-lived in-process cache of values read from one database (one Kysely instance; each
// test database gets its own). Reads inside a transaction bypass it: they must see what the
// transaction sees, and must not leave uncommitted state in a cache other requests read.
// A writer in this process calls clear() after its commit; other processes see the change
// when the entry's time runs out, so only data that may lag by ttlMs belongs here.
import type { Kysely } from 'kysely';

interface Entry<V> {
  value: V;
  /** When the read that produced the value started. */
  at: number;
}

interface PerDatabase<K, V> {
  generation: number;
  entries: Map<K, Entry<V>>;
}

export interface DatabaseCache<K, V> {
  /** The cached value of key, or load()'s result, kept for ttlMs. */
  get(db: Kysely<any>, key: K, load: () => Promise<V>): Promise<V>;
  /** Forgets every value of this database (after a write). */
  clear(db: Kysely<any>): void;
}

export interface DatabaseCacheOptions<V> {
  ttlMs: number;
  maxEntries?: number;
  /** Whether a value read at `readAt` is still right (e.g. nothing it depends on changed since);
   *  checked before a value is kept and again at every hit. */
  isCurrent?: (value: V, readAt: number) => boolean;
  /** Milliseconds since the epoch; Date.now by default (tests move it). */
  clock?: () => number;
}

export function createDatabaseCache<K, V>(options: DatabaseCacheOptions<V>): DatabaseCache<K, V> {
  const isCurrent = options.isCurrent ?? (() => true);
  const clock = options.clock ?? Date.now;
  const caches = new WeakMap<Kysely<any>, PerDatabase<K, V>>();
  const maxEntries = options.maxEntries ?? 1000;
  const cacheOf = (db: Kysely<any>) => {
    let cache = caches.get(db);
    if (!cache) {
      cache = { generation: 0, entries: new Map() };
      caches.set(db, cache);
    }
    return cache;
  };
  return {
    async get(db, key, load) {
      if (db.isTransaction) return load();
      const cache = cacheOf(db);
      const hit = cache.entries.get(key);
      if (hit && clock() - hit.at < options.ttlMs && isCurrent(hit.value, hit.at)) return hit.value;
      const generation = cache.generation;
      const at = clock();
      const value = await load();
      // A clear() that ran while this read was running must not be undone by storing its result.
      if (cache.generation === generation && isCurrent(value, at)) {
        if (cache.entries.size >= maxEntries) cache.entries.clear();
        cache.entries.set(key, { value, at });
      }
      return value;
    },
    clear(db) {
      const cache = cacheOf(db);
      cache.generation += 1;
      cache.entries.clear();
    },
  };
}
