import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type OutboxStatus = 'pending' | 'running' | 'done' | 'dead';

export interface OutboxJobTable {
  id: Generated<number>;
  type: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  maxAttempts: Generated<number>;
  runAt: ColumnType<Date, Date | string | undefined, Date | string>;
  lockedBy: string | null;
  lockedAt: ColumnType<Date, Date | string | undefined, Date | string> | null;
  lastError: string | null;
  createdAt: Generated<Date>;
  finishedAt: ColumnType<Date, Date | string | undefined, Date | string> | null;
}
