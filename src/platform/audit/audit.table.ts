import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Who acted. 'api_token' is a machine client of the JSON API; 'anonymous' an unauthenticated visitor. */
export const AUDIT_ACTOR_TYPES = ['citizen', 'business', 'officer', 'system', 'api_token', 'anonymous'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/**
 * audit_log is append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE), so no column
 * is updatable here either: the `never` update types make the compiler refuse an updateTable.
 * Rows are written only by appendAudit, which computes `at`, `prev_hash` and `hash` itself.
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, string, never>;
  actorType: ColumnType<AuditActorType, AuditActorType, never>;
  actorId: ColumnType<string | null, string | null, never>;
  action: ColumnType<string, string, never>;
  objectType: ColumnType<string | null, string | null, never>;
  objectId: ColumnType<string | null, string | null, never>;
  ip: ColumnType<string | null, string | null, never>;
  details: JSONColumnType<Record<string, unknown>, string, never>;
  prevHash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
}
