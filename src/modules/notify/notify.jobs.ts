// The `notify.email` outbox job: render the queued template, hand the message to the mail
// transport chosen at startup, log one line without personal data. A throw (SMTP down, a
// rejected message) makes the outbox retry with backoff and, after the last attempt, park the
// job dead with the error's message, which carries no address and no body (toMailSendError).
import { defineJob, type JobDefinition } from '../../platform/outbox/registry.js';
import { NotifyError } from './notify-error.js';
import { emailJobPayload, NOTIFY_EMAIL, type EmailJobPayload } from './notify.schemas.js';
import { renderUntrusted } from './notify.templates.js';
import type { MailTransport } from './notify.transport.js';

export interface NotifyJobsOptions {
  transport: MailTransport;
  /**
   * Attempts before an email is parked dead. With the worker's default backoff (full jitter,
   * 1 s doubling, capped at 1 h) 12 attempts span up to about an hour of SMTP outage.
   */
  maxAttempts?: number;
}

/** The notify module's job definitions, bound to the transport the configuration chose. */
export function createNotifyJobs(options: NotifyJobsOptions): readonly JobDefinition<never>[] {
  const { transport } = options;
  const email = defineJob<unknown>({
    type: NOTIFY_EMAIL,
    maxAttempts: options.maxAttempts ?? 12,
    async handle(payload, ctx) {
      const job = checkPayload(payload);
      const rendered = renderUntrusted(job.template, job.locale, job.params);
      const sent = await transport.send({ mailId: job.mailId, to: job.to, locale: job.locale, ...rendered });
      // The template and the Message-ID only: never the address, the subject or the body.
      if (sent.inboxPath) ctx.log.info({ template: job.template, messageId: sent.messageId, inbox: sent.inboxPath }, 'email kept in the developer inbox');
      else ctx.log.info({ template: job.template, messageId: sent.messageId, transport: transport.kind }, 'email sent');
    },
  });
  return [email];
}

function checkPayload(payload: unknown): EmailJobPayload {
  if (emailJobPayload.Check(payload)) return payload;
  const fields = [...new Set([...emailJobPayload.Errors(payload)].map((e) => e.instancePath || '(payload)'))].join(', ');
  throw new NotifyError('payload_invalid', `notify.email payload is invalid at ${fields}`);
}
