// TypeBox schemas of the back-office API: the inbox and the actions on a dossier.
import { Type } from 'typebox';
import { DossierStatusSchema } from '../dossier/dossier.schemas.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const InboxTabSchema = Type.Union(
  [Type.Literal('new'), Type.Literal('mine'), Type.Literal('approve'), Type.Literal('due_soon'), Type.Literal('overdue'), Type.Literal('paused'), Type.Literal('done'), Type.Literal('all')],
  { description: 'new: to check at reception; mine: assigned to me; approve: at the approval step; due_soon: due within 2 working days; overdue; paused: 5, 6, 8; done: awaiting return; all active' },
);

export const InboxQuerySchema = Type.Object({
  tab: Type.Optional(InboxTabSchema),
  procedure: Type.Optional(Type.String({ maxLength: 40 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

const Counts = Type.Object({ new: Type.Integer(), mine: Type.Integer(), approve: Type.Integer(), due_soon: Type.Integer(), overdue: Type.Integer(), paused: Type.Integer(), done: Type.Integer(), all: Type.Integer() });

export const InboxSchema = Type.Object({
  tab: InboxTabSchema,
  counts: Counts,
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      status: DossierStatusSchema,
      statusText: Type.String(),
      procedure: Type.Object({ code: Type.String(), name: Type.String() }),
      agency: Type.String(),
      handlingAgency: Type.Union([Type.String(), Type.Null()], { description: 'The agency doing the current step when it is not the dossier\'s own (một cửa liên thông)' }),
      applicant: Type.Union([Type.String(), Type.Null()]),
      channel: Type.Integer(),
      step: Type.Union([Type.String(), Type.Null()]),
      assignee: Type.Union([Type.String(), Type.Null()]),
      submittedAt: NullableTime,
      dueAt: NullableTime,
      flag: Type.Union([Type.Literal('due_soon'), Type.Literal('overdue'), Type.Null()]),
    }),
  ),
});

// The path names the segment `id`, like the applicant's routes beside it; here it carries the code.
export const ActionParamsSchema = Type.Object({ id: Type.String({ maxLength: 60, description: 'The dossier code, e.g. 000.00.51.H20-261128-0001' }), action: Type.String({ maxLength: 40 }) });

export const ActionBodySchema = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    items: Type.Optional(Type.Array(Type.Object({ item: Type.String({ maxLength: 500 }), reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), { maxItems: 50 })),
    assignee: Type.Optional(Type.Integer({ minimum: 1 })),
    newDueDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD (apology only)' })),
    delivery: Type.Optional(Type.Union([Type.Literal('in_person'), Type.Literal('post'), Type.Literal('online')])),
    shipmentReference: Type.Optional(Type.String({ maxLength: 40, description: 'return_result by post: the post office\'s shipment reference' })),
    fees: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 99 }), { maxItems: 100, description: 'request_payment: indexes of the procedure\'s fee lines to pay' })),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The dossier version you acted on; another one answers 409' })),
  },
  { additionalProperties: false },
);

export const ActionResultSchema = Type.Object({
  code: Type.String(),
  status: DossierStatusSchema,
  statusText: Type.String(),
  version: Type.Integer(),
  dueAt: NullableTime,
  step: Type.Union([Type.String(), Type.Null()]),
  allowed: Type.Array(Type.String(), { description: 'The actions allowed next' }),
});

export const OfficerDossierSchema = Type.Object({
  code: Type.String(),
  status: DossierStatusSchema,
  statusText: Type.String(),
  version: Type.Integer(),
  channel: Type.Integer(),
  procedure: Type.Object({ code: Type.String(), name: Type.String(), version: Type.Integer() }),
  agency: Type.Object({ code: Type.String(), name: Type.String() }),
  handlingAgency: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()], { description: 'Where the current step is done, when another agency does it' }),
  applicant: Type.Object({ name: Type.Union([Type.String(), Type.Null()]), idNumber: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  data: Type.Record(Type.String(), Type.Unknown()),
  step: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([Type.String(), Type.Null()]),
  submittedAt: NullableTime,
  acceptedAt: NullableTime,
  dueAt: NullableTime,
  stepDueAt: NullableTime,
  allowed: Type.Array(Type.String()),
});

export const WalkInBodySchema = Type.Object(
  {
    procedureCode: Type.String({ minLength: 1, maxLength: 40 }),
    agencyCode: Type.String({ maxLength: 35 }),
    channel: Type.Union([Type.Literal(1), Type.Literal(3)], { description: '1 at the desk, 3 by public post' }),
    applicant: Type.Object(
      {
        name: Type.String({ maxLength: 300 }),
        idNumber: Type.Optional(Type.String({ maxLength: 20 })),
        phone: Type.Optional(Type.String({ maxLength: 20 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
      },
      { additionalProperties: false },
    ),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const WalkInResultSchema = Type.Object({ code: Type.String(), status: DossierStatusSchema, submittedAt: Type.String({ format: 'date-time' }), dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) });
