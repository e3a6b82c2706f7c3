// Who is asking: resolves the session cookie (or an API token) of a request into an Actor, with
// the officer's role grants and their agency paths, for requireAccess.
import type { Actor, Role } from '../../platform/access/access.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { authenticateApiToken } from './api-tokens.js';
import { findSession, type SessionRecord } from './sessions.js';

export interface ResolvedActor {
  actor: Actor;
  session?: SessionRecord;
}

export async function actorFromSession(deps: IdentityDeps, token: string): Promise<ResolvedActor> {
  const live = await findSession(deps.db, token, deps.sessions);
  if (!live || live.account.disabled) return { actor: { kind: 'anonymous' } };
  const { session, account } = live;
  return {
    actor: {
      kind: account.kind,
      accountId: account.id,
      name: account.fullName,
      grants: live.grants.map((g) => ({ role: g.role as Role, agencyId: g.agencyId, agencyPath: g.agencyPath })),
      mfaPassed: session.mfaPassed,
      sessionId: session.id,
    },
    session,
  };
}

export async function actorFromBearer(deps: IdentityDeps, token: string, meta: RequestMeta): Promise<Actor> {
  return (await authenticateApiToken(deps, token, meta)) ?? { kind: 'anonymous' };
}
