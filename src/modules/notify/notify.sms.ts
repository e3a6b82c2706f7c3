// SMS: one adapter interface for whatever SMS gateway (brandname) the province contracts, and a
// development driver that only logs. Messages go out through the `notify.sms` outbox job, queued
// in the caller's transaction like emails. Texts are sent without diacritics: an unaccented SMS
// fits 160 characters per part, a Unicode one only 70.
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { defineJob, type JobDefinition, type JobLogger, type JobRegistry } from '../../platform/outbox/registry.js';
import { NotifyError } from './notify-error.js';

export const NOTIFY_SMS = 'notify.sms';

/** A Vietnamese mobile number as people write it: 10 digits starting with 0. */
export const PhoneNumberSchema = Type.String({ pattern: '^0\\d{9}$' });

const SmsJobPayloadSchema = Type.Object({ to: PhoneNumberSchema, text: Type.String({ minLength: 1, maxLength: 480 }) }, { additionalProperties: false });
export type SmsJobPayload = Static<typeof SmsJobPayloadSchema>;
const smsJobPayload = Compile(SmsJobPayloadSchema);

export interface SmsSender {
  readonly kind: string;
  send(message: SmsJobPayload): Promise<{ reference: string }>;
}

/** Keeps a number recognisable to its owner in logs without writing it out: 09******78. */
export function maskPhone(phone: string): string {
  return phone.length < 5 ? '***' : `${phone.slice(0, 2)}${'*'.repeat(phone.length - 4)}${phone.slice(-2)}`;
}

/** The development driver: writes the message to the log, with the number masked. */
export function createLogSmsSender(log: JobLogger): SmsSender {
  let counter = 0;
  return {
    kind: 'log',
    async send(message) {
      counter += 1;
      const reference = `log-${Date.now()}-${counter}`;
      log.info({ sms: { to: maskPhone(message.to), text: message.text, reference } }, 'sms (development driver: logged, not sent)');
      return { reference };
    },
  };
}

/** Folds Vietnamese letters to ASCII for an SMS (đ → d, ơ → o, …). */
export function toSmsText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Queues an SMS in the caller's transaction; a bad number fails the caller's change. */
export async function queueSms(registry: JobRegistry, trx: Transaction<DB>, message: { to: string; text: string }): Promise<number> {
  const payload = { to: message.to.trim(), text: toSmsText(message.text).slice(0, 480) };
  if (!smsJobPayload.Check(payload)) throw new NotifyError('address_invalid', 'SMS: the recipient is not a 10-digit mobile number');
  return registry.enqueue(trx, NOTIFY_SMS, payload);
}

/** The `notify.sms` job, bound to the sender chosen at startup (the log driver when none is). */
export function createSmsJobs(sender?: SmsSender): readonly JobDefinition<never>[] {
  const sms = defineJob<unknown>({
    type: NOTIFY_SMS,
    maxAttempts: 8,
    async handle(payload, ctx) {
      if (!smsJobPayload.Check(payload)) throw new NotifyError('payload_invalid', 'notify.sms payload is invalid');
      const driver = sender ?? createLogSmsSender(ctx.log);
      const sent = await driver.send(payload);
      ctx.log.info({ reference: sent.reference, driver: driver.kind }, 'sms handed to the driver');
    },
  });
  return [sms];
}
