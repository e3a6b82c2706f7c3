import { Type, type Static, type TSchema } from 'typebox';
import { GovernmentLevelSchema } from '../catalog/catalog.schemas.js';

const ProvenanceSchema = Type.Record(Type.String(), Type.Unknown());
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** The demo/organisation data file formats (data/demo/admin-units.json, agencies.json). */
export const AdminUnitFileSchema = Type.Object({
  units: Type.Array(
    Type.Object({
      key: Type.String({ minLength: 1 }),
      gsoCode: Type.String({ pattern: '^\\d{2,5}$' }),
      name: Type.String({ minLength: 1 }),
      unitType: Type.String({ minLength: 1 }),
      level: Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]),
      parentKey: Type.Union([Type.String(), Type.Null()]),
      validFrom: DateString,
      validTo: Type.Union([DateString, Type.Null()]),
      provenance: ProvenanceSchema,
    }),
  ),
  successions: Type.Array(
    Type.Object({ predecessorKey: Type.String(), successorKey: Type.String(), effectiveOn: DateString, note: Type.Optional(Type.String()) }),
  ),
});
export type AdminUnitFile = Static<typeof AdminUnitFileSchema>;

export const AgencyInputSchema = Type.Object({
  code: Type.String({ maxLength: 35 }),
  codeVerified: Type.Optional(Type.Boolean()),
  name: Type.String({ minLength: 2, maxLength: 300 }),
  nameEn: Type.Optional(Type.String({ maxLength: 300 })),
  shortName: Type.Optional(Type.String({ maxLength: 100 })),
  level: GovernmentLevelSchema,
  kind: Type.String({ minLength: 1, maxLength: 50 }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  adminUnitKey: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  phone: Type.Optional(Type.String({ maxLength: 50 })),
  website: Type.Optional(Type.String({ maxLength: 300 })),
  validFrom: DateString,
  validTo: Type.Union([DateString, Type.Null()]),
  provenance: Type.Optional(ProvenanceSchema),
});
export type AgencyInput = Static<typeof AgencyInputSchema>;

export const AgencyFileSchema = Type.Object({
  agencies: Type.Array(AgencyInputSchema),
  successions: Type.Array(
    Type.Object({ predecessorCode: Type.String(), successorCode: Type.String(), effectiveOn: DateString, note: Type.Optional(Type.String()) }),
  ),
});
export type AgencyFile = Static<typeof AgencyFileSchema>;

// ---- API ----

const agencyNodeProperties = {
  code: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: GovernmentLevelSchema,
  kind: Type.String(),
  codeVerified: Type.Boolean(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
};

/** The agency tree with a bounded depth: an explicit schema at every level, so the response
 *  serializer whitelists children as strictly as the root. */
function agencyNode(depth: number): TSchema {
  return depth === 0
    ? Type.Object(agencyNodeProperties)
    : Type.Object({ ...agencyNodeProperties, children: Type.Array(agencyNode(depth - 1)) });
}

export const AgencyTreeSchema = Type.Object({ at: Type.String(), items: Type.Array(agencyNode(5)) });

export interface AgencyNode {
  code: string | null;
  name: string;
  nameEn: string | null;
  level: 'central' | 'province' | 'district' | 'commune';
  kind: string;
  codeVerified: boolean;
  validFrom: string;
  validTo: string | null;
  children: AgencyNode[];
}

export const AgencyTreeQuerySchema = Type.Object({
  at: Type.Optional(Type.String({ format: 'date', description: 'Show the tree valid on this date (YYYY-MM-DD); default today' })),
});
