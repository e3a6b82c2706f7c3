import { Type } from 'typebox';

/** application/problem+json (RFC 9457), as every API error is answered. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ name: Type.String(), message: Type.String() }))),
  },
  { description: 'Problem details (RFC 9457)' },
);
