// The audit log: append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE) and
// hash-chained (each entry carries the hash of the one before), so that an entry edited or removed
// behind the application's back, even by the table's owner, is found by verifyAuditChain.
// An entry is written in the caller's transaction: the business change and its audit entry
// commit together or not at all.
import { isIP } from 'node:net';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AuditError } from './audit-error.js';
import { canonicalJson, computeAuditHash, GENESIS_HASH, type AuditHashFields } from './audit-hash.js';
import { AUDIT_ACTOR_TYPES, type AuditActorType, type AuditLogTable } from './audit.table.js';
import { assertDetailsSafe } from './personal-data.js';

export { AuditError, type AuditErrorCode } from './audit-error.js';
export { computeAuditHash, canonicalJson, GENESIS_HASH, type AuditHashFields } from './audit-hash.js';
export { AUDIT_ACTOR_TYPES, type AuditActorType, type AuditLogTable } from './audit.table.js';
export { maskIdNumber } from './personal-data.js';

// Until src/db/schema.ts lists audit_log, this module sees the table through this type; once DB
// has `auditLog: AuditLogTable`, the casts below become no-ops.
type AuditDB = DB & { auditLog: AuditLogTable };

/**
 * The key of the transaction-level advisory lock that serialises appenders: the ASCII bytes of
 * "mcaudit" read as an integer. Any other use of pg_advisory_xact_lock in the project must pick
 * another key.
 */
const AUDIT_CHAIN_LOCK_KEY = '30790042693953908';

/**
 * `at` as hashed: the stored timestamptz in UTC with its full (microsecond) precision. The writer
 * and the checker both take this text from PostgreSQL, so what is hashed is exactly what is
 * stored, whatever the session's time zone and whatever JavaScript's Date would round away.
 */
const AT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_ACTION = 100;
const MAX_ID = 200;
// An entry records a fact, not a document: a bulky payload belongs to the business table.
const MAX_DETAILS_CHARS = 16_384;

export interface AuditEntryInput {
  actorType: AuditActorType;
  /** The account or token id; null for 'system' and 'anonymous' (or when unknown). */
  actorId?: string | null;
  /** Dotted lower-case name: 'auth.login.success', 'role.assign', 'dossier.status', ... */
  action: string;
  /** The kind of object acted on ('account', 'dossier', 'payment', ...); required with objectId. */
  objectType?: string | null;
  objectId?: string | null;
  /** The client's address, IPv4 or IPv6, as the request saw it. */
  ip?: string | null;
  /**
   * A JSON object of facts (e.g. { from: 'received', to: 'processing' }). No passwords, tokens,
   * secrets or full identity numbers: see personal-data.ts; a forbidden key is refused.
   */
  details?: Record<string, unknown>;
}

export interface AppendedAudit {
  id: number;
  hash: string;
}

/**
 * Appends an entry in the caller's transaction and returns its id and hash.
 *
 * Chaining needs "read the last hash, insert after it" to be atomic with respect to every other
 * appender, or two transactions read the same last hash and the chain forks. The appenders are
 * serialised by pg_advisory_xact_lock, held until the caller's transaction ends, and only then is
 * the last hash read. `SELECT ... ORDER BY id DESC LIMIT 1 FOR UPDATE` would not do:
 *  - on an empty table there is no row to lock, so the first two appenders both chain to genesis;
 *  - a row lock does not make new rows visible: the waiting transaction wakes up when the holder
 *    commits, re-checks the row it locked (still there, unchanged) and goes on with it, not with
 *    the row the holder has just inserted, which it has never seen. Both entries then point to
 *    the same predecessor: a fork. (Tried: with 20 concurrent appenders on PostgreSQL, FOR UPDATE
 *    on a non-empty table lets two of them read the same head, which the unique constraint below
 *    then refuses.)
 * The lock, the head, the hash and the insert are one call of the database function
 * mc_audit_append (migration 20261129T0400): one statement under the lock, and the head is read
 * by a statement of its own inside it, whose snapshot under READ COMMITTED is taken after the
 * lock was granted and so includes the previous holder's committed entry. Hence READ COMMITTED is
 * required (the function refuses the others): in REPEATABLE READ or SERIALIZABLE the snapshot
 * dates from the transaction's first statement and would miss it.
 * (The unique constraint on prev_hash is the backstop: a fork fails instead of being stored.)
 * The lock is held until the caller's transaction ends, so audited transactions commit one after
 * the other from the moment they append: append as the last step of the transaction, after the
 * slow work, to keep that window short.
 *
 * `at` is PostgreSQL's clock_timestamp() read after the lock is granted: one clock for every
 * application server, and times that follow the chain's order.
 */
