// TypeBox schemas of the dossier API: requests and responses (the OpenAPI document is built
// from them).
import { Type, type Static } from 'typebox';

// The same list as dossierStatuses (dossier-status.ts), spelt out so that the types follow it.
export const DossierStatusSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('new'),
    Type.Literal('accepted'),
    Type.Literal('refused'),
    Type.Literal('processing'),
    Type.Literal('supplementation'),
    Type.Literal('financial'),
    Type.Literal('withdrawn'),
    Type.Literal('stopped'),
    Type.Literal('done'),
    Type.Literal('returned'),
  ],
  { description: 'draft, or the national status 1–10 by name: new 1, accepted 2, refused 3, processing 4, supplementation 5, financial 6, withdrawn 7, stopped 8, done 9, returned 10' },
);
const NotifySchema = Type.Object({ email: Type.Boolean(), sms: Type.Boolean() }, { additionalProperties: false, description: 'The channels the applicant is notified by' });
const FormData = Type.Record(Type.String(), Type.Unknown(), { description: 'The e-form answers, per the procedure’s formSchema' });

export const DossierCreateBodySchema = Type.Object(
  {
    procedureCode: Type.String({ minLength: 1, maxLength: 40 }),
    data: Type.Optional(FormData),
    agencyCode: Type.Optional(Type.String({ maxLength: 35, description: 'The receiving agency’s identifier, one of the procedure’s agencies' })),
    notify: Type.Optional(NotifySchema),
  },
  { additionalProperties: false },
);
export type DossierCreateBody = Static<typeof DossierCreateBodySchema>;

const PostalAddressFields = {
  recipient: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
};
const PostalAddressPlace = Type.Object(
  { provinceCode: Type.Optional(Type.String({ maxLength: 10 })), communeCode: Type.Optional(Type.String({ maxLength: 10 })), street: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
/** The applicant's choice; the address parts are checked like the e-form's (422 per field). */
const ResultDeliverySchema = Type.Object(
  {
    method: Type.String({ maxLength: 20, description: 'online, in_person or post (bưu chính công ích)' }),
    post: Type.Optional(Type.Object({ ...PostalAddressFields, address: Type.Optional(PostalAddressPlace) }, { additionalProperties: false, description: 'Required when method is post' })),
  },
  { additionalProperties: false },
);

export const DossierUpdateBodySchema = Type.Object(
  { data: Type.Optional(FormData), agencyCode: Type.Optional(Type.String({ maxLength: 35 })), notify: Type.Optional(NotifySchema), resultDelivery: Type.Optional(ResultDeliverySchema) },
  { additionalProperties: false },
);
export type DossierUpdateBody = Static<typeof DossierUpdateBodySchema>;

export const DossierIdParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DossierCreatedSchema = Type.Object({ id: Type.String({ format: 'uuid' }), status: Type.Literal('draft') });

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const AgencyRefSchema = Type.Object({ code: Type.String(), name: Type.String() });

export const AttachmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slot: Type.Integer(),
  fileName: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
});

export const DossierViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.Union([Type.String(), Type.Null()]),
  status: DossierStatusSchema,
  statusText: Type.String(),
  procedure: Type.Object({ code: Type.String(), name: Type.String(), version: Type.Integer() }),
  agency: Type.Union([AgencyRefSchema, Type.Null()]),
  agencies: Type.Array(AgencyRefSchema, { description: 'The agencies that receive this procedure' }),
  data: FormData,
  notify: NotifySchema,
  resultDelivery: Type.Union([
    Type.Object({
      method: Type.Union([Type.Literal('online'), Type.Literal('in_person'), Type.Literal('post')]),
      post: Type.Union([Type.Object({ recipient: Type.String(), phone: Type.String(), address: Type.Object({ provinceCode: Type.String(), communeCode: Type.String(), street: Type.String() }) }), Type.Null()]),
    }),
    Type.Null(),
  ]),
  submittedAt: NullableTime,
  dueAt: NullableTime,
  createdAt: Time,
  updatedAt: Time,
  slots: Type.Array(Type.Object({ index: Type.Integer(), name: Type.String(), note: Type.Union([Type.String(), Type.Null()]), required: Type.Boolean(), accept: Type.Array(Type.String()) })),
  attachments: Type.Array(AttachmentSchema),
  events: Type.Array(Type.Object({ at: Time, action: Type.String(), fromStatus: Type.Union([DossierStatusSchema, Type.Null()]), toStatus: DossierStatusSchema, statusText: Type.String() })),
});

export const DossierListQuerySchema = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const DossierListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      code: Type.Union([Type.String(), Type.Null()]),
      status: DossierStatusSchema,
      statusText: Type.String(),
      procedure: Type.Object({ code: Type.String(), name: Type.String() }),
      agency: Type.Union([Type.String(), Type.Null()]),
      submittedAt: NullableTime,
      dueAt: NullableTime,
      updatedAt: Time,
    }),
  ),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const SubmitHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'Required: the same key (or any repeat on the same dossier) returns the same submission' })),
});
export const SubmitResponseSchema = Type.Object({ id: Type.String({ format: 'uuid' }), code: Type.String(), status: DossierStatusSchema, submittedAt: Time, dueAt: NullableTime });

export const WithdrawBodySchema = Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

export const TrackParamsSchema = Type.Object({ code: Type.String({ minLength: 1, maxLength: 60 }) });
export const TrackQuerySchema = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 20, description: 'The applicant’s phone number: shows the personal data when it matches' })),
  idNumber: Type.Optional(Type.String({ maxLength: 20, description: 'Or the applicant’s identity number' })),
  lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
});
export const TrackResponseSchema = Type.Object({
  code: Type.String(),
  status: DossierStatusSchema,
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  statusText: Type.String(),
  procedure: Type.Object({ code: Type.String(), name: Type.String() }),
  agency: Type.Union([AgencyRefSchema, Type.Null()]),
  submittedAt: Time,
  dueAt: NullableTime,
  events: Type.Array(Type.Object({ at: Time, action: Type.String(), actionText: Type.String(), status: DossierStatusSchema, statusText: Type.String(), agency: Type.Union([Type.String(), Type.Null()]) })),
  applicant: Type.Optional(
    Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), idNumber: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

export const RepositoryListSchema = Type.Object({
  items: Type.Array(
    Type.Object({ id: Type.String({ format: 'uuid' }), kind: Type.Union([Type.Literal('upload'), Type.Literal('result')]), fileName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), title: Type.Union([Type.String(), Type.Null()]), createdAt: Time }),
  ),
});

export const FromRepositoryBodySchema = Type.Object({ slot: Type.Integer({ minimum: 0, maximum: 199 }), itemId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
