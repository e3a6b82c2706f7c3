// The electronic receipt (biên lai điện tử) of a paid attempt, as an official PDF through the
// document module's renderer: the agency that is owed, the payer, what was paid, the amount in
// figures and in words, the provider and its transaction number, and a QR code that opens the
// payment's page. Issued only for an attempt the provider confirmed (state paid).
import { maskIdNumber } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import { formatDateTime, vietnamDateParts } from '../../platform/text/vietnam-time.js';
import { renderOfficialPdf } from '../document/document.service.js';
import type { PaymentDeps } from './payment-deps.js';
import { findPaymentView } from './payment.repository.js';
import { vndInWords } from './vnd-words.js';

/** "Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp" → "Mỹ Tho": the place written before the date. */
function placeName(agencyName: string): string {
  return agencyName
    .split(',')[0]!
    .trim()
    .replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '')
    .replace(/^(tỉnh|thành phố|phường|xã|đặc khu|thị trấn|quận|huyện|thị xã)\s+/iu, '');
}

export function paymentPageUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/thanh-toan/giao-dich/${id}`;
}

export async function renderPaymentReceipt(deps: Pick<PaymentDeps, 'db' | 'publicUrl'>, paymentId: string, locale: Locale): Promise<{ fileName: string; pdf: Buffer }> {
  const view = await findPaymentView(deps.db, paymentId);
  if (!view || view.state !== 'paid' || !view.paidAt) throw new AppError('not_found', 'payment.error.noReceipt');
  const t = translator(locale);
  const parent = view.agencyParentId ? await deps.db.selectFrom('agency').select('name').where('id', '=', view.agencyParentId).executeTakeFirst() : undefined;
  const vnd = new Intl.NumberFormat('vi-VN');
  const paidAt = new Date(view.paidAt);
  const provider = t(`payment.provider.${view.provider}` as MessageKey);
  const pdf = await renderOfficialPdf({
    ...(parent ? { parentAgency: parent.name.toUpperCase() } : {}),
    issuingAgency: view.agencyName.toUpperCase(),
    reference: t('payment.receipt.number', { number: view.txnRef }),
    placeAndDate: t('payment.receipt.place', { place: placeName(view.agencyName), ...vietnamDateParts(paidAt) }),
    title: t('payment.receipt.title'),
    intro: [t('payment.receipt.intro', { agency: view.agencyName })],
    fields: [
      { label: t('payment.receipt.payer'), value: view.payerName },
      { label: t('payment.receipt.payerId'), value: maskIdNumber(view.payerIdNumber) },
      { label: t('payment.receipt.kind'), value: t(`payment.kind.${view.kind}` as MessageKey) },
      { label: t('payment.receipt.reference'), value: view.reference },
      { label: t('payment.receipt.description'), value: view.description },
      { label: t('payment.receipt.amount'), value: `${vnd.format(view.amount)} ${t('payment.receipt.dong')}` },
      { label: t('payment.receipt.words'), value: vndInWords(view.amount) },
      { label: t('payment.receipt.method'), value: view.bankCode ? t('payment.receipt.methodBank', { provider, bank: view.bankCode }) : provider },
      { label: t('payment.receipt.providerRef'), value: view.providerRef ?? '—' },
      { label: t('payment.receipt.paidAt'), value: formatDateTime(locale, paidAt) },
    ],
    table: {
      caption: t('payment.receipt.lines'),
      headers: [t('payment.receipt.col.no'), t('payment.receipt.col.label'), t('payment.receipt.col.amount')],
      rows: [...view.lines.map((l, i) => [String(i + 1), l.label, vnd.format(l.amount)]), ['', t('payment.receipt.total'), vnd.format(view.total)]],
    },
    closing: [t('payment.receipt.closing')],
    signature: { title: t('payment.receipt.signer') },
    qr: { url: paymentPageUrl(deps.publicUrl, view.id), caption: t('payment.receipt.qr') },
    metadata: { title: `${t('payment.receipt.title')} ${view.txnRef}`, subject: view.description },
  });
  return { fileName: `bien-lai-${view.txnRef}.pdf`, pdf };
}
