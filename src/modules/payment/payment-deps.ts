// What the payment use cases need from the app, passed in explicitly (no container): the
// database, the job registry (the reconciliation job is queued with each attempt), the providers
// the configuration names, and the hook through which the dossier side reacts to a payment.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import type { JobRegistry } from '../../platform/outbox/registry.js';
import type { PaymentProvider, ProviderName } from './payment-provider.js';
import type { PaymentObligationTable } from './payment.table.js';
import { createVnpayProvider } from './vnpay.js';

export type PaymentObligation = Selectable<PaymentObligationTable>;

export interface PaymentDeps {
  db: Kysely<DB>;
  jobs: JobRegistry;
  providers: Partial<Record<ProviderName, PaymentProvider>>;
  /** The provider a new payment goes to. */
  defaultProvider: ProviderName;
  publicUrl: string;
  /**
   * Runs in the transaction that credits an obligation, once per obligation: the dossier side
   * moves a dossier out of status 6 here, so that the payment and its effect commit together.
   */
  onObligationPaid?: ((trx: Transaction<DB>, obligation: PaymentObligation) => Promise<void>) | undefined;
  /** Our server's address, sent to the provider's API (VNPay: vnp_IpAddr of querydr and refund). */
  serverIp: string;
  now: () => Date;
}

export interface PaymentDepsOptions {
  providers?: Partial<Record<ProviderName, PaymentProvider>>;
  onObligationPaid?: PaymentDeps['onObligationPaid'];
  now?: () => Date;
}

/** The payment use cases' dependencies from the configuration (the web app and the workers build the same). */
export function createPaymentDeps(config: Config, db: Kysely<DB>, jobs: JobRegistry, options: PaymentDepsOptions = {}): PaymentDeps {
  const providers = options.providers ?? (config.vnpay ? { vnpay: createVnpayProvider(config.vnpay) } : {});
  return {
    db,
    jobs,
    providers,
    defaultProvider: 'vnpay',
    publicUrl: config.publicUrl,
    onObligationPaid: options.onObligationPaid,
    serverIp: '127.0.0.1',
    now: options.now ?? (() => new Date()),
  };
}

/** Origins a payment form may lead to (the CSP's form-action: our form redirects to the provider). */
export function paymentFormOrigins(config: Config): string[] {
  return config.vnpay ? [new URL(config.vnpay.paymentUrl).origin] : [];
}
