// A small in-process cache of search pages. The catalogue changes a few times a year and the
// public asks the same few hundred questions all day (peaks ten times the daily mean at month
// end), so a page answered in the last minute is served from memory. Imports clear the cache of
// the process that ran them; other processes see the change within the time to live.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

interface Entry<V> {
  value: V;
  expires: number;
}

const MAX_ENTRIES = 2000;
let ttlMs = 60_000;
const caches = new WeakMap<Kysely<DB>, Map<string, Entry<unknown>>>();

export function configureSearchCache(options: { ttlSeconds: number }): void {
  ttlMs = options.ttlSeconds * 1000;
}

export function clearSearchCache(db: Kysely<DB>): void {
  caches.get(db)?.clear();
}

/** The cached value for a key, or the loader's answer, kept for the time to live. */
export async function cachedSearch<V>(db: Kysely<DB>, key: string, load: () => Promise<V>): Promise<V> {
  if (ttlMs <= 0) return load();
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) {
    // Re-insert so that Map order stays least-recently-used first.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as V;
  }
  const value = await load();
  cache.set(key, { value, expires: now + ttlMs });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}