export async function appendAudit(trx: Transaction<DB>, entry: AuditEntryInput): Promise<AppendedAudit> {
  // Checked at run time too: outside a transaction the advisory lock would be released at the end
  // of its own statement and serialise nothing.
  if (!trx.isTransaction) {
    throw new AuditError('audit_not_in_transaction', 'appendAudit must run in the transaction of the change it records');
  }
  const values = normalizeEntry(entry);
  let rows: AppendedRow[];
  try {
    ({ rows } = await sql<AppendedRow>`select * from ${auditAppendCall(values)}`.execute(trx));
  } catch (error) {
    if ((error as { code?: unknown }).code === ISOLATION_REFUSED) throw new AuditError('audit_isolation_unsupported', (error as Error).message);
    throw error;
  }
  return checkAppended(values, rows[0]);
}

/** What mc_audit_append returns: the entry's id, the hash it follows, its stamp and its hash. */
export interface AppendedRow {
  id: number;
  prevHash: string;
  stamp: string;
  hash: string;
}

/** The SQLSTATE mc_audit_append raises outside READ COMMITTED. */
const ISOLATION_REFUSED = 'MCA01';

/**
 * The call of mc_audit_append for an entry, to be used as a row source (`select * from …`, or
 * `cross join lateral …` after a lookup that must succeed first). The caller's statement must be
 * its own transaction (autocommit) or run in the transaction of the change it records.
 * The database hashes the same canonical text as computeAuditHash: the JSON array whose first
 * two items are the previous hash and the stamp (hex digits and digits, nothing to escape),
 * followed by the rest, canonical JSON from this side. checkAppended compares the two.
 */
export function auditAppendCall(values: NormalizedEntry) {
  const rest = canonicalJson([values.actorType, values.actorId, values.action, values.objectType, values.objectId, values.ip, values.details]).slice(1);
  return sql`mc_audit_append(${AUDIT_CHAIN_LOCK_KEY}::bigint, ${GENESIS_HASH}, ${values.actorType}, ${values.actorId}, ${values.action}, ${values.objectType}, ${values.objectId}, ${values.ip}, ${values.detailsJson}::jsonb, ${rest})`;
}

/**
 * The database's hash checked against computeAuditHash, so that the two can never drift apart.
 * In a transaction, this runs before it can commit, so a mismatch stores nothing; after an
 * autocommit statement (a token's use) it runs just after, and a mismatch fails the request, as
 * `audit verify` would name the entry.
 */
export function checkAppended(values: NormalizedEntry, row: AppendedRow | undefined): AppendedAudit {
  if (!row) throw new Error('appendAudit: the insert returned no row');
  const expected = computeAuditHash({ ...values, prevHash: row.prevHash, at: row.stamp, details: values.details });
  if (row.hash !== expected) throw new Error(`appendAudit: the database hashed entry ${row.id} as ${row.hash}, not ${expected}`);
  return { id: Number(row.id), hash: row.hash };
}

/** The hashed fields of an entry but the chain's own (`details` as it will read back from jsonb). */
export type NormalizedEntry = Omit<AuditHashFields, 'prevHash' | 'at'> & { detailsJson: string };

function invalid(message: string): AuditError {
  return new AuditError('audit_entry_invalid', `Invalid audit entry: ${message}`);
}

