// The outbox's promises, on whichever engine the suite runs on (PGlite, or PostgreSQL when
// DATABASE_URL is set): nothing runs for a rolled-back change, every committed job runs exactly
// once even with competing workers, failures retry with backoff and then park as dead letters.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { countJobsByStatus, enqueue, listDeadJobs, OutboxError, retryDeadJob } from './outbox.js';
import { createJobRegistry, defineJob, type JobRegistry } from './registry.js';
import { computeRetryDelayMs, startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './worker.js';

// A real pino logger, silenced: proves the JobLogger interface accepts what the app will pass.
const log = pino({ level: 'silent' });

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});

after(async () => {
  await database.close();
});

beforeEach(async () => {
  await database.db.deleteFrom('outboxJob').execute();
});

function newWorker(registry: JobRegistry, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  return startOutboxWorker({ db: database.db, registry, log, poll: false, batchSize: 5, ...options });
}

async function enqueueCommitted(registry: JobRegistry, type: string, payload: unknown, maxAttempts?: number): Promise<number> {
  return database.db
    .transaction()
    .execute((trx) => registry.enqueue(trx, type, payload, maxAttempts === undefined ? {} : { maxAttempts }));
}

async function getJob(id: number) {
  return database.db.selectFrom('outboxJob').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Milliseconds from the database's now() to the job's run_at: positive when it is due later. */
async function msUntilDue(id: number): Promise<number> {
  const { rows } = await sql<{ ms: number }>`
    select extract(epoch from (run_at - now()))::float8 * 1000 as ms from outbox_job where id = ${id}`.execute(database.db);
  return Number(rows[0]?.ms);
}

/** Calls runOnce until it runs a job (the job's backoff has elapsed); fails after timeoutMs. */
async function runWhenDue(worker: OutboxWorker, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await worker.runOnce()) > 0) return;
    await delay(20);
  }
  assert.fail('no job became due in time');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('outbox', () => {
  test('a job written in a rolled-back transaction never exists and never runs', async () => {
    let runs = 0;
    const registry = createJobRegistry([defineJob<{ to: string }>({ type: 'notify.sms', handle: async () => void runs++ })]);

    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await registry.enqueue(trx, 'notify.sms', { to: '0912345678' });
        throw new Error('the business change failed');
      }),
      /the business change failed/,
    );

    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 0, dead: 0 });
    const worker = newWorker(registry);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(runs, 0);
    await worker.stop();
  });

  test('a committed job is stored pending with its payload, and waits for its runAt', async () => {
    const seen: unknown[] = [];
    const registry = createJobRegistry([defineJob<{ to: string }>({ type: 'notify.sms', handle: async (p) => void seen.push(p) })]);

    const soonId = await enqueueCommitted(registry, 'notify.sms', { to: 'a' });
    const laterId = await database.db
      .transaction()
      .execute((trx) => enqueue(registry, trx, 'notify.sms', { to: 'b' }, { runAt: new Date(Date.now() + 3_600_000) }));

    const soon = await getJob(soonId);
    assert.equal(soon.status, 'pending');
    assert.deepEqual(soon.payload, { to: 'a' });
    assert.equal(soon.maxAttempts, 8);
    const worker = newWorker(registry);
    assert.equal(await worker.runOnce(), 1);
    assert.deepEqual(seen, [{ to: 'a' }]);
    assert.equal((await getJob(laterId)).status, 'pending');
    await worker.stop();
  });

  test('each committed job runs exactly once while two workers compete for them', async () => {
    const runsById = new Map<number, number>();
    const registry = createJobRegistry([
      defineJob<{ n: number }>({
        type: 'test.count',
        handle: async (_payload, ctx) => {
          runsById.set(ctx.jobId, (runsById.get(ctx.jobId) ?? 0) + 1);
          await delay(Math.random() * 5); // let the other worker's claims interleave
        },
      }),
    ]);
    const ids = await database.db.transaction().execute(async (trx) => {
      const created: number[] = [];
      for (let n = 0; n < 50; n++) created.push(await registry.enqueue(trx, 'test.count', { n }));
      return created;
    });
    const a = newWorker(registry, { workerId: 'worker-a' });
    const b = newWorker(registry, { workerId: 'worker-b' });

    let claimed = 0;
    for (let round = 0; round < 50 && claimed < ids.length; round++) {
      const counts = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      claimed += counts.reduce((sum, c) => sum + c, 0);
    }

    assert.equal(claimed, 50);
    for (const id of ids) assert.equal(runsById.get(id), 1, `job ${id} ran ${runsById.get(id) ?? 0} times`);
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 50, dead: 0 });
    const rows = await database.db.selectFrom('outboxJob').select(['attempts', 'finishedAt']).execute();
    assert.ok(rows.every((r) => r.attempts === 1 && r.finishedAt instanceof Date));
    await Promise.all([a.stop(), b.stop()]);
  });

  test('a failing job retries with growing backoff, then parks as dead; an admin retry revives it', async () => {
    let failing = true;
    let runs = 0;
    const registry = createJobRegistry([
      defineJob({
        type: 'payment.reconcile',
        maxAttempts: 3,
        handle: async () => {
          runs++;
          if (failing) throw new Error(`gateway timeout ${runs}`);
        },
      }),
    ]);
    // random → 0.999 makes the jitter deterministic: waits of ~299 ms, then ~399 ms (capped).
    const worker = newWorker(registry, { backoff: { baseMs: 300, capMs: 400, random: () => 0.999 } });
    const id = await enqueueCommitted(registry, 'payment.reconcile', { dossier: 'H01.01-241128-0001' });

    assert.equal(await worker.runOnce(), 1);
    let job = await getJob(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 1);
    assert.equal(job.lastError, 'gateway timeout 1');
    assert.equal(job.lockedBy, null);
    const firstWait = await msUntilDue(id);
    assert.ok(firstWait > 100 && firstWait <= 300, `first retry due in ${firstWait} ms`);
    assert.equal(await worker.runOnce(), 0, 'not retried before its backoff');

    await runWhenDue(worker);
    job = await getJob(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 2);
    assert.equal(job.lastError, 'gateway timeout 2');
    const secondWait = await msUntilDue(id);
    assert.ok(secondWait > 200 && secondWait <= 400, `second retry due in ${secondWait} ms`);

    await runWhenDue(worker);
    job = await getJob(id);
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, 3);
    assert.equal(job.lastError, 'gateway timeout 3');
    assert.ok(job.finishedAt instanceof Date);
    assert.equal(runs, 3);

    const dead = await listDeadJobs(database.db, { limit: 10 });
    assert.deepEqual(
      dead.map((d) => [d.id, d.type, d.attempts, d.lastError]),
      [[id, 'payment.reconcile', 3, 'gateway timeout 3']],
    );
    assert.equal('payload' in dead[0]!, false, 'the dead-letter list does not expose payloads');
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 0, dead: 1 });

    await retryDeadJob(database.db, id);
    job = await getJob(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 0);
    assert.equal(job.finishedAt, null);
    assert.ok((await msUntilDue(id)) <= 0, 'due now');

    failing = false;
    assert.equal(await worker.runOnce(), 1);
    job = await getJob(id);
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 1);
    await worker.stop();
  });

  test('retryDeadJob refuses a job that is missing or not dead, with a clear error', async () => {
    const registry = createJobRegistry([defineJob({ type: 'test.noop', handle: async () => undefined })]);
    const id = await enqueueCommitted(registry, 'test.noop', {});

    await assert.rejects(retryDeadJob(database.db, id), (e: unknown) => {
      assert.ok(e instanceof OutboxError);
      assert.equal(e.code, 'job_not_dead');
      assert.match(e.message, new RegExp(`Outbox job ${id} is pending, not dead`));
      return true;
    });
    await assert.rejects(retryDeadJob(database.db, id + 1000), (e: unknown) => {
      assert.ok(e instanceof OutboxError);
      assert.equal(e.code, 'job_not_found');
      return true;
    });
    assert.equal((await getJob(id)).status, 'pending');
  });

  test('the stored error is the message only, truncated to 2000 characters', async () => {
    const registry = createJobRegistry([
      defineJob({
        type: 'test.loud',
        maxAttempts: 1,
        handle: async () => {
          throw new Error('x'.repeat(5000));
        },
      }),
    ]);
    const id = await enqueueCommitted(registry, 'test.loud', { citizenId: '001099012345' });
    await newWorker(registry).runOnce();

    const job = await getJob(id);
    assert.equal(job.status, 'dead', 'maxAttempts 1: the first failure is the last');
    assert.equal(job.lastError?.length, 2000);
    assert.doesNotMatch(job.lastError ?? '', /001099012345/);
  });

  test('duplicate job types fail at boot; an unregistered type cannot be enqueued', async () => {
    const handle = async () => undefined;
    assert.throws(
      () => createJobRegistry([defineJob({ type: 'notify.email', handle }), defineJob({ type: 'notify.email', handle })]),
      (e: unknown) => e instanceof OutboxError && e.code === 'job_type_duplicate' && /"notify\.email" is defined twice/.test(e.message),
    );
    assert.throws(() => createJobRegistry([defineJob({ type: 'x', maxAttempts: 0, handle })]), /maxAttempts 0/);

    const registry = createJobRegistry([defineJob({ type: 'notify.email', handle })]);
    assert.deepEqual(registry.types, ['notify.email']);
    await assert.rejects(
      database.db.transaction().execute((trx) => registry.enqueue(trx, 'notify.emial', {})),
      (e: unknown) => e instanceof OutboxError && e.code === 'job_type_unknown' && /"notify\.emial" is not registered/.test(e.message),
    );
    await assert.rejects(
      database.db.transaction().execute((trx) => registry.enqueue(trx, 'notify.email', undefined)),
      /payload is not JSON-serialisable/,
    );
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 0, dead: 0 });
  });

  test('a job of a type this version does not know is parked dead, not retried', async () => {
    const registry = createJobRegistry([defineJob({ type: 'test.noop', handle: async () => undefined })]);
    // Written directly, as an older or newer version of the application would have.
    const { id } = await database.db
      .insertInto('outboxJob')
      .values({ type: 'legacy.fax', payload: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();

    assert.equal(await newWorker(registry).runOnce(), 1);
    const job = await getJob(id);
    assert.equal(job.status, 'dead');
    assert.match(job.lastError ?? '', /No handler is registered for job type "legacy\.fax"/);
  });

  test('a running job whose lease expired is reclaimed and run; a live lease is left alone', async () => {
    const ran: number[] = [];
    const registry = createJobRegistry([
      defineJob({ type: 'test.work', maxAttempts: 3, handle: async (_p, ctx) => void ran.push(ctx.jobId) }),
    ]);
    const [orphan, alive, exhausted] = await database.db
      .transaction()
      .execute(async (trx) => [
        await registry.enqueue(trx, 'test.work', {}),
        await registry.enqueue(trx, 'test.work', {}),
        await registry.enqueue(trx, 'test.work', {}),
      ]);
    // Simulate workers that claimed these jobs: two crashed 10 minutes ago, one is still at it.
    const claimAgo = async (id: number | undefined, minutes: number, attempts: number) =>
      database.db
        .updateTable('outboxJob')
        .set({ status: 'running', lockedBy: 'crashed-worker', attempts, lockedAt: sql<Date>`now() - make_interval(mins => ${minutes})` })
        .where('id', '=', id!)
        .execute();
    await claimAgo(orphan, 10, 1);
    await claimAgo(alive, 1, 1);
    await claimAgo(exhausted, 10, 3);

    const worker = newWorker(registry, { workerId: 'rescuer' });
    assert.equal(await worker.runOnce(), 1);

    assert.deepEqual(ran, [orphan]);
    const rescued = await getJob(orphan!);
    assert.equal(rescued.status, 'done');
    assert.equal(rescued.attempts, 2, 'the crashed run counts as an attempt');
    assert.equal(rescued.lockedBy, 'rescuer');
    const live = await getJob(alive!);
    assert.equal(live.status, 'running');
    assert.equal(live.lockedBy, 'crashed-worker');
    const poisoned = await getJob(exhausted!);
    assert.equal(poisoned.status, 'dead', 'a job that keeps killing its worker stops being retried');
    assert.match(poisoned.lastError ?? '', /Lease expired/);
  });

  test('a worker that lost its lease does not overwrite the outcome of the worker that took over', async () => {
    const release = deferred();
    const started = deferred();
    let runs = 0;
    const registry = createJobRegistry([
      defineJob({
        type: 'test.slow',
        handle: async () => {
          runs++;
          if (runs === 1) {
            started.resolve();
            await release.promise;
            throw new Error('late failure from the stalled worker');
          }
        },
      }),
    ]);
    const id = await enqueueCommitted(registry, 'test.slow', {});
    const stalled = newWorker(registry, { workerId: 'stalled' });
    const stalledRun = stalled.runOnce();
    await started.promise;
    await database.db
      .updateTable('outboxJob')
      .set({ lockedAt: sql<Date>`now() - interval '10 minutes'` })
      .where('id', '=', id)
      .execute();

    const takeover = newWorker(registry, { workerId: 'takeover' });
    assert.equal(await takeover.runOnce(), 1);
    release.resolve();
    await stalledRun;

    const job = await getJob(id);
    assert.equal(job.status, 'done');
    assert.equal(job.lockedBy, 'takeover');
    assert.equal(job.attempts, 2);
    await Promise.all([stalled.stop(), takeover.stop()]);
  });

  test('stop() lets the in-flight handler finish and record its outcome, then claims nothing more', async () => {
    const started = deferred();
    const release = deferred();
    const registry = createJobRegistry([
      defineJob({
        type: 'document.render',
        handle: async () => {
          started.resolve();
          await release.promise;
        },
      }),
    ]);
    const id = await enqueueCommitted(registry, 'document.render', {});
    const worker = startOutboxWorker({ db: database.db, registry, log, pollMs: 10 });
    await started.promise;

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await delay(50);
    assert.equal(stopped, false, 'stop() must wait for the running handler');
    assert.equal((await getJob(id)).status, 'running');

    release.resolve();
    await stopping;
    assert.equal((await getJob(id)).status, 'done');

    const laterId = await enqueueCommitted(registry, 'document.render', {});
    assert.equal(await worker.runOnce(), 0);
    await delay(40);
    assert.equal((await getJob(laterId)).status, 'pending');
  });

  test('the retry window doubles per attempt up to the cap, with full jitter', () => {
    const backoff = { baseMs: 1000, capMs: 3_600_000 };
    const max = (attempt: number) => computeRetryDelayMs(attempt, { ...backoff, random: () => 0.999999 });
    assert.deepEqual([1, 2, 3, 4].map(max), [999, 1999, 3999, 7999]);
    assert.equal(max(30), 3_599_996);
    assert.equal(max(5000), 3_599_996, 'no overflow for absurd attempt counts');
    assert.equal(computeRetryDelayMs(5, { ...backoff, random: () => 0 }), 0);
  });
});
