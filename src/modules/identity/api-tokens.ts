// API tokens for machine clients (the national portal, integrations): shown once, stored as a
// SHA-256 hash, scoped, expiring, revocable; every use is audited.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit, auditAppendCall, checkAppended, normalizeEntry, type AppendedRow } from '../../platform/audit/audit.js';
import { machineScopes, personalScopes, requireAccess, type Actor, type TokenScope } from '../../platform/access/access.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { hashToken, randomToken } from '../../platform/security/secrets.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';

export const TOKEN_PREFIX = 'mc_';

/** What every token needs: a recognisable name and a bounded life. */
function checkNameAndExpiry(input: { name: string; expiresInDays: number }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (name.length < 3 || name.length > 100) problems.push({ name: 'name', message: { key: 'identity.token.name' } });
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 366) problems.push({ name: 'expiresInDays', message: { key: 'identity.token.expiry' } });
  return problems;
}

function insertToken(trx: Transaction<DB>, values: { name: string; token: string; scopes: string[]; agencyId: number | null; accountId: number | null; createdBy: number | null; expiresInDays: number }) {
  return trx
    .insertInto('apiToken')
    .values({ name: values.name, tokenHash: hashToken(values.token), prefix: values.token.slice(0, 10), scopes: values.scopes, agencyId: values.agencyId, accountId: values.accountId, createdBy: values.createdBy, expiresAt: new Date(Date.now() + values.expiresInDays * 86_400_000), revokedAt: null, lastUsedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * A citizen's or business's own token for the dossier API (scope dossier:write): it acts for
 * that account only, on what the account owns (docs/access.md). Shown once, stored hashed.
 */
export async function createPersonalToken(deps: IdentityDeps, actor: Actor, input: { name: string; expiresInDays: number }, meta: RequestMeta): Promise<{ id: number; token: string }> {
  requireAccess(actor, 'profile.self');
  if (actor.kind !== 'citizen' && actor.kind !== 'business') throw new AppError('not_found');
  const problems = checkNameAndExpiry(input);
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertToken(trx, { name: input.name.trim(), token, scopes: [...personalScopes], agencyId: null, accountId: actor.accountId, createdBy: actor.accountId, expiresInDays: input.expiresInDays });
    await appendAudit(trx, { actorType: actor.kind, actorId: String(actor.accountId), action: 'token.create_personal', objectType: 'api_token', objectId: String(id), ip: meta.ip ?? null, details: { scopes: [...personalScopes] } });
    return { id, token };
  });
}

export async function listPersonalTokens(deps: IdentityDeps, actor: Actor) {
  requireAccess(actor, 'profile.self');
  if (actor.kind !== 'citizen' && actor.kind !== 'business') throw new AppError('not_found');
  return deps.db.selectFrom('apiToken').select(['id', 'name', 'prefix', 'scopes', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt']).where('accountId', '=', actor.accountId).orderBy('id', 'desc').execute();
}

export async function revokePersonalToken(deps: IdentityDeps, actor: Actor, tokenId: number, meta: RequestMeta): Promise<void> {
  requireAccess(actor, 'profile.self');
  if (actor.kind !== 'citizen' && actor.kind !== 'business') throw new AppError('not_found');
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('apiToken').set({ revokedAt: sql`now()` }).where('id', '=', tokenId).where('accountId', '=', actor.accountId).where('revokedAt', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('not_found');
    await appendAudit(trx, { actorType: actor.kind, actorId: String(actor.accountId), action: 'token.revoke_personal', objectType: 'api_token', objectId: String(tokenId), ip: meta.ip ?? null });
  });
}

export async function createApiToken(
  deps: IdentityDeps,
  actor: Actor,
  input: { name: string; scopes: string[]; expiresInDays: number; agencyCode?: string | undefined },
  meta: RequestMeta,
): Promise<{ id: number; token: string }> {
  requireAccess(actor, 'token.manage');
  const problems = checkNameAndExpiry(input);
  const name = input.name.trim();
  const unknown = input.scopes.filter((s) => !(machineScopes as readonly string[]).includes(s));
  if (input.scopes.length === 0 || unknown.length) problems.push({ name: 'scopes', message: { key: 'identity.token.scopes' } });
  let agencyId: number | null = null;
  if (input.agencyCode) {
    const agency = await deps.db.selectFrom('agency').select(['id', 'path']).where('code', '=', input.agencyCode).executeTakeFirst();
    if (!agency) problems.push({ name: 'agencyCode', message: { key: 'identity.agency.unknown', params: { code: input.agencyCode } } });
    else agencyId = agency.id;
  }
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertToken(trx, { name, token, scopes: input.scopes, agencyId, accountId: null, createdBy: actorId, expiresInDays: input.expiresInDays });
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'token.create', objectType: 'api_token', objectId: String(id), ip: meta.ip ?? null, details: { scopes: input.scopes } });
    return { id, token };
  });
}

