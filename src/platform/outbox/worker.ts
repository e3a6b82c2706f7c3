// The outbox worker: claims due jobs with FOR UPDATE SKIP LOCKED in a short transaction, runs
// their handlers outside it, and records the outcome. Delivery is at least once: a job whose
// worker dies is reclaimed after its lease, so handlers must be idempotent.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely, type UpdateObject } from 'kysely';
import type { DB } from '../../db/schema.js';
import { errorMessage } from './outbox.js';
import type { JobLogger, JobRegistry } from './registry.js';

export interface BackoffOptions {
  /** The first retry waits up to this long; each later one doubles the window. Default 1 s. */
  baseMs?: number;
  /** The window never grows past this. Default 1 h. */
  capMs?: number;
  /** Source of jitter in [0, 1); injectable so tests are deterministic. Default Math.random. */
  random?: () => number;
}

export interface OutboxWorkerOptions {
  db: Kysely<DB>;
  registry: JobRegistry;
  /** Written to locked_by; default host:pid:random, unique per worker. */
  workerId?: string;
  /** Idle wait between polls when the last batch was not full. Default 1000 ms. */
  pollMs?: number;
  /** Jobs claimed per transaction. Default 10. */
  batchSize?: number;
  log: JobLogger;
  backoff?: BackoffOptions;
  /** A running job whose lock is older than this is presumed orphaned. Default 5 min. */
  leaseMs?: number;
  /** false: no polling loop, the caller drives runOnce() (tests, one-shot drains). Default true. */
  poll?: boolean;
}

export interface OutboxWorker {
  /** Stops polling and resolves once every in-flight handler has finished and been recorded. */
  stop(): Promise<void>;
  /** Reclaims orphans, claims one batch and runs it; resolves with the number of jobs run. */
  runOnce(): Promise<number>;
}

const LAST_ERROR_MAX = 2000;

interface ClaimedJob {
  id: number;
  type: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

interface WorkerSettings {
  db: Kysely<DB>;
  registry: JobRegistry;
  workerId: string;
  batchSize: number;
  leaseMs: number;
  log: JobLogger;
  backoff: Required<BackoffOptions>;
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const settings = resolveSettings(options);
  const pollMs = options.pollMs ?? 1000;
  const inFlight = new Set<Promise<number>>();
  let stopped = false;
  let wake: (() => void) | undefined;

  function runOnce(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    const run = runBatch(settings);
    inFlight.add(run);
    // Removal must not turn a failed batch into an unhandled rejection; the caller sees the error.
    void run.finally(() => inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  async function pollLoop(): Promise<void> {
    while (!stopped) {
      let ran = 0;
      try {
        ran = await runOnce();
      } catch (error) {
        // The database may be briefly unreachable; keep polling rather than kill the process.
        settings.log.error({ workerId: settings.workerId, error: errorMessage(error) }, 'outbox poll failed');
      }
      // A full batch suggests more work is waiting: poll again at once.
      if (ran < settings.batchSize && !stopped) await sleep(pollMs, (w) => (wake = w));
    }
  }

  const loop = options.poll === false ? Promise.resolve() : pollLoop();
  settings.log.info({ workerId: settings.workerId, batchSize: settings.batchSize, pollMs }, 'outbox worker started');

  return {
    runOnce,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.allSettled([...inFlight]);
      settings.log.info({ workerId: settings.workerId }, 'outbox worker stopped');
    },
  };
}

function resolveSettings(options: OutboxWorkerOptions): WorkerSettings {
  const settings: WorkerSettings = {
    db: options.db,
    registry: options.registry,
    workerId: options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    batchSize: options.batchSize ?? 10,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    log: options.log,
    backoff: {
      baseMs: options.backoff?.baseMs ?? 1000,
      capMs: options.backoff?.capMs ?? 60 * 60_000,
      random: options.backoff?.random ?? Math.random,
    },
  };
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1) throw new Error('Outbox worker: batchSize must be an integer ≥ 1');
  if (!(settings.leaseMs > 0)) throw new Error('Outbox worker: leaseMs must be positive');
  if (!(settings.backoff.baseMs >= 0 && settings.backoff.capMs >= settings.backoff.baseMs)) {
    throw new Error('Outbox worker: backoff needs 0 ≤ baseMs ≤ capMs');
  }
  return settings;
}

/** Full jitter (a uniform wait in [0, min(cap, base·2^(attempt−1))) ) keeps retries of many failing jobs from arriving together. */
export function computeRetryDelayMs(attempt: number, backoff: Required<BackoffOptions>): number {
  const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(attempt - 1, 0));
  return Math.floor(backoff.random() * window);
}

async function runBatch(settings: WorkerSettings): Promise<number> {
  await reclaimExpiredLeases(settings);
  const jobs = await claimDueJobs(settings);
  // Jobs of one batch are independent, so they run side by side; runJob never rejects.
  await Promise.all(jobs.map((job) => runJob(settings, job)));
  return jobs.length;
}

/**
 * A running job whose lock is older than the lease belonged to a worker that crashed or hung:
 * it goes back to pending. The crashed run counted as an attempt, so a job that kills its worker
 * every time ends up dead instead of looping forever.
 */
