import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors/app-error.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import type { IdentityDeps } from './identity-deps.js';
import { getProfile } from './identity.service.js';

const MeSchema = Type.Object({
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('business'), Type.Literal('officer'), Type.Literal('api_token')]),
  id: Type.Integer(),
  name: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), agencyId: Type.Integer() })),
  scopes: Type.Array(Type.String()),
});

export const identityRoutes: FastifyPluginAsyncTypebox<{ deps: IdentityDeps }> = async (app, { deps }) => {
  app.get(
    '/me',
    { schema: { tags: ['identity'], summary: 'Người đang gọi API / who is calling', response: { 200: MeSchema, 401: ProblemSchema } } },
    async (request) => {
      const actor = request.actor;
      if (actor.kind === 'anonymous') throw new AppError('unauthenticated');
      if (actor.kind === 'api_token') return { kind: 'api_token' as const, id: actor.tokenId, name: `token ${actor.tokenId}`, roles: [], scopes: actor.scopes };
      const profile = await getProfile(deps, actor);
      return { kind: actor.kind, id: actor.accountId, name: profile.fullName, roles: actor.mfaPassed ? actor.grants.map((g) => ({ role: g.role, agencyId: g.agencyId })) : [], scopes: [] };
    },
  );
};
