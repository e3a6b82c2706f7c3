// The job registry: every outbox job type has exactly one handler, checked at boot, so a typo
// or a copy-pasted definition fails when the process starts rather than when a citizen's
// notification silently goes nowhere.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { enqueue, OutboxError, type EnqueueOptions } from './outbox.js';

/** The part of a pino logger the outbox uses; a pino `Logger` fits it as is. */
export interface JobLogger {
  info(objOrMsg: object | string, msg?: string): void;
  warn(objOrMsg: object | string, msg?: string): void;
  error(objOrMsg: object | string, msg?: string): void;
}

export interface JobContext {
  /** The pool, not a transaction: a handler opens its own transaction when it needs one. */
  readonly db: Kysely<DB>;
  readonly jobId: number;
  /** 1 on the first run; a handler may use it to, e.g., escalate on the last attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Already bound to the job's id, type and attempt. */
  readonly log: JobLogger;
}

export interface JobDefinition<P = unknown> {
  readonly type: string;
  /**
   * Runs the job. Delivery is at least once (a worker may crash after the work and before it
   * records success), so a handler must be idempotent. Throwing schedules a retry.
   * Declared as a method so that a `JobDefinition<SmsPayload>` fits a list of definitions.
   */
  handle(payload: P, ctx: JobContext): Promise<void>;
  /** Overrides the table's default (8) for jobs of this type. */
  readonly maxAttempts?: number;
}

export interface JobRegistry {
  readonly types: readonly string[];
  has(type: string): boolean;
  find(type: string): JobDefinition | undefined;
  /** Writes a job of a registered type in the caller's transaction; returns its id. */
  enqueue(trx: Transaction<DB>, type: string, payload: unknown, options?: EnqueueOptions): Promise<number>;
}

/** Identity at run time; it exists so that the payload type flows into `handle`. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export function createJobRegistry(definitions: readonly JobDefinition<never>[]): JobRegistry {
  const byType = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    assertValidDefinition(definition);
    if (byType.has(definition.type)) {
      throw new OutboxError('job_type_duplicate', `Outbox job type "${definition.type}" is defined twice; every job type has exactly one handler`);
    }
    // The payload is checked by the handler, not by the registry: erase it to unknown here.
    byType.set(definition.type, definition as JobDefinition<unknown>);
  }
  const registry: JobRegistry = {
    types: Object.freeze([...byType.keys()]),
    has: (type) => byType.has(type),
    find: (type) => byType.get(type),
    enqueue: (trx, type, payload, options) => enqueue(registry, trx, type, payload, options),
  };
  return Object.freeze(registry);
}

function assertValidDefinition(definition: JobDefinition<never>): void {
  if (typeof definition.type !== 'string' || definition.type.trim() === '') {
    throw new OutboxError('job_definition_invalid', 'An outbox job definition has an empty type');
  }
  if (typeof definition.handle !== 'function') {
    throw new OutboxError('job_definition_invalid', `Outbox job type "${definition.type}" has no handle function`);
  }
  const max = definition.maxAttempts;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new OutboxError('job_definition_invalid', `Outbox job type "${definition.type}" has maxAttempts ${max}; it must be an integer ≥ 1`);
  }
}
