// What the payment tests share: an app on a fresh database that listens on 127.0.0.1 (the sandbox
// gateway calls its IPN over HTTP), the sandbox gateway pointed at it, obligations, and a payer's
// browser at the gateway (open the payment page, press "Thanh toán" or "Hủy", follow the redirect).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { DB } from '../../db/schema.js';
import { createPaymentDeps, type PaymentDeps, type PaymentDepsOptions } from './payment-deps.js';
import { insertObligation, type ObligationInput } from './payment-obligations.js';
import type { ObligationRow } from './payment.repository.js';
import { startPaymentSandbox, type PaymentSandbox } from './sandbox/sandbox.js';
import { canonicalQuery, signParams } from './vnpay-sign.js';

export const TMN_CODE = 'TESTMC01';
export const COMMUNE_A = '000.00.51.H20';
export const COMMUNE_B = '000.00.52.H20';

/** The app as createTestApp gives it, built with the payment options (providers, the hook). */
export type PaymentApp = TestApp;

export interface PaymentBed {
  t: PaymentApp;
  db: Kysely<DB>;
  sandbox: PaymentSandbox;
  secret: string;
  /** The payment deps as the app has them, at another time if asked (the reconciliation job's clock). */
  deps(options?: PaymentDepsOptions): PaymentDeps;
  close(): Promise<void>;
}

export async function createPaymentBed(options: { env?: Record<string, string>; payment?: PaymentDepsOptions; port?: number } = {}): Promise<PaymentBed> {
  const secret = randomBytes(16).toString('hex').toUpperCase();
  const sandbox = await startPaymentSandbox({ merchants: [{ tmnCode: TMN_CODE, hashSecret: secret }] });
  const t = await createTestApp({ env: { VNPAY_TMN_CODE: TMN_CODE, VNPAY_HASH_SECRET: secret, VNPAY_PAYMENT_URL: sandbox.paymentUrl, VNPAY_API_URL: sandbox.apiUrl, PAYMENT_LOOKUPS_PER_MINUTE: '0', ...options.env }, ...(options.payment ? { payment: options.payment } : {}) });
  await t.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  sandbox.setMerchant({ tmnCode: TMN_CODE, hashSecret: secret, ipnUrl: `http://127.0.0.1:${port}/api/v1/payments/vnpay/ipn` });
  const db = t.database.db;
  return {
    t,
    db,
    sandbox,
    secret,
    deps: (o = {}) => createPaymentDeps(t.config, db, t.jobs, { ...options.payment, ...o }),
    async close() {
      await sandbox.close();
      await t.close();
    },
  };
}

let serial = 0;

/** A standalone obligation (a fine by default) owed at commune A. */
export async function addObligation(db: Kysely<DB>, overrides: Partial<ObligationInput> & { agencyCode?: string } = {}): Promise<ObligationRow> {
  serial += 1;
  const agency = await db.selectFrom('agency').select('id').where('code', '=', overrides.agencyCode ?? COMMUNE_A).executeTakeFirstOrThrow();
  const { agencyCode: _ignored, ...input } = overrides;
  return db.transaction().execute((trx) =>
    insertObligation(trx, {
      kind: 'fine',
      reference: `${serial}/QĐ-XPHC-${randomBytes(3).toString('hex')}`,
      description: 'Phạt vi phạm hành chính trong lĩnh vực giao thông',
      payerName: 'Trần Thị Bích',
      payerIdNumber: '087190001111',
      agencyId: agency.id,
      lines: [{ label: 'Tiền phạt', amount: 400_000 }],
      ...input,
    }),
  );
}

/** The payer opens the gateway's page; answers the transaction's form reference. */
export async function openGateway(redirectUrl: string): Promise<{ status: number; html: string; ref: string | undefined }> {
  const response = await fetch(redirectUrl);
  const html = await response.text();
  return { status: response.status, html, ref: /name="ref" value="([0-9a-f]+)"/.exec(html)?.[1] };
}

/** The payer presses "Thanh toán" (pay) or "Hủy" (cancel); answers where the gateway sends them back. */
export async function actAtGateway(sandbox: PaymentSandbox, ref: string, action: 'pay' | 'cancel', bank = 'NCB'): Promise<{ status: number; location: string }> {
  const response = await fetch(`${sandbox.url}/paymentv2/xac-nhan`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ref, action, bank }).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') ?? '' };
}

/** Opens the page and acts in one go; answers the return address (path and query, for inject). */
export async function payAtGateway(sandbox: PaymentSandbox, redirectUrl: string, action: 'pay' | 'cancel' = 'pay'): Promise<string> {
  const page = await openGateway(redirectUrl);
  if (page.status !== 200 || !page.ref) throw new Error(`the gateway refused the payment page: ${page.status} ${page.html.slice(0, 300)}`);
  const done = await actAtGateway(sandbox, page.ref, action);
  if (done.status !== 303) throw new Error(`the gateway answered ${done.status}`);
  return returnPath(done.location);
}

export function returnPath(location: string): string {
  const url = new URL(location);
  return `${url.pathname}${url.search}`;
}

/** A callback signed with a secret (ours, to make an unknown order; another, to forge). */
export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${canonicalQuery(params)}&vnp_SecureHash=${signParams(params, secret)}`;
}

export async function auditCount(db: Kysely<DB>, action: string, objectId?: string): Promise<number> {
  let q = db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
  if (objectId) q = q.where('objectId', '=', objectId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function eventsOf(db: Kysely<DB>, paymentId: string): Promise<string[]> {
  return (await db.selectFrom('paymentEvent').select('action').where('paymentId', '=', paymentId).orderBy('id').execute()).map((e) => e.action);
}

export async function rowCount(db: Kysely<DB>, table: 'payment' | 'paymentEvent' | 'paymentObligation'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}
