// The one state graph of a payment attempt, and the reconciliation report's flags.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { findPaymentTransition, paymentStates, paymentTransitions, renderPaymentDiagram, type PaymentState } from './payment-states.js';
import { paymentFlags } from './payment-report.js';

describe('the payment state graph', () => {
  test('only the provider (IPN or query) makes an attempt paid; the payer and the return page never do', () => {
    for (const t of paymentTransitions.filter((t) => t.to === 'paid')) assert.deepEqual([...t.by].sort(), ['ipn', 'reconciliation'], t.action);
    assert.equal(findPaymentTransition('confirm', 'paid'), undefined, 'paid is never paid again');
    assert.equal(findPaymentTransition('confirm_late', 'paid'), undefined);
  });

  test('created → pending → paid | failed | expired | refunded; refunded only from paid; a late payment from expired or failed', () => {
    assert.deepEqual(
      paymentTransitions.filter((t) => t.to === 'refunded').flatMap((t) => t.from),
      ['paid'],
    );
    assert.deepEqual(findPaymentTransition('confirm_late', 'expired')?.to, 'paid');
    assert.deepEqual(findPaymentTransition('confirm_late', 'failed')?.to, 'paid');
    assert.equal(findPaymentTransition('expire', 'paid'), undefined);
    // Every state is reachable from the start.
    const reached = new Set<PaymentState | null>([null]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of paymentTransitions) if (t.from.some((f) => reached.has(f)) && !reached.has(t.to)) (reached.add(t.to), (grew = true));
    }
    assert.deepEqual([...paymentStates].filter((s) => !reached.has(s)), []);
  });

  test('decision 008 shows the diagram rendered from this table', () => {
    const doc = fs.readFileSync(new URL('../../../docs/decisions/008-payments.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(renderPaymentDiagram()), 'regenerate the diagram in docs/decisions/008-payments.md from renderPaymentDiagram()');
  });
});

describe('the reconciliation flags', () => {
  const now = new Date('2026-11-28T05:00:00Z');
  const row = { id: 'p1', state: 'paid' as PaymentState, providerStatus: 'paid' as const, providerAmount: 400_000, amount: 400_000, refundDue: false, paidPaymentId: 'p1', providerRef: '14000001', expiresAt: new Date('2026-11-28T04:00:00Z') };

  test('a paid attempt that agrees with the gateway and credited its obligation has no flag', () => {
    assert.deepEqual(paymentFlags(row, now), []);
  });

  test('each disagreement is named', () => {
    assert.deepEqual(paymentFlags({ ...row, state: 'pending', providerStatus: null, providerAmount: null, paidPaymentId: null, providerRef: null }, now), ['open_past_deadline']);
    assert.deepEqual(paymentFlags({ ...row, refundDue: true, paidPaymentId: 'p0' }, now), ['refund_due']);
    assert.deepEqual(paymentFlags({ ...row, providerAmount: 300_000 }, now), ['amount_mismatch']);
    assert.deepEqual(paymentFlags({ ...row, providerStatus: 'failed' }, now), ['state_mismatch']);
    assert.deepEqual(paymentFlags({ ...row, paidPaymentId: null }, now), ['not_credited']);
    assert.deepEqual(paymentFlags({ ...row, providerRef: null }, now), ['no_provider_ref']);
    assert.deepEqual(paymentFlags({ ...row, state: 'expired', providerStatus: 'paid', paidPaymentId: null }, now), ['state_mismatch']);
    assert.deepEqual(paymentFlags({ ...row, state: 'expired', providerStatus: 'not_found', paidPaymentId: null }, now), []);
  });
});
