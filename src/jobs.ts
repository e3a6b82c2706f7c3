// Every outbox job type of the product, from every module. The registry built from this list is
// checked at boot: a type with two handlers stops the start. Some jobs need what the configuration
// chose (the mail driver), so the list is built from the configuration and the database.
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { DB } from './db/schema.js';
import { createNotifyJobs } from './modules/notify/notify.jobs.js';
import { createSmsJobs, type SmsSender } from './modules/notify/notify.sms.js';
import { createMailTransport } from './modules/notify/notify.transport.js';
import { createJobRegistry, type JobDefinition, type JobRegistry } from './platform/outbox/registry.js';
import { createDigestJobs } from './modules/workflow/digest.js';
import { resumeAfterPayment } from './modules/workflow/dossier-fees.js';
import { createPaymentDeps, createPaymentJobs, type PaymentDepsOptions } from './modules/payment/payment.service.js';

export interface JobDeps {
  config: Config;
  db: Kysely<DB>;
  /** The SMS gateway's adapter; without one, messages are only logged (development). */
  sms?: SmsSender;
  /** Payment providers and hooks, as given to buildApp (AppDeps.payment). */
  payment?: PaymentDepsOptions;
}

export function createJobDefinitions({ config, db, sms, payment }: JobDeps): readonly JobDefinition<never>[] {
  const mail = createMailTransport({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, db });
  // The digest job queues emails: it enqueues through a registry of these same definitions.
  let registry: JobRegistry | undefined;
  const definitions: readonly JobDefinition<never>[] = [
    ...createNotifyJobs({ transport: mail }),
    ...createSmsJobs(sms),
    ...createDigestJobs({ db, publicUrl: config.publicUrl, registry: (): JobRegistry => (registry ??= createJobRegistry(definitions)) }),
    // A reconciliation that finds a fee paid resumes its dossier, as the IPN does.
    ...createPaymentJobs(() => {
      const jobs = (registry ??= createJobRegistry(definitions));
      return createPaymentDeps(config, db, jobs, { onObligationPaid: (trx, obligation) => resumeAfterPayment(trx, { jobs, publicUrl: config.publicUrl }, obligation), ...payment });
    }),
  ];
  return definitions;
}
