// buildApp(deps): registers the platform plugins and every module. It never listens and never
// starts workers, so tests drive it through inject() and main.ts decides how it runs.
import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { registerErrorHandling } from './platform/errors/error-handler.js';
import { registerAssets } from './platform/http/assets.js';
import { registerHealth } from './platform/http/health.js';
import { loggerOptions } from './platform/http/logger.js';
import { createMetrics, registerMetrics, type Metrics } from './platform/http/metrics.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { catalogPages } from './modules/catalog/catalog.pages.js';
import { organizationRoutes } from './modules/organization/organization.routes.js';
import { devInboxPages } from './modules/notify/notify.pages.js';
import { calendarPages } from './modules/calendar/calendar.pages.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';

export interface AppDeps {
  config: Config;
  database: Database;
  metrics?: Metrics;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

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

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: config.nodeEnv === 'production',
  });
  await app.register(formbody);
  registerErrorHandling(app);
  await registerOpenApi(app, config);

  await registerAssets(app);
  await registerHealth(app, database);
  await registerMetrics(app, deps.metrics ?? createMetrics({ processMetrics: false }));

  const services = { db: database.db };
  await app.register(catalogRoutes, { prefix: '/api/v1', ...services });
  await app.register(organizationRoutes, { prefix: '/api/v1', ...services });
  await app.register(calendarRoutes, { prefix: '/api/v1', ...services });
  await app.register(catalogPages, services);
  // Only where emails are not sent (SMTP_URL unset), never in production: the inbox shows every
  // captured message, password-reset links included.
  if (!config.smtpUrl && config.nodeEnv !== 'production') await app.register(devInboxPages, services);
  await app.register(calendarPages, services);
  return app;
}
