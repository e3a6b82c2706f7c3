// Tables of the payment module (migration 20261128T1800_payment). Amounts are integer VND
// (ARCHITECTURE.md convention 11); int8 columns are read as numbers (src/db/database.ts).
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { PaymentSource, PaymentState } from './payment-states.js';
import type { ProviderName, ProviderOutcome } from './payment-provider.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = ColumnType<string, string, string>;

/** What is owed (DOMAIN.md section 8): fees and charges of a dossier, and standalone obligations. */
export const obligationKinds = ['fee', 'fine', 'social_insurance', 'health_insurance', 'tax'] as const;
export type ObligationKind = (typeof obligationKinds)[number];
/** The kinds that stand alone, each found by its own reference (a fee belongs to a dossier). */
export const standaloneKinds = ['fine', 'social_insurance', 'health_insurance', 'tax'] as const satisfies readonly ObligationKind[];
/** What a person may look up on /thanh-toan: the standalone kinds, and a dossier's fee by its code. */
export const lookupKinds = [...standaloneKinds, 'fee'] as const satisfies readonly ObligationKind[];
export type ObligationStatus = 'unpaid' | 'paid' | 'cancelled';

export interface ObligationLine {
  label: string;
  /** Integer VND. */
  amount: number;
}

export interface PaymentObligationTable {
  id: string;
  kind: ObligationKind;
  /** The fine's decision number, the insurance or tax notice, the dossier code for a fee. */
  reference: string;
  description: string;
  payerName: string;
  /** CCCD, tax code or social-insurance code, stored without spaces or dots, upper case. */
  payerIdNumber: string;
  agencyId: number;
  dossierId: string | null;
  lines: JSONColumnType<ObligationLine[], string, string>;
  total: number;
  dueDate: DateColumn | null;
  status: ColumnType<ObligationStatus, ObligationStatus | undefined, ObligationStatus>;
  paidPaymentId: ColumnType<string | null, string | null | undefined, string | null>;
  paidAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface PaymentSerialTable {
  provider: ProviderName;
  day: DateColumn;
  lastSerial: number;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface PaymentTable {
  id: string;
  obligationId: string;
  provider: ProviderName;
  /** Our reference at the provider: `yyyyMMdd` of the Vietnam day + a 6-digit serial of that day. */
  txnRef: string;
  txnDay: DateColumn;
  amount: number;
  state: ColumnType<PaymentState, PaymentState | undefined, PaymentState>;
  redirectUrl: Nullable<string>;
  /** The provider's transaction number (vnp_TransactionNo). */
  providerRef: Nullable<string>;
  bankCode: Nullable<string>;
  bankTxnNo: Nullable<string>;
  cardType: Nullable<string>;
  responseCode: Nullable<string>;
  /** What the provider last said (IPN or query), kept beside our state for reconciliation. */
  providerStatus: Nullable<ProviderOutcome>;
  providerAmount: Nullable<number>;
  providerCheckedAt: Nullable<Date>;
  paidAt: Nullable<Date>;
  /** Money received for an obligation that was already settled: to be paid back. */
  refundDue: ColumnType<boolean, boolean | undefined, boolean>;
  refundedAt: Nullable<Date>;
  locale: ColumnType<'vi' | 'en', 'vi' | 'en' | undefined, 'vi' | 'en'>;
  expiresAt: Timestamp;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface PaymentEventTable {
  id: Generated<number>;
  paymentId: string;
  at: Generated<Date>;
  action: string;
  fromState: PaymentState | null;
  toState: PaymentState;
  source: PaymentSource;
  actorType: string;
  actorId: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}
