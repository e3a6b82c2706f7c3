// The sandbox gateway's pages: the payment page a payer sees (Vietnamese or English after
// vnp_Locale, no script: a real form with "Thanh toán" and "Hủy") and its error page. They imitate
// a provider's pages, outside the portal's layout, with the text in the message catalogue.
import { render } from 'preact-render-to-string';
import type { ComponentChildren } from 'preact';
import { translate, type Locale, type MessageKey } from '../../../platform/i18n/i18n.js';

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1b1f24}
main{max-width:34rem;margin:2rem auto;background:#fff;border:1px solid #d0d7de;padding:1.5rem}
h1{font-size:1.4rem;margin-top:0}.brand{background:#005baa;color:#fff;padding:.75rem 1rem;font-weight:700}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#57606a}dd{margin:0;font-weight:600}
.amount{font-size:1.6rem;color:#005baa}fieldset{border:0;padding:0;margin:1rem 0}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border:0;cursor:pointer}
.pay{background:#00703c;color:#fff}.cancel{background:#d0d7de}.note{font-size:.9rem;color:#57606a}
.error{border-left:5px solid #d4351c;padding-left:1rem}:focus{outline:3px solid #fd0}`;

export interface PaymentPageData {
  locale: Locale;
  ref: string;
  tmnCode: string;
  txnRef: string;
  orderInfo: string;
  amount: number;
  expiresAt: Date;
  bankCode: string | undefined;
}

const BANKS = ['NCB', 'VCB', 'VNPAYQR'] as const;

function Shell({ locale, title, children }: { locale: Locale; title: string; children: ComponentChildren }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <div class="brand">{translate(locale, 'payment.sandbox.brand')}</div>
        <main>{children}</main>
      </body>
    </html>
  );
}

function vnd(locale: Locale, amount: number): string {
  return `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(amount)} VND`;
}

function time(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
}

export function paymentPage(d: PaymentPageData): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(d.locale, key, params);
  return `<!doctype html>${render(
    <Shell locale={d.locale} title={t('payment.sandbox.title')}>
      <h1>{t('payment.sandbox.title')}</h1>
      <dl>
        <dt>{t('payment.sandbox.merchant')}</dt>
        <dd>{d.tmnCode}</dd>
        <dt>{t('payment.sandbox.orderInfo')}</dt>
        <dd>{d.orderInfo}</dd>
        <dt>{t('payment.sandbox.txnRef')}</dt>
        <dd>{d.txnRef}</dd>
        <dt>{t('payment.sandbox.amount')}</dt>
        <dd class="amount">{vnd(d.locale, d.amount)}</dd>
        <dt>{t('payment.sandbox.expires')}</dt>
        <dd>{time(d.locale, d.expiresAt)}</dd>
      </dl>
      <form method="post" action="/paymentv2/xac-nhan">
        <input type="hidden" name="ref" value={d.ref} />
        {d.bankCode ? (
          <input type="hidden" name="bank" value={d.bankCode} />
        ) : (
          <fieldset>
            <legend>{t('payment.sandbox.bank')}</legend>
            {BANKS.map((bank, i) => (
              <div>
                <input type="radio" id={`bank-${bank}`} name="bank" value={bank} checked={i === 0} />
                <label for={`bank-${bank}`}>{bank}</label>
              </div>
            ))}
          </fieldset>
        )}
        <p>
          <button class="pay" type="submit" name="action" value="pay">
            {t('payment.sandbox.pay')}
          </button>
          <button class="cancel" type="submit" name="action" value="cancel">
            {t('payment.sandbox.cancel')}
          </button>
        </p>
      </form>
      <p class="note">{t('payment.sandbox.note')}</p>
    </Shell>,
  )}`;
}

export function errorPage(locale: Locale, code: string, message: MessageKey): string {
  return `<!doctype html>${render(
    <Shell locale={locale} title={translate(locale, 'payment.sandbox.errorTitle')}>
      <div class="error">
        <h1>{translate(locale, 'payment.sandbox.errorTitle')}</h1>
        <p>{translate(locale, message)}</p>
        <p class="note">{translate(locale, 'payment.sandbox.errorCode', { code })}</p>
      </div>
    </Shell>,
  )}`;
}
