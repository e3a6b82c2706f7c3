// The verification API under /api/v1: anyone holding a result's code may check it, and check a
// file they hold by sending its SHA-256 (computed on their side: nothing is uploaded). Limited per
// client address like the other public lookups by code.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolveLocale } from '../../platform/http/locale.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import { presentVerification } from './signature.presenters.js';
import { VerifyParamsSchema, VerifyQuerySchema, VerifyResponseSchema } from './signature.schemas.js';
import { checkDigestAgainstResult, verifySignedResult, type VerifyDeps } from './verification.js';

export const signatureRoutes: FastifyPluginAsyncTypebox<{ deps: VerifyDeps; lookupsPerMinute: number }> = async (app, { deps, lookupsPerMinute }) => {
  const limit = { rateLimit: lookupsPerMinute > 0 ? { max: lookupsPerMinute, timeWindow: '1 minute' } : (false as const) };
  app.get(
    '/verify/:id',
    {
      config: limit,
      schema: {
        tags: ['signature'],
        summary: 'Xác thực kết quả điện tử / verify a signed electronic result',
        description:
          'The issuer, the signing time, the SHA-256 of the document, the signer’s certificate and whether the detached CMS signature is valid now (message digest, signature, path to a trusted CA, validity at the signing time). With ?sha256= the answer also says whether a file with that hash is the signed document.',
        params: VerifyParamsSchema,
        querystring: VerifyQuerySchema,
        response: { 200: VerifyResponseSchema, 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const locale = resolveLocale(request);
      const result = await verifySignedResult(deps, request.params.id);
      const file = request.query.sha256 ? await checkDigestAgainstResult(deps, request.params.id, request.query.sha256) : undefined;
      return presentVerification(result, locale, file);
    },
  );
};