function optionalText(name: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** A checked entry, ready for auditAppendCall; throws AuditError when it is not a valid entry. */
export function normalizeEntry(entry: AuditEntryInput): NormalizedEntry {
  if (!(AUDIT_ACTOR_TYPES as readonly unknown[]).includes(entry.actorType)) {
    throw invalid(`actorType ${JSON.stringify(entry.actorType)} is not one of ${AUDIT_ACTOR_TYPES.join(', ')}`);
  }
  if (typeof entry.action !== 'string' || entry.action.length > MAX_ACTION || !ACTION_PATTERN.test(entry.action)) {
    throw invalid(`action ${JSON.stringify(entry.action)} must be dotted lower-case words, e.g. 'auth.login.success'`);
  }
  const actorId = optionalText('actorId', entry.actorId, MAX_ID);
  const objectType = optionalText('objectType', entry.objectType, MAX_ID);
  const objectId = optionalText('objectId', entry.objectId, MAX_ID);
  if (objectId !== null && objectType === null) throw invalid('objectId needs an objectType');
  const ip = optionalText('ip', entry.ip, 64);
  if (ip !== null && isIP(ip) === 0) throw invalid(`ip ${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);

  const raw = entry.details ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('details must be a JSON object');
  // Through JSON once, so that what is hashed is what jsonb will give back: Dates become their ISO
  // text, undefined properties disappear, a BigInt or a cycle fails here with a clear message.
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`details are not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
  assertDetailsSafe(details);
  const detailsJson = canonicalJson(details);
  if (detailsJson.length > MAX_DETAILS_CHARS) {
    throw invalid(`details take ${detailsJson.length} characters; at most ${MAX_DETAILS_CHARS} are kept`);
  }
  return { actorType: entry.actorType, actorId, action: entry.action, objectType, objectId, ip, details, detailsJson };
}

export type AuditBreakReason = 'hash mismatch' | 'prev_hash mismatch';

export interface AuditChainReport {
  ok: boolean;
  /** Entries checked: all of them when ok; up to and including the first broken one otherwise. */
  checked: number;
  /**
   * 'hash mismatch': the entry's content no longer gives its hash (it was edited).
   * 'prev_hash mismatch': the entry does not follow the one before it (an entry before it was
   * removed, or edited and re-hashed).
   */
  firstBroken?: { id: number; reason: AuditBreakReason };
  /**
   * The last entry of an intact chain. A chain cannot show that entries were removed from its
   * end; recording this pair elsewhere (an operator's log, a signed report) and checking later
   * that it is still there closes that gap.
   */
  head?: { id: number; hash: string };
}

export interface VerifyAuditChainOptions {
  /** Entries read per query; memory stays bounded by one batch whatever the table's size. */
  batchSize?: number;
}

/**
 * Recomputes the chain in id order, one batch at a time (keyset pagination on the primary key,
 * one batch read ahead), and stops at the first broken entry. Entries appended while it runs are checked too, since
 * appenders are serialised and only ever add after the last id.
 * Takes `Kysely<DB>`: the pool, or a transaction when a caller wants one snapshot.
 */
export async function verifyAuditChain(db: Kysely<DB>, options: VerifyAuditChainOptions = {}): Promise<AuditChainReport> {
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? 1000), 1), 10_000);
  const adb = db as unknown as Kysely<AuditDB>;
  const fetchAfter = (afterId: number) =>
    adb
      .selectFrom('auditLog')
      .select(['id', 'actorType', 'actorId', 'action', 'objectType', 'objectId', 'ip', 'details', 'prevHash', 'hash'])
      .select(sql<string>`to_char(at at time zone 'UTC', ${AT_FORMAT})`.as('atText'))
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
  let expectedPrev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  let pending = fetchAfter(0);
  for (;;) {
    const rows = await pending;
    const more = rows.length === batchSize;
    // The next batch is read while this one is hashed: the database and the CPU work side by side.
    if (more) pending = fetchAfter(rows[rows.length - 1]!.id);
    let broken: AuditChainReport['firstBroken'];
    for (const row of rows) {
      checked++;
      if (row.prevHash !== expectedPrev) broken = { id: row.id, reason: 'prev_hash mismatch' };
      else if (computeAuditHash({ ...row, at: row.atText }) !== row.hash) broken = { id: row.id, reason: 'hash mismatch' };
      if (broken) break;
      expectedPrev = row.hash;
      lastId = row.id;
    }
    if (broken) {
      // Settle the read-ahead before returning, so that no query outlives the call.
      if (more) await pending.catch(() => undefined);
      return { ok: false, checked, firstBroken: broken };
    }
    if (!more) break;
  }
  return checked === 0 ? { ok: true, checked } : { ok: true, checked, head: { id: lastId, hash: expectedPrev } };
}

export type AuditEntry = Omit<AuditHashFields, 'at'> & { id: number; at: Date; hash: string };

export interface ListAuditEntriesOptions {
  objectType?: string;
  /** Only with objectType: an id means nothing without the kind of object it names. */
  objectId?: string;
  actorType?: AuditActorType;
  actorId?: string;
  /** 1 to 500; default 50. */
  limit?: number;
  /** Keyset cursor: entries with an id below this one (pass the last id of the previous page). */
  before?: number;
}

/** Entries newest first, for the admin pages. Rows go out through a presenter, not raw. */
export async function listAuditEntries(db: Kysely<DB>, options: ListAuditEntriesOptions = {}): Promise<AuditEntry[]> {
  if (options.objectId !== undefined && options.objectType === undefined) {
    throw new AuditError('audit_query_invalid', 'listAuditEntries: objectId needs objectType');
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
  let query = (db as unknown as Kysely<AuditDB>)
    .selectFrom('auditLog')
    .select(['id', 'at', 'actorType', 'actorId', 'action', 'objectType', 'objectId', 'ip', 'details', 'prevHash', 'hash']);
  if (options.objectType !== undefined) query = query.where('objectType', '=', options.objectType);
  if (options.objectId !== undefined) query = query.where('objectId', '=', options.objectId);
  if (options.actorType !== undefined) query = query.where('actorType', '=', options.actorType);
  // Without a type, "any actor type" is spelt out so that the (actor_type, actor_id, id) index
  // still serves the query (one index scan per type) instead of a full scan.
  else if (options.actorId !== undefined) query = query.where('actorType', 'in', [...AUDIT_ACTOR_TYPES]);
  if (options.actorId !== undefined) query = query.where('actorId', '=', options.actorId);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
