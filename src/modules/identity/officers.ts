// Officers are created by admins, never self-registered. A role assignment is scoped to one agency
// and its subtree, and an admin may act only inside the subtrees where it holds officer.manage.
// Only a province admin may grant the province-admin role (no one can raise their own ceiling).
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.js';
import { requireAccess, roles, type Actor, type Role } from '../../platform/access/access.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { queueEmail } from '../notify/notify.service.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { normalizeEmail } from './identity-validators.js';
import { hashToken, randomToken } from '../../platform/security/secrets.js';

const SET_PASSWORD_HOURS = 72;

async function agencyByCode(deps: IdentityDeps, code: string) {
  return deps.db.selectFrom('agency').select(['id', 'name', 'path']).where('code', '=', code).executeTakeFirst();
}

function invalid(name: string, key: FieldProblem['message']): never {
  throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name, message: key }]);
}

async function checkGrantable(deps: IdentityDeps, actor: Actor, role: string, agencyCode: string) {
  if (!(roles as readonly string[]).includes(role)) invalid('role', { key: 'identity.role.unknown' });
  const agency = await agencyByCode(deps, agencyCode);
  if (!agency) invalid('agencyCode', { key: 'identity.agency.unknown', params: { code: agencyCode } });
  // Outside the admin's own subtree the agency is, for this admin, as good as missing.
  try {
    requireAccess(actor, 'officer.manage', { agencyPath: agency.path });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') invalid('agencyCode', { key: 'identity.agency.outsideScope', params: { code: agencyCode } });
    throw error;
  }
  if (role === 'province_admin' && !(actor.kind === 'officer' && actor.grants.some((g) => g.role === 'province_admin'))) {
    invalid('role', { key: 'identity.role.tooHigh' });
  }
  return agency;
}

export interface NewOfficer {
  fullName: string;
  email: string;
  role: string;
  agencyCode: string;
}

export async function createOfficer(deps: IdentityDeps, actor: Actor, input: NewOfficer, meta: RequestMeta): Promise<number> {
  requireAccess(actor, 'officer.manage');
  const problems: FieldProblem[] = [];
  const fullName = input.fullName.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (fullName.length < 2 || fullName.length > 200) problems.push({ name: 'fullName', message: { key: 'identity.name.length' } });
  const email = normalizeEmail(input.email);
  if (!email) problems.push({ name: 'email', message: { key: 'identity.email.format' } });
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const agency = await checkGrantable(deps, actor, input.role, input.agencyCode);
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  return deps.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('account').select('id').where(sql`lower(email)`, '=', email!).executeTakeFirst();
    if (taken) throw new AppError('conflict', 'error.invalid_input', {}, [{ name: 'email', message: { key: 'identity.email.taken' } }]);
    const { id } = await trx
      .insertInto('account')
      .values({ kind: 'officer', fullName, email: email!, createdBy: actorId } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('roleAssignment').values({ accountId: id, role: input.role as Role, agencyId: agency.id, grantedBy: actorId, revokedAt: null, revokedBy: null }).execute();
    const token = randomToken();
    await trx.insertInto('emailToken').values({ tokenHash: hashToken(token), accountId: id, purpose: 'set-password', expiresAt: new Date(Date.now() + SET_PASSWORD_HOURS * 3600_000) }).execute();
    await queueEmail(deps.jobs, trx, {
      to: email!,
      template: 'account.officer-created',
      locale: meta.locale,
      params: { name: fullName, agency: agency.name, link: `${deps.publicUrl}/dat-mat-khau?token=${token}` },
    });
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'account.create', objectType: 'account', objectId: String(id), ip: meta.ip ?? null, details: { kind: 'officer' } });
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'role.assign', objectType: 'account', objectId: String(id), ip: meta.ip ?? null, details: { role: input.role, agency: input.agencyCode } });
    return id;
  });
}

/** The officer as an admin may see it: missing, or outside every subtree the admin manages → 404. */
async function getManagedOfficer(deps: IdentityDeps, actor: Actor, officerId: number) {
  requireAccess(actor, 'officer.manage');
  const officer = await deps.db.selectFrom('account').select(['id', 'fullName', 'email', 'kind', 'lockedUntil', 'totpConfirmedAt', 'createdAt']).where('id', '=', officerId).where('kind', '=', 'officer').executeTakeFirst();
  if (!officer) throw new AppError('not_found');
  const grants = await listRoleAssignments(deps, officerId);
  // An officer whose roles were all revoked belongs to no subtree: only a province admin sees it.
  const isProvinceAdmin = actor.kind === 'officer' && actor.mfaPassed && actor.grants.some((g) => g.role === 'province_admin');
  const visible = grants.length === 0 ? isProvinceAdmin : grants.some((g) => {
    try {
      requireAccess(actor, 'officer.manage', { agencyPath: g.agencyPath });
      return true;
    } catch {
      return false;
    }
  });
  if (!visible) throw new AppError('not_found');
  return { ...officer, grants };
}

