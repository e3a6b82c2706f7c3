// buildApp(deps): registers the platform plugins and every module. It never listens and never
// starts workers, so tests drive it through inject() and main.ts decides how it runs.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { registerErrorHandling } from './platform/errors/error-handler.js';
import { registerAssets } from './platform/http/assets.js';
import { registerHealth } from './platform/http/health.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import './platform/http/actor-request.js';
import { loggerOptions } from './platform/http/logger.js';
import { createMetrics, registerMetrics, type Metrics } from './platform/http/metrics.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { configureSearchCache } from './modules/catalog/catalog.service.js';
import { catalogPages } from './modules/catalog/catalog.pages.js';
import { organizationRoutes } from './modules/organization/organization.routes.js';
import { devInboxPages } from './modules/notify/notify.pages.js';
import { calendarPages } from './modules/calendar/calendar.pages.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { calendarAdminPages } from './modules/calendar/calendar-admin.pages.js';
import { createJobDefinitions } from './jobs.js';
import { backOfficeIdentityPages } from './modules/identity/backoffice.pages.js';
import { identityHooks } from './modules/identity/identity.plugin.js';
import { identityPages } from './modules/identity/identity.pages.js';
import { personalTokenPages } from './modules/identity/personal-tokens.pages.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import type { IdentityDeps } from './modules/identity/identity.service.js';
import { createVneidClient, type VneidClient } from './modules/identity/vneid/vneid-client.js';
import { AppError } from './platform/errors/app-error.js';
import { registerCsrf } from './platform/http/csrf.js';
import { createJobRegistry, type JobRegistry } from './platform/outbox/registry.js';
import { createSecretBox, type SecretBox } from './platform/security/secrets.js';
import { createDiskStorage, noScanner, storageTempDir, type FileScanner, type FileStorage } from './modules/document/document.service.js';
import { dossierPages } from './modules/dossier/dossier.pages.js';
import { dossierRoutes } from './modules/dossier/dossier.routes.js';
import type { DossierDeps } from './modules/dossier/dossier.service.js';
import { presentOfficerDossier, workflowRoutes } from './modules/workflow/workflow.routes.js';
import { workflowPages } from './modules/workflow/workflow.pages.js';
import { walkInPages } from './modules/workflow/walk-in.pages.js';
import { resumeAfterPayment } from './modules/workflow/dossier-fees.js';
import { OfficerDossierSchema, WalkInBodySchema, WalkInResultSchema } from './modules/workflow/workflow.schemas.js';
import { attachScan, receiveWalkIn, type WalkInInput } from './modules/workflow/walk-in.js';
import { getOfficerDossier } from './modules/workflow/workflow.service.js';
import { resolveLocale } from './platform/http/locale.js';
import { signaturePages, signatureRoutes } from './modules/signature/signature.service.js';
import { paymentRoutes } from './modules/payment/payment.routes.js';
import { paymentPages } from './modules/payment/payment.pages.js';
import { createPaymentDeps, paymentFormOrigins, type PaymentDepsOptions } from './modules/payment/payment.service.js';

