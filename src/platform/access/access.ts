// Access control: who may do what, and where. Officers hold roles, each scoped to one agency and
// the subtree below it (an agency path in the ltree sense); citizens act on what they own; machine
// clients hold scoped API tokens. Every use case starts with requireAccess(); a resource that is
// missing and one that is not yours both answer 404, so probing reveals nothing.
import { AppError } from '../errors/app-error.js';

export const roles = ['reception', 'specialist', 'leader', 'agency_admin', 'province_admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'backoffice.access',
  'officer.manage',
  'audit.read',
  'catalog.manage',
  'calendar.manage',
  'token.manage',
  'dossier.read',
  'dossier.receive',
  'dossier.process',
  'dossier.approve',
  'profile.self',
  'business.link',
  'dossier.submit',
] as const;
export type Permission = (typeof permissions)[number];

/** The role table; docs/access.md renders the same table and a test keeps them equal. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  reception: ['backoffice.access', 'dossier.read', 'dossier.receive'],
  specialist: ['backoffice.access', 'dossier.read', 'dossier.process'],
  leader: ['backoffice.access', 'dossier.read', 'dossier.approve'],
  agency_admin: ['backoffice.access', 'officer.manage'],
  province_admin: ['backoffice.access', 'officer.manage', 'audit.read', 'catalog.manage', 'calendar.manage', 'token.manage'],
  auditor: ['backoffice.access', 'dossier.read', 'audit.read'],
};

/** What a citizen or business account may do for itself. */
const selfPermissions: readonly Permission[] = ['profile.self', 'business.link', 'dossier.submit'];

/** API token scopes and the permissions each gives. */
export const tokenScopes = {
  'catalog:read': [] as Permission[],
  'dossier:read': ['dossier.read'] as Permission[],
  /** A personal token: it acts for the one citizen or business account that made it. */
  'dossier:write': ['dossier.submit'] as Permission[],
} as const;
export type TokenScope = keyof typeof tokenScopes;

/** Scopes only a citizen or business gives a token of its own; a machine token never holds them. */
export const personalScopes: readonly TokenScope[] = ['dossier:write'];
export const machineScopes = (Object.keys(tokenScopes) as TokenScope[]).filter((s) => !personalScopes.includes(s));

export interface RoleGrant {
  role: Role;
  agencyId: number;
  /** ltree path of the agency: the grant covers this agency and everything below it. */
  agencyPath: string;
}

export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'citizen' | 'business' | 'officer';
      accountId: number;
      name: string;
      grants: RoleGrant[];
      /** Officers must pass TOTP before any officer permission applies. */
      mfaPassed: boolean;
      sessionId: string;
    }
  | {
      kind: 'api_token';
      tokenId: number;
      scopes: TokenScope[];
      agencyPath: string | null;
      /** A personal token acts for this citizen or business account, on what it owns only. */
      accountId: number | null;
    };

export interface ResourceScope {
  /** The agency that holds the resource; the actor's grant must cover it. */
  agencyPath?: string;
  /** The account that owns the resource (a citizen's own profile or dossier). */
  ownerAccountId?: number;
}

function covers(grantPath: string, resourcePath: string): boolean {
  return resourcePath === grantPath || resourcePath.startsWith(`${grantPath}.`);
}

/** The grants that give a permission over a resource (or anywhere, when no agency is named). */
export function grantsFor(actor: Actor, permission: Permission, scope: ResourceScope = {}): RoleGrant[] {
  if (actor.kind !== 'officer' || !actor.mfaPassed) return [];
  return actor.grants.filter(
    (g) => rolePermissions[g.role].includes(permission) && (scope.agencyPath === undefined || covers(g.agencyPath, scope.agencyPath)),
  );
}

export function hasAccess(actor: Actor, permission: Permission, scope: ResourceScope = {}): boolean {
  switch (actor.kind) {
    case 'anonymous':
      return false;
    case 'api_token':
      return actor.scopes.some((s) => (tokenScopes[s] as readonly Permission[]).includes(permission)) &&
        (scope.agencyPath === undefined || actor.agencyPath === null || covers(actor.agencyPath, scope.agencyPath)) &&
        (scope.ownerAccountId === undefined || actor.accountId === scope.ownerAccountId);
    case 'citizen':
    case 'business':
      return selfPermissions.includes(permission) && (scope.ownerAccountId === undefined || scope.ownerAccountId === actor.accountId);
    case 'officer':
      return grantsFor(actor, permission, scope).length > 0;
  }
}

/** Throws unless the actor may: 401 when nobody is signed in, 404 otherwise (never 403, so that
 *  a resource of another agency looks exactly like one that does not exist). */
export function requireAccess(actor: Actor, permission: Permission, scope: ResourceScope = {}): void {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (!hasAccess(actor, permission, scope)) throw new AppError('not_found');
}

/** The account on whose behalf an actor submits and owns dossiers: a citizen or business signed
 *  in, or a personal API token; undefined for officers, machine tokens and nobody. */
export function ownerAccountIdOf(actor: Actor): number | undefined {
  if (actor.kind === 'citizen' || actor.kind === 'business') return actor.accountId;
  if (actor.kind === 'api_token' && actor.accountId !== null) return actor.accountId;
  return undefined;
}
