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

/** The live session behind a cookie token, touching its idle clock; undefined when expired. */
export async function findSession(db: Kysely<DB>, token: string, policy: SessionPolicy): Promise<SessionRecord | undefined> {
  const id = hashToken(token);
  const row = await db
    .selectFrom('session')
    .select(['id', 'accountId', 'actingBusinessId', 'mfaPassed', 'lastSeenAt'])
    .where('id', '=', id)
    .where('expiresAt', '>', sql<Date>`now()`)
    .where('lastSeenAt', '>', sql<Date>`now() - make_interval(mins => ${policy.idleMinutes})`)
    .executeTakeFirst();
  if (!row) return undefined;
  // Touch at most once a minute: one write per page view would double the load of a busy desk.
  if (Date.now() - new Date(row.lastSeenAt).getTime() > 60_000) {
    await db.updateTable('session').set({ lastSeenAt: sql`now()` }).where('id', '=', id).execute();
  }
  return { id: row.id, accountId: row.accountId, actingBusinessId: row.actingBusinessId, mfaPassed: row.mfaPassed };
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
