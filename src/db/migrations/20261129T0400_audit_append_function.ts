// The audit append as one database function (decision 005): the chain's lock, the head, the
// hash and the insert in one call, so that an audited transaction sends one statement for its
// entry, and a request that only needs to record a use (a token's) can do it in one autocommit
// statement. The lock key, the genesis hash and the entry's canonical text come from
// src/platform/audit/audit.ts, which checks the returned hash against its own.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // VOLATILE plpgsql: under READ COMMITTED every statement in the body takes a new snapshot, so
  // the head is read after the lock was granted and sees the previous holder's committed entry.
  // In REPEATABLE READ or SERIALIZABLE it would not: those are refused (SQLSTATE MCA01).
  await sql`
    create function mc_audit_append(
      p_lock_key bigint, p_genesis text,
      p_actor_type text, p_actor_id text, p_action text, p_object_type text, p_object_id text,
      p_ip text, p_details jsonb, p_rest text)
    returns table (id bigint, prev_hash text, stamp text, hash text)
    language plpgsql volatile as $$
    declare
      v_isolation text := current_setting('transaction_isolation');
      v_prev text;
      v_stamp text;
    begin
      if v_isolation <> 'read committed' then
        raise exception 'appendAudit needs a READ COMMITTED transaction, not %: its snapshot would not see the latest audit entry', v_isolation
          using errcode = 'MCA01';
      end if;
      perform pg_advisory_xact_lock(p_lock_key);
      select l.hash into v_prev from audit_log l order by l.id desc limit 1;
      v_prev := coalesce(v_prev, p_genesis);
      v_stamp := to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
      return query
        insert into audit_log as l (at, actor_type, actor_id, action, object_type, object_id, ip, details, prev_hash, hash)
        values (v_stamp::timestamptz, p_actor_type, p_actor_id, p_action, p_object_type, p_object_id, p_ip, p_details, v_prev,
                encode(sha256(convert_to('["' || v_prev || '","' || v_stamp || '",' || p_rest, 'UTF8')), 'hex'))
        returning l.id, l.prev_hash, to_char(l.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), l.hash;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