async function reclaimExpiredLeases(settings: WorkerSettings): Promise<void> {
  const leaseSeconds = settings.leaseMs / 1000;
  const message = `Lease expired: the worker running this job stopped reporting for over ${settings.leaseMs} ms`;
  const reclaimed = await sql<{ id: number; status: string; lockedBy: string | null }>`
    update outbox_job set
      status = case when attempts < max_attempts then 'pending' else 'dead' end,
      finished_at = case when attempts < max_attempts then null else now() end,
      run_at = now(),
      last_error = ${message},
      locked_by = null,
      locked_at = null
    where id in (
      select id from outbox_job
      where status = 'running' and locked_at < now() - make_interval(secs => ${leaseSeconds})
      for update skip locked)
    returning id, status, locked_by`.execute(settings.db);
  for (const row of reclaimed.rows) {
    settings.log.warn({ workerId: settings.workerId, jobId: row.id, status: row.status }, 'outbox job reclaimed after its lease expired');
  }
}

/** One short transaction: lock the due rows other workers have not locked, mark them ours, commit. */
async function claimDueJobs(settings: WorkerSettings): Promise<ClaimedJob[]> {
  return settings.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outboxJob')
      .select('id')
      .where('status', '=', 'pending')
      .where('runAt', '<=', sql<Date>`now()`)
      .orderBy('runAt')
      .orderBy('id')
      .limit(settings.batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const claimed = await trx
      .updateTable('outboxJob')
      .set((eb) => ({
        status: 'running',
        lockedBy: settings.workerId,
        lockedAt: sql<Date>`now()`,
        attempts: eb('attempts', '+', 1),
      }))
      .where(
        'id',
        'in',
        due.map((row) => row.id),
      )
      .returning(['id', 'type', 'payload', 'attempts', 'maxAttempts'])
      .execute();
    return claimed.sort((a, b) => a.id - b.id);
  });
}

async function runJob(settings: WorkerSettings, job: ClaimedJob): Promise<void> {
  const log = bindLogger(settings.log, { jobId: job.id, type: job.type, attempt: job.attempts, workerId: settings.workerId });
  try {
    const definition = settings.registry.find(job.type);
    if (!definition) {
      // Written by another version of the application: retrying cannot help, an admin must decide.
      await recordDead(settings, job, `No handler is registered for job type "${job.type}" in this version of the application`);
      log.error('outbox job parked dead: unknown type');
      return;
    }
    const outcome = await runHandler(() =>
      definition.handle(job.payload, { db: settings.db, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts, log }),
    );
    if (outcome.ok) {
      await recordDone(settings, job);
      return;
    }
    await recordFailure(settings, job, outcome.message, log);
  } catch (error) {
    // Recording the outcome failed (e.g. the database went away). The row stays running and is
    // reclaimed when its lease expires, so the job is retried, not lost.
    log.error({ error: errorMessage(error) }, 'outbox job outcome could not be recorded');
  }
}

async function runHandler(run: () => Promise<void>): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: errorMessage(error) || 'Handler failed without a message' };
  }
}

async function recordFailure(settings: WorkerSettings, job: ClaimedJob, message: string, log: JobLogger): Promise<void> {
  if (job.attempts >= job.maxAttempts) {
    await recordDead(settings, job, message);
    log.error({ error: message }, 'outbox job parked dead after its last attempt');
    return;
  }
  const delayMs = computeRetryDelayMs(job.attempts, settings.backoff);
  const recorded = await updateOwnedJob(settings, job, {
    status: 'pending',
    runAt: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`,
    lastError: truncate(message),
    lockedBy: null,
    lockedAt: null,
  });
  if (recorded) log.warn({ error: message, retryInMs: delayMs }, 'outbox job failed; retry scheduled');
}

async function recordDone(settings: WorkerSettings, job: ClaimedJob): Promise<void> {
  await updateOwnedJob(settings, job, { status: 'done', finishedAt: sql<Date>`now()` });
}

async function recordDead(settings: WorkerSettings, job: ClaimedJob, message: string): Promise<void> {
  await updateOwnedJob(settings, job, { status: 'dead', finishedAt: sql<Date>`now()`, lastError: truncate(message) });
}

/**
 * Writes the outcome only if the row is still this worker's claim (same worker, same attempt):
 * if the lease expired and another worker took the job over, that worker owns its outcome now.
 */
async function updateOwnedJob(settings: WorkerSettings, job: ClaimedJob, values: UpdateObject<DB, 'outboxJob'>): Promise<boolean> {
  const result = await settings.db
    .updateTable('outboxJob')
    .set(values)
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('lockedBy', '=', settings.workerId)
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  const owned = result.numUpdatedRows > 0n;
  if (!owned) {
    settings.log.warn({ workerId: settings.workerId, jobId: job.id, attempt: job.attempts }, 'outbox job outcome dropped: lease lost to another worker');
  }
  return owned;
}

// last_error holds the error message only, never the payload, which may hold personal data.
function truncate(message: string): string {
  return message.length <= LAST_ERROR_MAX ? message : `${message.slice(0, LAST_ERROR_MAX - 1)}…`;
}

function bindLogger(log: JobLogger, bindings: Record<string, unknown>): JobLogger {
  const bind =
    (level: 'info' | 'warn' | 'error') =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') log[level](bindings, objOrMsg);
      else log[level]({ ...bindings, ...objOrMsg }, msg);
    };
  return { info: bind('info'), warn: bind('warn'), error: bind('error') };
}

/** Resolves after ms, or at once when the function handed to onWake is called (stop()). */
function sleep(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