export async function listRoleAssignments(deps: IdentityDeps, accountId: number) {
  return deps.db
    .selectFrom('roleAssignment as r')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .where('r.accountId', '=', accountId)
    .where('r.revokedAt', 'is', null)
    .select(['r.id', 'r.role', 'r.agencyId', 'a.code as agencyCode', 'a.name as agencyName', sql<string>`a.path::text`.as('agencyPath')])
    .orderBy('r.id')
    .execute();
}

export { getManagedOfficer };

export async function assignRole(deps: IdentityDeps, actor: Actor, officerId: number, input: { role: string; agencyCode: string }, meta: RequestMeta): Promise<void> {
  await getManagedOfficer(deps, actor, officerId);
  // Separation of duties: nobody grants a role to themselves; another admin must.
  if (actor.kind === 'officer' && actor.accountId === officerId) invalid('role', { key: 'identity.role.self' });
  const agency = await checkGrantable(deps, actor, input.role, input.agencyCode);
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('roleAssignment').select('id').where('accountId', '=', officerId).where('role', '=', input.role as Role).where('agencyId', '=', agency.id).where('revokedAt', 'is', null).executeTakeFirst();
    if (existing) throw new AppError('conflict', 'identity.role.alreadyHeld');
    await trx.insertInto('roleAssignment').values({ accountId: officerId, role: input.role as Role, agencyId: agency.id, grantedBy: actorId, revokedAt: null, revokedBy: null }).execute();
    // A privilege change ends the officer's sessions: the next login carries the new roles.
    await trx.deleteFrom('session').where('accountId', '=', officerId).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'role.assign', objectType: 'account', objectId: String(officerId), ip: meta.ip ?? null, details: { role: input.role, agency: input.agencyCode } });
  });
}

export async function revokeRole(deps: IdentityDeps, actor: Actor, officerId: number, assignmentId: number, meta: RequestMeta): Promise<void> {
  const officer = await getManagedOfficer(deps, actor, officerId);
  const grant = officer.grants.find((g) => g.id === assignmentId);
  if (!grant) throw new AppError('not_found');
  requireAccess(actor, 'officer.manage', { agencyPath: grant.agencyPath });
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('roleAssignment').set({ revokedAt: sql`now()`, revokedBy: actorId }).where('id', '=', assignmentId).execute();
    await trx.deleteFrom('session').where('accountId', '=', officerId).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'role.revoke', objectType: 'account', objectId: String(officerId), ip: meta.ip ?? null, details: { role: grant.role, agency: grant.agencyCode } });
  });
}

export async function unlockAccount(deps: IdentityDeps, actor: Actor, officerId: number, meta: RequestMeta): Promise<void> {
  await getManagedOfficer(deps, actor, officerId);
  const actorId = actor.kind === 'officer' ? actor.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('account').set({ lockedUntil: null, failedLogins: 0 }).where('id', '=', officerId).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: actorId === null ? null : String(actorId), action: 'account.unlock', objectType: 'account', objectId: String(officerId), ip: meta.ip ?? null });
  });
}

/** Officers holding a role somewhere inside the admin's subtrees. */
export async function listManagedOfficers(deps: IdentityDeps, actor: Actor) {
  requireAccess(actor, 'officer.manage');
  const paths = actor.kind === 'officer' ? actor.grants.filter((g) => g.role === 'agency_admin' || g.role === 'province_admin').map((g) => g.agencyPath) : [];
  if (paths.length === 0) return [];
  return deps.db
    .selectFrom('account as o')
    .where('o.kind', '=', 'officer')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('roleAssignment as r')
          .innerJoin('agency as a', 'a.id', 'r.agencyId')
          .whereRef('r.accountId', '=', 'o.id')
          .where('r.revokedAt', 'is', null)
          .where(sql<boolean>`a.path <@ any(array[${sql.join(paths.map((p) => sql`${p}::ltree`))}])`)
          .select(sql`1`.as('one')),
      ),
    )
    .select(['o.id', 'o.fullName', 'o.email', 'o.lockedUntil', 'o.totpConfirmedAt'])
    .orderBy('o.fullName')
    .execute();
}
