// The notify module's public surface for other modules. queueEmail writes a `notify.email`
// outbox job in the caller's transaction: a rolled-back change sends nothing, a committed one
// is sent by a worker (at least once; the Message-ID is fixed here so that repeats are dedupable).
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import type { EnqueueOptions } from '../../platform/outbox/outbox.js';
import type { JobRegistry } from '../../platform/outbox/registry.js';
import { NotifyError } from './notify-error.js';
import { isEmailAddress, NOTIFY_EMAIL, type EmailJobPayload } from './notify.schemas.js';
import { checkParams, isEmailTemplateName, renderEmail, type EmailTemplateName, type EmailTemplateParams } from './notify.templates.js';

export { NotifyError, type NotifyErrorCode } from './notify-error.js';
export { emailTemplateNames, type EmailTemplateName, type EmailTemplateParams, type RenderedEmail } from './notify.templates.js';
export { isEmailAddress, NOTIFY_EMAIL } from './notify.schemas.js';
export { queueSms, NOTIFY_SMS, maskPhone, toSmsText, createLogSmsSender, type SmsSender } from './notify.sms.js';

export interface QueueEmailInput<T extends EmailTemplateName> {
  /** One address, e.g. citizen@example.vn (no display name). */
  to: string;
  template: T;
  locale: Locale;
  params: EmailTemplateParams[T];
}

/**
 * Queues an email in the caller's transaction; returns the outbox job id. The template, the
 * address and the parameters are checked here, so a bad call fails the caller's change rather
 * than a worker later.
 */
export async function queueEmail<T extends EmailTemplateName>(
  registry: JobRegistry,
  trx: Transaction<DB>,
  input: QueueEmailInput<T>,
  options: EnqueueOptions = {},
): Promise<number> {
  if (!isEmailTemplateName(input.template)) {
    throw new NotifyError('template_unknown', `Email template ${JSON.stringify(String(input.template)).slice(0, 80)} does not exist`);
  }
  const to = typeof input.to === 'string' ? input.to.trim() : input.to;
  if (!isEmailAddress(to)) {
    throw new NotifyError('address_invalid', `Email template "${input.template}": the recipient is not a single email address`);
  }
  const params = checkParams(input.template, input.params);
  renderEmail(input.template, input.locale, params); // fails now, in the caller's transaction, if it cannot render
  const payload: EmailJobPayload = { mailId: randomUUID(), to, template: input.template, locale: input.locale, params };
  return registry.enqueue(trx, NOTIFY_EMAIL, payload, options);
}
