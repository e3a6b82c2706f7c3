// The payment configuration: the VNPay merchant's four variables together or none (none: the
// sandbox gateway in development), https in production, and the secret never echoed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.js';
import { paymentFormOrigins } from './payment-deps.js';
import { loadSandboxSecret, startDemoPaymentSandbox } from './sandbox/demo.js';

const vnpay = { VNPAY_TMN_CODE: 'DTP00001', VNPAY_HASH_SECRET: 'SUPERSECRETHASHKEY1234567890ABCD', VNPAY_PAYMENT_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html', VNPAY_API_URL: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction' };

test('VNPay: none set is no merchant; all four set is the merchant; the CSP lets the payment form lead there', () => {
  assert.equal(loadConfig({}).vnpay, undefined);
  assert.equal(loadConfig({}).paymentLookupsPerMinute, 30);
  const config = loadConfig(vnpay);
  assert.deepEqual(config.vnpay, { tmnCode: 'DTP00001', hashSecret: vnpay.VNPAY_HASH_SECRET, paymentUrl: vnpay.VNPAY_PAYMENT_URL, apiUrl: vnpay.VNPAY_API_URL });
  assert.deepEqual(paymentFormOrigins(config), ['https://sandbox.vnpayment.vn']);
});

test('VNPay: some but not all, a short secret, http in production: each reported, the secret never echoed', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /SUPERSECRET|short-one/);
      return error.problems;
    }
  };
  assert.match(problems({ VNPAY_TMN_CODE: 'DTP00001', VNPAY_HASH_SECRET: vnpay.VNPAY_HASH_SECRET }).join('\n'), /phải được đặt cùng nhau/);
  assert.match(problems({ ...vnpay, VNPAY_HASH_SECRET: 'short-one' }).join('\n'), /VNPAY_HASH_SECRET quá ngắn/);
  assert.match(problems({ ...vnpay, VNPAY_TMN_CODE: 'mã sai!' }).join('\n'), /VNPAY_TMN_CODE/);
  const production = problems({ ...vnpay, VNPAY_PAYMENT_URL: 'http://pay.example.vn/paymentv2/vpcpay.html', NODE_ENV: 'production', PUBLIC_URL: 'https://dvc.example.vn', SMTP_URL: 'smtp://mail.example.vn' });
  assert.deepEqual(production.length, 1);
  assert.match(production[0]!, /VNPAY_PAYMENT_URL phải bắt đầu bằng https:/);
});

test('demo mode: the sandbox starts when no merchant is configured outside production, with a secret kept in DATA_DIR/keys', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pay-'));
  try {
    assert.equal(await startDemoPaymentSandbox(loadConfig({ ...vnpay, DATA_DIR: dataDir })), undefined, 'a configured merchant needs no sandbox');
    assert.equal(await startDemoPaymentSandbox(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dvc.example.vn', SMTP_URL: 'smtp://mail.example.vn', DATA_DIR: dataDir })), undefined, 'never in production');
    const demo = await startDemoPaymentSandbox(loadConfig({ DATA_DIR: dataDir }));
    assert.ok(demo);
    try {
      assert.match(demo.sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(demo.config.vnpay?.paymentUrl, `${demo.sandbox.url}/paymentv2/vpcpay.html`);
      const file = path.join(dataDir, 'keys', 'vnpay-sandbox.secret');
      assert.equal(fs.readFileSync(file, 'utf8').trim(), demo.config.vnpay?.hashSecret);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(loadSandboxSecret(dataDir), demo.config.vnpay?.hashSecret, 'the same secret on the next start');
      const index = await fetch(`${demo.sandbox.url}/`);
      assert.equal(index.status, 200);
    } finally {
      await demo.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