export async function revokeApiToken(deps: IdentityDeps, actor: Actor, tokenId: number, meta: RequestMeta): Promise<void> {
  requireAccess(actor, 'token.manage');
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('apiToken').set({ revokedAt: sql`now()` }).where('id', '=', tokenId).where('revokedAt', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('not_found');
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'token.revoke', objectType: 'api_token', objectId: String(tokenId), ip: meta.ip ?? null });
  });
}

export async function listApiTokens(deps: IdentityDeps, actor: Actor) {
  requireAccess(actor, 'token.manage');
  return deps.db.selectFrom('apiToken').select(['id', 'name', 'prefix', 'scopes', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt']).orderBy('id', 'desc').execute();
}

/**
 * Token ids by token hash, for the tokens this process has seen: knowing the id lets a request
 * check its token and record the use in one statement. Only a shortcut: that statement checks
 * the hash, the revocation and the expiry every time, and a miss falls back to a lookup by hash.
 */
const tokenIdByHash = new Map<string, number>();
const TOKEN_IDS_KEPT = 10_000;

/** The actor behind a bearer token, or undefined when it is unknown, expired or revoked. */
export async function authenticateApiToken(deps: IdentityDeps, token: string, meta: RequestMeta): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const tokenHash = hashToken(token);
  const known = tokenIdByHash.get(tokenHash);
  if (known !== undefined) {
    const actor = await useToken(deps, known, tokenHash, meta);
    if (actor) return actor;
  }
  const found = await deps.db.selectFrom('apiToken').select('id').where('tokenHash', '=', tokenHash).executeTakeFirst();
  // Unknown, or the same token as above, now revoked or expired (its id stays remembered: right).
  if (!found || found.id === known) return undefined;
  if (tokenIdByHash.size >= TOKEN_IDS_KEPT) tokenIdByHash.clear();
  tokenIdByHash.set(tokenHash, found.id);
  return useToken(deps, found.id, tokenHash, meta);
}

/**
 * Checks token `id` (its hash, revocation and expiry) and records the use, in one autocommit
 * statement: the entry is written only when the token is valid, and the statement is its own
 * transaction, which is what mc_audit_append needs. Every use is in the audit log with its time
 * (issue #3); the token's own "last used" is touched at most once a minute, so that a machine
 * client's requests do not queue on its token's row.
 */
async function useToken(deps: IdentityDeps, id: number, tokenHash: string, meta: RequestMeta): Promise<Actor | undefined> {
  const entry = normalizeEntry({ actorType: 'api_token', actorId: String(id), action: 'token.use', objectType: 'api_token', objectId: String(id), ip: meta.ip ?? null });
  const { rows } = await sql<{ scopes: TokenScope[]; accountId: number | null; agencyPath: string | null } & AppendedRow>`
    with valid as (
      select t.id as token_id, t.scopes, t.account_id, a.path::text as agency_path
      from api_token t left join agency a on a.id = t.agency_id
      where t.id = ${id} and t.token_hash = ${tokenHash} and t.revoked_at is null and t.expires_at > now()),
    touched as (
      update api_token u set last_used_at = now() from valid
      where u.id = valid.token_id and (u.last_used_at is null or u.last_used_at < now() - interval '1 minute'))
    select valid.scopes, valid.account_id, valid.agency_path, appended.*
    from valid cross join lateral ${auditAppendCall(entry)} as appended`.execute(deps.db);
  const row = rows[0];
  if (!row) return undefined;
  checkAppended(entry, row);
  return { kind: 'api_token', tokenId: id, scopes: row.scopes, agencyPath: row.agencyPath, accountId: row.accountId };
}
