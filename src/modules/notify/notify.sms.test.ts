import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogSmsSender, createSmsJobs, maskPhone, NOTIFY_SMS, toSmsText } from './notify.sms.js';

describe('SMS', () => {
  test('texts go without diacritics, so that one part carries 160 characters', () => {
    assert.equal(toSmsText('Hồ sơ đã được tiếp nhận — Đồng Tháp'), 'Ho so da duoc tiep nhan Dong Thap');
  });

  test('numbers are masked in logs', () => {
    assert.equal(maskPhone('0912345678'), '09******78');
  });

  test('the development driver logs the message with the number masked, and the job refuses a bad payload', async () => {
    const lines: unknown[] = [];
    const log = { info: (o: unknown, msg?: string) => lines.push(o, msg), warn: () => {}, error: () => {} };
    const sent = await createLogSmsSender(log).send({ to: '0912345678', text: 'Ho so 000.00.51.H20-261128-0001' });
    assert.match(sent.reference, /^log-/);
    assert.ok(!JSON.stringify(lines).includes('0912345678'), 'no full number in the log');
    assert.ok(JSON.stringify(lines).includes('09******78'));
    const [job] = createSmsJobs();
    assert.equal(job!.type, NOTIFY_SMS);
    const ctx = { db: undefined as never, jobId: 1, attempt: 1, maxAttempts: 8, log };
    await assert.rejects(() => (job as unknown as { handle(p: unknown, c: unknown): Promise<void> }).handle({ to: '12', text: 'x' }, ctx), /invalid/);
    await (job as unknown as { handle(p: unknown, c: unknown): Promise<void> }).handle({ to: '0912345678', text: 'Ho so' }, ctx);
    assert.ok(JSON.stringify(lines).includes('sms handed to the driver'));
  });
});
