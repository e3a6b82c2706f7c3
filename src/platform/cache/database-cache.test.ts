// The per-database cache: values kept for their time, per database, never inside a transaction,
// never kept across a clear() or when the caller says they may be out of date.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createDatabaseCache } from './database-cache.js';

/** Stand-ins for Kysely instances: the cache reads only `isTransaction` and uses them as keys. */
const database = () => ({ isTransaction: false }) as unknown as Kysely<unknown>;
const transaction = () => ({ isTransaction: true }) as unknown as Kysely<unknown>;

function counter() {
  let reads = 0;
  return { load: async () => ++reads, get reads() { return reads; } };
}

describe('createDatabaseCache', () => {
  test('keeps a value for its time, then reads again', async () => {
    let now = 1_000;
    const cache = createDatabaseCache<string, number>({ ttlMs: 100, clock: () => now });
    const db = database();
    const source = counter();
    assert.equal(await cache.get(db, 'k', source.load), 1);
    now += 99;
    assert.equal(await cache.get(db, 'k', source.load), 1, 'still kept');
    now += 1;
    assert.equal(await cache.get(db, 'k', source.load), 2, 'read again when its time is up');
    assert.equal(source.reads, 2);
  });

  test('one database never sees another’s values; a transaction always reads', async () => {
    const cache = createDatabaseCache<string, number>({ ttlMs: 60_000 });
    const [a, b] = [database(), database()];
    assert.equal(await cache.get(a, 'k', async () => 1), 1);
    assert.equal(await cache.get(b, 'k', async () => 2), 2);
    assert.equal(await cache.get(a, 'k', async () => 3), 1);
    const trx = transaction();
    assert.equal(await cache.get(trx, 'k', async () => 4), 4);
    assert.equal(await cache.get(trx, 'k', async () => 5), 5, 'nothing is kept for a transaction');
  });

  test('clear() forgets, and a read that was running across it is not kept', async () => {
    const cache = createDatabaseCache<string, number>({ ttlMs: 60_000 });
    const db = database();
    await cache.get(db, 'k', async () => 1);
    cache.clear(db);
    assert.equal(await cache.get(db, 'k', async () => 2), 2);
    let release!: () => void;
    const running = cache.get(db, 'slow', () => new Promise<number>((resolve) => (release = () => resolve(10))));
    cache.clear(db);
    release();
    assert.equal(await running, 10, 'the caller still gets what it read');
    assert.equal(await cache.get(db, 'slow', async () => 11), 11, 'but it was not kept');
  });

  test('isCurrent decides whether a value is kept and whether a kept one still serves', async () => {
    let now = 0;
    let changedAt = -Infinity;
    const cache = createDatabaseCache<string, number>({ ttlMs: 60_000, clock: () => now, isCurrent: (_value, readAt) => changedAt < readAt });
    const db = database();
    now = 10;
    changedAt = 10;
    assert.equal(await cache.get(db, 'k', async () => 1), 1);
    assert.equal(await cache.get(db, 'k', async () => 2), 2, 'a read at the moment of a change is not kept');
    now = 20;
    assert.equal(await cache.get(db, 'k', async () => 3), 3);
    assert.equal(await cache.get(db, 'k', async () => 4), 3, 'kept');
    changedAt = 25;
    now = 30;
    assert.equal(await cache.get(db, 'k', async () => 5), 5, 'a change after the read retires it');
  });

  test('holds at most maxEntries values', async () => {
    const cache = createDatabaseCache<number, number>({ ttlMs: 60_000, maxEntries: 2 });
    const db = database();
    await cache.get(db, 1, async () => 1);
    await cache.get(db, 2, async () => 2);
    await cache.get(db, 3, async () => 3);
    assert.equal(await cache.get(db, 1, async () => 10), 10, 'the full cache was emptied for the third');
  });
});
