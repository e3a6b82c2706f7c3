// The audit log: who did what to which object, when and from where. Append-only in the database
// and hash-chained (each row carries the SHA-256 of the one before), so that an edit or a deletion
// made behind the application's back, even by the table's owner, is found by `audit verify`.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // `at`, `prev_hash` and `hash` have no defaults on purpose: the hash covers them, so only the
    // writer that computes the hash (src/platform/audit/audit.ts) may choose them.
    sql`create table audit_log (
          id bigint generated always as identity primary key,
          at timestamptz not null,
          actor_type text not null check (actor_type in ('citizen', 'business', 'officer', 'system', 'api_token', 'anonymous')),
          actor_id text,
          action text not null check (length(action) between 1 and 100),
          object_type text,
          object_id text,
          ip text,
          details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
          prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
          hash text not null check (hash ~ '^[0-9a-f]{64}$'),
          check (object_id is null or object_type is not null),
          -- A chain has no forks: no two rows may follow the same row. appendAudit serialises
          -- writers with an advisory lock; this constraint makes a writer that skipped the lock
          -- fail loudly instead of forking the chain.
          constraint audit_log_prev_hash_key unique (prev_hash))`,
    // id is the trailing column so that "the latest entries of this object / actor" is one
    // backward index scan, with no sort, however long the object's history.
    sql`create index audit_log_object_idx on audit_log (object_type, object_id, id)`,
    sql`create index audit_log_actor_idx on audit_log (actor_type, actor_id, id)`,
    sql`create index audit_log_at_idx on audit_log (at)`,
    // Append-only for every writer, the application included. One statement-level trigger covers
    // UPDATE, DELETE and TRUNCATE (TRUNCATE triggers can only be statement-level). The owner can
    // still disable it; that is what the hash chain is for.
    sql`create or replace function mc_audit_log_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'audit_log is append-only: % is not allowed', tg_op
            using hint = 'Audit entries are never changed or removed; append a new entry instead.';
        end $$`,
    sql`create trigger audit_log_append_only before update or delete or truncate on audit_log
        for each statement execute function mc_audit_log_append_only()`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