export interface AppDeps {
  config: Config;
  database: Database;
  /** The 32-byte key that seals stored secrets (config SECRET_KEY, or DATA_DIR/keys). */
  secretKey: Buffer;
  metrics?: Metrics;
  /** The job registry shared with the workers; built from the configuration when absent. */
  jobs?: JobRegistry;
  /** Overrides the national eID client built from config.oidc (tests). */
  vneid?: VneidClient;
  /** Where uploaded files live; the disk under DATA_DIR/files when absent. */
  storage?: FileStorage;
  /** The antivirus hook for uploads; none by default. */
  scanner?: FileScanner;
  /** Payment providers (instead of those the configuration names) and the hook run when an obligation is paid. */
  payment?: PaymentDepsOptions;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** What the submission and back-office use cases need; the CLI's demo seeding builds the same. */
export function createDossierDeps(config: Config, db: Database['db'], jobs: JobRegistry, overrides: { storage?: FileStorage | undefined; scanner?: FileScanner | undefined; secrets?: SecretBox | undefined } = {}): DossierDeps {
  const fileRoot = path.join(config.dataDir, 'files');
  return {
    db,
    jobs,
    storage: overrides.storage ?? createDiskStorage(fileRoot),
    scanner: overrides.scanner ?? noScanner,
    tempDir: storageTempDir(fileRoot),
    publicUrl: config.publicUrl,
    uploadMaxBytes: config.uploadMaxMb * 1024 * 1024,
    secrets: overrides.secrets,
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: loggerOptions(config),
    trustProxy: config.trustProxy,
    // A request id from a trusted front proxy is kept so that logs line up across hops.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Secure cookies outside development, and over HTTPS whatever the configuration says.
  const secureByDefault = config.nodeEnv === 'production';
  app.decorateRequest('secureCookies', false);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.secureCookies = secureByDefault || request.protocol === 'https';
  });

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // A payment form leads on to the provider's page (VNPay, or the sandbox gateway).
        formAction: ["'self'", ...paymentFormOrigins(config)],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: config.nodeEnv === 'production',
  });
  await app.register(formbody);
  // Uploads are streamed to the handler (limits per route); nothing is buffered in memory.
  await app.register(multipart, { limits: { fileSize: config.uploadMaxMb * 1024 * 1024 + 1, files: 1, fields: 10, parts: 12 } });
  await app.register(cookie);
  // Every public lookup is rate-limited per client address; routes with their own limit keep it.
  // (Registered before the rate-limit plugin so that its route hook sees the setting.)
  if (config.publicLookupsPerMinute > 0) {
    const lookup = /^\/(api\/v1\/(procedures|calendar|agencies|fields)|thu-tuc|lich-lam-viec)/;
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes('GET') || !lookup.test(route.url)) return;
      const routeConfig = (route.config ?? {}) as Record<string, unknown>;
      if (routeConfig.rateLimit === undefined) route.config = { ...routeConfig, rateLimit: { max: config.publicLookupsPerMinute, timeWindow: '1 minute' } } as never;
    });
  }
  await app.register(rateLimit, {
    global: false,
    // Per client address; routes opt in with config.rateLimit (login, registration, reset, lookups).
    errorResponseBuilder: (_request, context) => Object.assign(new AppError('rate_limited'), { statusCode: context.statusCode }),
  });
  registerErrorHandling(app);
  await registerOpenApi(app, config);

  await registerAssets(app);
  await registerHealth(app, database);
  await registerMetrics(app, deps.metrics ?? createMetrics({ processMetrics: false }));

  configureSearchCache({ ttlSeconds: config.searchCacheSeconds });
  const services = { db: database.db };
  const identity: IdentityDeps = {
    db: database.db,
    jobs: deps.jobs ?? createJobRegistry(createJobDefinitions({ config, db: database.db })),
    secrets: createSecretBox(deps.secretKey),
    publicUrl: config.publicUrl,
    sessions: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
    loginMaxFailures: config.loginMaxFailures,
    loginLockMinutes: config.loginLockMinutes,
  };
  const vneid =
    deps.vneid ??
    (config.oidc
      ? createVneidClient({ ...config.oidc, redirectUri: `${config.publicUrl}/dang-nhap/vneid/callback`, allowInsecureHttp: config.nodeEnv !== 'production' })
      : undefined);
  await app.register(identityHooks, { deps: identity });
  registerCsrf(app);
  await app.register(catalogRoutes, { prefix: '/api/v1', ...services });
  await app.register(organizationRoutes, { prefix: '/api/v1', ...services });
  await app.register(calendarRoutes, { prefix: '/api/v1', ...services });
  await app.register(catalogPages, services);
  // Only where emails are not sent (SMTP_URL unset), never in production: the inbox shows every
  // captured message, password-reset links included.
  if (!config.smtpUrl && config.nodeEnv !== 'production') await app.register(devInboxPages, services);
  await app.register(calendarPages, services);
  await app.register(identityRoutes, { prefix: '/api/v1', deps: identity });
  await app.register(identityPages, { deps: identity, vneid });
  await app.register(backOfficeIdentityPages, { deps: identity });
  await app.register(personalTokenPages, { deps: identity });
  await app.register(calendarAdminPages, services);
  const dossier = createDossierDeps(config, database.db, identity.jobs, { ...deps, secrets: createSecretBox(deps.secretKey) });
  const officerView = {
    schema: OfficerDossierSchema,
    find: async (request: FastifyRequest, code: string) => presentOfficerDossier(await getOfficerDossier(dossier, request.actor, code), resolveLocale(request)),
    walkInSchema: WalkInBodySchema,
    walkInResponse: WalkInResultSchema,
    receive: async (request: FastifyRequest, body: unknown) => {
      const r = await receiveWalkIn(dossier, request.actor, body as WalkInInput, { ip: request.ip });
      return { ...r, submittedAt: r.submittedAt.toISOString(), dueAt: r.dueAt ? r.dueAt.toISOString() : null };
    },
    attachScan: (request: FastifyRequest, code: string, upload: Parameters<typeof attachScan>[3]) => attachScan(dossier, request.actor, code, upload, { ip: request.ip }),
  };
  await app.register(dossierRoutes, { prefix: '/api/v1', deps: dossier, trackLookupsPerMinute: config.trackLookupsPerMinute, officerView });
  await app.register(workflowRoutes, { prefix: '/api/v1', deps: dossier });
  await app.register(workflowPages, { deps: dossier });
  await app.register(walkInPages, { deps: dossier });
  await app.register(dossierPages, { deps: dossier, trackLookupsPerMinute: config.trackLookupsPerMinute });
  // /verify/{id}: the public check of a signed result, limited like the tracking look-ups.
  const verify = { db: database.db, storage: dossier.storage, uploadMaxBytes: dossier.uploadMaxBytes };
  await app.register(signatureRoutes, { prefix: '/api/v1', deps: verify, lookupsPerMinute: config.trackLookupsPerMinute });
  await app.register(signaturePages, { deps: verify, lookupsPerMinute: config.trackLookupsPerMinute });
  // A paid fee resumes its dossier from status 6 in the IPN's own transaction.
  const payment = createPaymentDeps(config, database.db, identity.jobs, { onObligationPaid: (trx, obligation) => resumeAfterPayment(trx, dossier, obligation), ...deps.payment });
  await app.register(paymentRoutes, { prefix: '/api/v1', deps: payment, lookupsPerMinute: config.paymentLookupsPerMinute });
  await app.register(paymentPages, { deps: payment, lookupsPerMinute: config.paymentLookupsPerMinute });
  return app;
}
