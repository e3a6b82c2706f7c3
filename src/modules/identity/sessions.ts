// Server-side sessions. The cookie carries a random token; the database keeps only its hash, the
// account, the MFA state and two clocks: idle (last seen) and absolute (expires_at). A new id is
// issued at login and on every privilege change (TOTP passed), and logout deletes the row.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { hashToken, randomToken } from '../../platform/security/secrets.js';

export const SESSION_COOKIE = 'mc_session';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionRecord {
  id: string;
  accountId: number;
  actingBusinessId: number | null;
  mfaPassed: boolean;
}

export async function createSession(
  db: Kysely<DB>,
  accountId: number,
  policy: SessionPolicy,
  options: { mfaPassed?: boolean; ip?: string | undefined; userAgent?: string | undefined } = {},
): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('session')
    .values({
      id: hashToken(token),
      accountId,
      mfaPassed: options.mfaPassed ?? false,
      expiresAt: new Date(Date.now() + policy.absoluteHours * 3600_000),
      ip: options.ip ?? null,
      userAgent: options.userAgent?.slice(0, 300) ?? null,
      actingBusinessId: null,
    })
    .execute();
  return token;
}

/** A live session with what the request needs of its account: one statement per request. */
export interface LiveSession {
  session: SessionRecord;
  account: { id: number; kind: 'citizen' | 'business' | 'officer'; fullName: string; disabled: boolean };
  /** The officer's unrevoked role assignments with their agency paths; empty for anyone else. */
  grants: { role: string; agencyId: number; agencyPath: string }[];
}

interface LiveSessionRow {
  id: string;
  accountId: number;
  actingBusinessId: number | null;
  mfaPassed: boolean;
  lastSeenAt: Date | string;
  kind: LiveSession['account']['kind'];
  fullName: string;
  disabled: boolean;
  /** json: parsed by the driver, or its text on an engine that does not. */
  grants: LiveSession['grants'] | string;
}

/**
 * The live session behind a cookie token, with its account and the officer's grants, touching
 * its idle clock; undefined when expired. Every signed-in page view starts here, so it is one
 * statement rather than three (bench/README.md, the inbox).
 */
export async function findSession(db: Kysely<DB>, token: string, policy: SessionPolicy): Promise<LiveSession | undefined> {
  const id = hashToken(token);
  const row = (
    await sql<LiveSessionRow>`
      select s.id, s.account_id, s.acting_business_id, s.mfa_passed, s.last_seen_at,
             a.kind, a.full_name, a.disabled_at is not null as disabled,
             case when a.kind = 'officer' then
               (select coalesce(json_agg(json_build_object('role', r.role, 'agencyId', r.agency_id, 'agencyPath', g.path::text) order by r.id), '[]'::json)
                from role_assignment r join agency g on g.id = r.agency_id
                where r.account_id = a.id and r.revoked_at is null)
             else '[]'::json end as grants
      from session s join account a on a.id = s.account_id
      where s.id = ${id} and s.expires_at > now() and s.last_seen_at > now() - make_interval(mins => ${policy.idleMinutes})`.execute(db)
  ).rows[0];
  if (!row) return undefined;
  // Touch at most once a minute: one write per page view would double the load of a busy desk.
  if (Date.now() - new Date(row.lastSeenAt).getTime() > 60_000) {
    await db.updateTable('session').set({ lastSeenAt: sql`now()` }).where('id', '=', id).execute();
  }
  return {
    session: { id: row.id, accountId: row.accountId, actingBusinessId: row.actingBusinessId, mfaPassed: row.mfaPassed },
    account: { id: row.accountId, kind: row.kind, fullName: row.fullName, disabled: row.disabled },
    grants: typeof row.grants === 'string' ? (JSON.parse(row.grants) as LiveSession['grants']) : row.grants,
  };
}

/** Replaces a session by a new one (new id) carrying the new privilege; the old id stops working. */
export async function rotateSession(db: Kysely<DB>, old: SessionRecord, policy: SessionPolicy, changes: { mfaPassed?: boolean; actingBusinessId?: number | null }): Promise<string> {
  const token = randomToken();
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('session').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    await trx.deleteFrom('session').where('id', '=', old.id).execute();
    await trx
      .insertInto('session')
      .values({
        id: hashToken(token),
        accountId: current.accountId,
        mfaPassed: changes.mfaPassed ?? current.mfaPassed,
        actingBusinessId: changes.actingBusinessId === undefined ? current.actingBusinessId : changes.actingBusinessId,
        expiresAt: changes.mfaPassed ? new Date(Date.now() + policy.absoluteHours * 3600_000) : current.expiresAt,
        ip: current.ip,
        userAgent: current.userAgent,
      })
      .execute();
  });
  return token;
}

export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

export async function endAllSessions(db: Kysely<DB>, accountId: number): Promise<void> {
  await db.deleteFrom('session').where('accountId', '=', accountId).execute();
}
