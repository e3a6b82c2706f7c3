// Attempt → what leaves the server: a whitelist (the payer's name and identity number stay in).
import { translate, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import type { PaymentView } from './payment.repository.js';
import { paymentPageUrl } from './payment-receipt.js';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

export function receiptPath(id: string): string {
  return `/thanh-toan/giao-dich/${id}/bien-lai.pdf`;
}

export function presentPaymentStatus(view: PaymentView, locale: Locale, publicUrl: string) {
  return {
    id: view.id,
    state: view.state,
    stateText: translate(locale, `payment.state.${view.state}` as MessageKey),
    provider: view.provider,
    txnRef: view.txnRef,
    amount: view.amount,
    providerRef: view.providerRef,
    paidAt: iso(view.paidAt),
    expiresAt: iso(view.expiresAt)!,
    obligation: {
      kind: view.kind,
      kindText: translate(locale, `payment.kind.${view.kind}` as MessageKey),
      reference: view.reference,
      description: view.description,
      agency: view.agencyName,
      status: view.obligationStatus,
    },
    receiptUrl: view.state === 'paid' ? `${publicUrl}${receiptPath(view.id)}` : null,
    pageUrl: paymentPageUrl(publicUrl, view.id),
  };
}
