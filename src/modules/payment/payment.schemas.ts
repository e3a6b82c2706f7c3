// TypeBox schemas of the payment API (they validate, and the OpenAPI document shows them).
import { Type, type Static } from 'typebox';
import { paymentStates } from './payment-states.js';
import { obligationKinds } from './payment.table.js';

/** One of a list of words, typed as that list's union. */
const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

export const PaymentIdParamsSchema = Type.Object({ id: Type.String({ format: 'uuid', description: 'The payment attempt’s id' }) });

export const StartPaymentBodySchema = Type.Object(
  {
    obligationId: Type.String({ format: 'uuid' }),
    payerId: Type.Optional(Type.String({ maxLength: 30, description: 'The payer’s identity number (CCCD), tax code or social-insurance code, as proof; not needed by the owner of the obligation’s dossier' })),
    bankCode: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{2,20}$', description: 'A bank or method chosen in advance (VNPay vnp_BankCode, e.g. NCB, VNPAYQR)' })),
  },
  { additionalProperties: false },
);
export type StartPaymentBody = Static<typeof StartPaymentBodySchema>;

export const StartedPaymentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  txnRef: Type.String(),
  amount: Type.Integer({ description: 'VND' }),
  redirectUrl: Type.String({ description: 'Send the payer here (the provider’s payment page)' }),
  expiresAt: Type.String({ format: 'date-time' }),
  reused: Type.Boolean({ description: 'An attempt still open was handed back instead of a new one' }),
  statusUrl: Type.String(),
});

export const PaymentStatusSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: literals(paymentStates),
  stateText: Type.String(),
  provider: Type.String(),
  txnRef: Type.String(),
  amount: Type.Integer({ description: 'VND' }),
  providerRef: Type.Union([Type.String(), Type.Null()]),
  paidAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
  obligation: Type.Object({
    kind: literals(obligationKinds),
    kindText: Type.String(),
    reference: Type.String(),
    description: Type.String(),
    agency: Type.String(),
    status: literals(['unpaid', 'paid', 'cancelled'] as const),
  }),
  receiptUrl: Type.Union([Type.String(), Type.Null()]),
  pageUrl: Type.String(),
});

/** VNPay's IPN: every vnp_* parameter as sent; none is required by the schema, so that a bad one
 *  is answered in the protocol (97, 99) rather than with a problem document. */
export const VnpayIpnQuerySchema = Type.Object(
  {
    vnp_TmnCode: Type.Optional(Type.String()),
    vnp_TxnRef: Type.Optional(Type.String()),
    vnp_Amount: Type.Optional(Type.String({ description: 'VND × 100' })),
    vnp_ResponseCode: Type.Optional(Type.String()),
    vnp_TransactionStatus: Type.Optional(Type.String()),
    vnp_TransactionNo: Type.Optional(Type.String()),
    vnp_PayDate: Type.Optional(Type.String({ description: 'yyyyMMddHHmmss, GMT+7' })),
    vnp_SecureHash: Type.Optional(Type.String({ description: 'HMAC-SHA512 of the sorted, form-encoded vnp_* parameters' })),
  },
  { additionalProperties: true },
);

export const VnpayIpnAnswerSchema = Type.Object({
  RspCode: Type.String({ description: '00 confirmed, 01 order not found, 02 already confirmed, 04 invalid amount, 97 invalid signature, 99 unknown error' }),
  Message: Type.String(),
});

export const ReconciliationQuerySchema = Type.Object({
  date: Type.String({ maxLength: 10, description: 'The Vietnam day, YYYY-MM-DD' }),
  agency: Type.String({ maxLength: 40, description: 'The agency’s code' }),
  format: Type.Optional(literals(['csv', 'xlsx'] as const)),
});
