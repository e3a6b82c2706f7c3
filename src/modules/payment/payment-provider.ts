// The one interface every payment provider's adapter implements (DOMAIN.md section 8: payments go
// through a provider adapter). VNPay (vnpay.ts) and the national payment platform's slot
// (national-platform.ts) both fit it: create a payment and get the address to send the payer to,
// verify what comes back with the payer, verify and read the server-to-server notification
// (IPN) and answer it in the provider's own protocol, query an attempt's status, refund.
import type { ObligationLine } from './payment.table.js';

export const providerNames = ['vnpay', 'national'] as const;
export type ProviderName = (typeof providerNames)[number];

/** What the payer is sent to pay. */
export interface PaymentOrder {
  /** Our reference at the provider, unique per provider and day. */
  txnRef: string;
  /** Integer VND. */
  amount: number;
  /** What is paid, as the provider shows it. */
  description: string;
  createdAt: Date;
  expiresAt: Date;
  /** The payer's address as our server saw it (VNPay: vnp_IpAddr). */
  clientIp: string;
  locale: 'vi' | 'en';
  /** Where the provider sends the payer back (the return page, display only). */
  returnUrl: string;
  /** A bank or method chosen in advance (VNPay: vnp_BankCode); the provider asks otherwise. */
  bankCode?: string | undefined;
  /** The bill as the national platform shows it: dossier, procedure, agency, payer, fee lines. */
  bill: PaymentBill;
}

export interface PaymentBill {
  reference: string;
  agencyCode: string;
  agencyName: string;
  payerName: string;
  payerIdNumber: string;
  dossierCode?: string | undefined;
  procedureCode?: string | undefined;
  procedureName?: string | undefined;
  lines: ObligationLine[];
}

/** An attempt as the provider sees it. 'not_found': the provider has no such attempt (never opened). */
export type ProviderOutcome = 'paid' | 'failed' | 'pending' | 'refunded' | 'not_found';

/** What a provider said about an attempt, once its signature was checked. */
export interface ProviderReport {
  txnRef: string;
  outcome: ProviderOutcome;
  /** Integer VND as the provider reports it; null when it says nothing about the amount. */
  amount: number | null;
  /** The provider's own transaction number. */
  providerRef: string | null;
  bankCode: string | null;
  bankTxnNo: string | null;
  cardType: string | null;
  paidAt: Date | null;
  /** The provider's raw result code, for the record (VNPay: vnp_ResponseCode). */
  responseCode: string;
}

/** A callback checked signature first: 'signature' when it is missing or wrong, 'malformed' when
 *  the signature holds but the content cannot be read. */
export type Verified = { ok: true; report: ProviderReport } | { ok: false; reason: 'signature' | 'malformed' };

/** How a notification was handled, answered in the provider's protocol by answerIpn. */
export const ipnResults = ['confirmed', 'order_not_found', 'already_confirmed', 'invalid_amount', 'invalid_signature', 'unknown_error'] as const;
export type IpnResult = (typeof ipnResults)[number];

export interface CallbackRequest {
  query: Record<string, unknown>;
  body?: unknown;
}

export interface PaymentQuery {
  txnRef: string;
  amount: number;
  description: string;
  createdAt: Date;
  /** Our server's address, as the provider's API asks for it. */
  serverIp: string;
}

export interface RefundRequest {
  txnRef: string;
  /** Integer VND to pay back; the whole amount of the attempt. */
  amount: number;
  description: string;
  createdAt: Date;
  providerRef: string | null;
  /** Who asked for it (an officer's account, as text). */
  requestedBy: string;
  serverIp: string;
}

export interface RefundResult {
  ok: boolean;
  responseCode: string;
  /** The provider's own words, for the log and the officer. */
  message: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** The amounts the provider accepts, integer VND, inclusive. */
  readonly minAmount: number;
  readonly maxAmount: number;
  /** Builds (and for some providers registers) the payment; answers where to send the payer. */
  createPayment(order: PaymentOrder): Promise<{ redirectUrl: string }>;
  /** The payer's return: verified, for display only. */
  verifyReturn(query: Record<string, unknown>): Verified;
  /** The server-to-server notification: verified and read. */
  parseIpn(request: CallbackRequest): Verified;
  /** The body that answers a notification, in the provider's protocol. */
  answerIpn(result: IpnResult): Record<string, string>;
  /** Asks the provider for an attempt's status (its merchant API). Throws ProviderError. */
  queryStatus(query: PaymentQuery): Promise<ProviderReport>;
  /** Asks the provider to pay an attempt back. Throws ProviderError when it cannot be asked. */
  refund(request: RefundRequest): Promise<RefundResult>;
}

export type ProviderErrorReason = 'not_connected' | 'network' | 'signature' | 'protocol';

/** A provider could not be reached or answered something we cannot trust. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly reason: ProviderErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
