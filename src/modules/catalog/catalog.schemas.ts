// TypeBox schemas of the catalogue: the API's requests and responses, and the import format.
import { Type, type Static } from 'typebox';

export const GovernmentLevelSchema = Type.Union([Type.Literal('central'), Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]);
const ConfidenceSchema = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);

export const FeeLineSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 1000 }),
    amountVnd: Type.Integer({ minimum: 0, description: 'Integer VND' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    dueAtSubmission: Type.Optional(Type.Boolean({ description: 'Paid online with the submission; otherwise asked for by the officer (status 6)' })),
  },
  { additionalProperties: false },
);

export const RequiredDocumentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 2000 }),
    form: Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('original-or-copy'), Type.Literal('present')]),
    quantity: Type.Integer({ minimum: 1, maximum: 100 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    template: Type.Optional(Type.String({ maxLength: 500, pattern: '^/' })),
  },
  { additionalProperties: false },
);

export const ProvenanceSchema = Type.Object(
  {
    sources: Type.Optional(Type.Array(Type.String())),
    confidence: Type.Optional(ConfidenceSchema),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** One procedure in the import/export format (JSON, or CSV with JSON-valued cells). */
export const ProcedureRecordSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$', description: 'National procedure code, e.g. 1.001193' }),
    status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]),
    name: Type.String({ minLength: 3, maxLength: 1000 }),
    nameEn: Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]),
    fieldCode: Type.String({ minLength: 1, maxLength: 50 }),
    levelOfGovernment: GovernmentLevelSchema,
    onlineLevelScheme: Type.String({ minLength: 1, maxLength: 20 }),
    onlineLevel: Type.String({ minLength: 1, maxLength: 20 }),
    processingDays: Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()]),
    processingNote: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
    fees: Type.Array(FeeLineSchema, { maxItems: 100 }),
    feesNote: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
    documents: Type.Array(RequiredDocumentSchema, { maxItems: 200 }),
    resultType: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
    legalBasis: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 100 }),
    agencyCodes: Type.Array(Type.String({ minLength: 1, maxLength: 35 }), { minItems: 1, maxItems: 500 }),
    formSchema: Type.Record(Type.String(), Type.Unknown()),
    /** The internal workflow (steps, roles, budgets, an agency for a step done elsewhere); absent: the default. */
    workflow: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);
export type ProcedureRecord = Static<typeof ProcedureRecordSchema>;

// ---- API ----

export const ProcedureListQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search text; diacritics optional, typos tolerated' })),
  agency: Type.Optional(Type.String({ maxLength: 35, description: 'Implementing agency identifier' })),
  field: Type.Optional(Type.String({ maxLength: 50, description: 'Field code' })),
  level: Type.Optional(GovernmentLevelSchema),
  onlineLevel: Type.Optional(Type.Union([Type.Literal('info'), Type.Literal('partial'), Type.Literal('full')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
});
export type ProcedureListQuery = Static<typeof ProcedureListQuerySchema>;

const AgencyRefSchema = Type.Object({ code: Type.Union([Type.String(), Type.Null()]), name: Type.String() });
const FieldRefSchema = Type.Object({ code: Type.String(), name: Type.String() });
const OnlineLevelSchema = Type.Object({
  scheme: Type.String(),
  level: Type.String(),
  name: Type.String(),
  legacyEquivalent: Type.Union([Type.String(), Type.Null()]),
});

export const ProcedureSummarySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  field: FieldRefSchema,
  agency: Type.Union([AgencyRefSchema, Type.Null()]),
  agencyCount: Type.Integer(),
  levelOfGovernment: GovernmentLevelSchema,
  onlineLevel: Type.String(),
  processingDays: Type.Union([Type.Integer(), Type.Null()]),
  confidence: Type.Union([ConfidenceSchema, Type.Null()]),
});
export type ProcedureSummary = Static<typeof ProcedureSummarySchema>;

export const ProcedurePageSchema = Type.Object({
  items: Type.Array(ProcedureSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type ProcedurePage = Static<typeof ProcedurePageSchema>;

export const ProcedureDetailSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  field: FieldRefSchema,
  levelOfGovernment: GovernmentLevelSchema,
  agencies: Type.Array(AgencyRefSchema),
  onlineLevel: OnlineLevelSchema,
  processingDays: Type.Union([Type.Integer(), Type.Null()]),
  processingNote: Type.Union([Type.String(), Type.Null()]),
  fees: Type.Array(FeeLineSchema),
  feesNote: Type.Union([Type.String(), Type.Null()]),
  documents: Type.Array(RequiredDocumentSchema),
  resultType: Type.Union([Type.String(), Type.Null()]),
  legalBasis: Type.Array(Type.String()),
  formSchema: Type.Record(Type.String(), Type.Unknown()),
  hasWorkflow: Type.Boolean(),
  provenance: ProvenanceSchema,
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ProcedureDetail = Static<typeof ProcedureDetailSchema>;

export const ProcedureCodeParamsSchema = Type.Object({ code: Type.String({ maxLength: 40 }) });

export const FieldWithCountSchema = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), procedureCount: Type.Integer() });
export type FieldWithCount = Static<typeof FieldWithCountSchema>;
