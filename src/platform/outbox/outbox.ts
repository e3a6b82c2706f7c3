// The transactional outbox: a job row is written in the same transaction as the business change
// that causes it, so nothing is sent for a rolled-back change and nothing is lost for a committed
// one. Workers (worker.ts) claim and run the rows; the admin functions here look after dead letters.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { OutboxStatus } from './outbox.table.js';
import type { JobRegistry } from './registry.js';

export type OutboxErrorCode =
  | 'job_type_unknown'
  | 'job_type_duplicate'
  | 'job_definition_invalid'
  | 'job_options_invalid'
  | 'job_not_found'
  | 'job_not_dead';

/** Carries a stable code so that the HTTP layer can map it (job_not_found → 404, job_not_dead → 409). */
export class OutboxError extends Error {
  constructor(
    readonly code: OutboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

export interface EnqueueOptions {
  /** Not before this time; default: as soon as the transaction commits. */
  runAt?: Date;
  /** Overrides the job type's maxAttempts, which overrides the table's default (8). */
  maxAttempts?: number;
}

/**
 * Writes a job in the caller's transaction; returns its id. Taking `Transaction<DB>` (not the
 * pool) is the point: the compiler refuses a job written outside the business change's transaction.
 */
export async function enqueue(
  registry: JobRegistry,
  trx: Transaction<DB>,
  type: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<number> {
  const definition = registry.find(type);
  if (!definition) {
    throw new OutboxError('job_type_unknown', `Outbox job type "${type}" is not registered; add its definition to the job registry`);
  }
  const maxAttempts = options.maxAttempts ?? definition.maxAttempts;
  assertValidOptions(type, options.runAt, maxAttempts);
  const row = await trx
    .insertInto('outboxJob')
    .values({
      type,
      payload: serializePayload(type, payload),
      ...(options.runAt ? { runAt: options.runAt } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function assertValidOptions(type: string, runAt: Date | undefined, maxAttempts: number | undefined): void {
  if (runAt !== undefined && !(runAt instanceof Date && Number.isFinite(runAt.getTime()))) {
    throw new OutboxError('job_options_invalid', `Outbox job "${type}": runAt is not a valid date`);
  }
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new OutboxError('job_options_invalid', `Outbox job "${type}": maxAttempts ${maxAttempts} must be an integer ≥ 1`);
  }
}

// Serialised here rather than by the driver so that a payload that is not JSON (undefined, a
// BigInt, a cycle) fails in the caller's transaction with a message naming the job type.
function serializePayload(type: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw new OutboxError('job_options_invalid', `Outbox job "${type}": payload is not JSON-serialisable (${errorMessage(error)})`);
  }
  if (json === undefined) {
    throw new OutboxError('job_options_invalid', `Outbox job "${type}": payload is not JSON-serialisable`);
  }
  return json;
}

export interface DeadJob {
  id: number;
  type: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/**
 * The dead letters, most recent first. The payload is left out on purpose: it may hold personal
 * data, and an admin screen needs the type, the error and the id to decide on a retry.
 */
export async function listDeadJobs(db: Kysely<DB>, options: { limit?: number } = {}): Promise<DeadJob[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
  return db
    .selectFrom('outboxJob')
    .select(['id', 'type', 'attempts', 'maxAttempts', 'lastError', 'createdAt', 'finishedAt'])
    .where('status', '=', 'dead')
    .orderBy('finishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Puts a dead job back in the queue with a fresh set of attempts, due now. last_error is kept
 * until the next run so that the admin can still see why it died.
 */
export async function retryDeadJob(db: Kysely<DB>, id: number): Promise<void> {
  const updated = await db
    .updateTable('outboxJob')
    .set((eb) => ({
      status: 'pending',
      attempts: 0,
      runAt: eb.fn<Date>('now', []),
      lockedBy: null,
      lockedAt: null,
      finishedAt: null,
    }))
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returning('id')
    .executeTakeFirst();
  if (updated) return;
  const existing = await db.selectFrom('outboxJob').select('status').where('id', '=', id).executeTakeFirst();
  if (!existing) throw new OutboxError('job_not_found', `Outbox job ${id} does not exist`);
  throw new OutboxError('job_not_dead', `Outbox job ${id} is ${existing.status}, not dead; only a dead job can be retried`);
}

/** One number per status, zeros included, for the Prometheus gauges. */
export async function countJobsByStatus(db: Kysely<DB>): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('outboxJob')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<OutboxStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
