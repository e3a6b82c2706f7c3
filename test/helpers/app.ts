// A built app on a fresh database, optionally with the demo province loaded, for inject() tests.
// Its outbox jobs (emails) run when a test calls runJobs(), so a test reads what was "sent" from
// the developer inbox table.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loadRules } from '../../src/db/seed.js';
import { createJobDefinitions } from '../../src/jobs.js';
import type { PaymentDepsOptions } from '../../src/modules/payment/payment-deps.js';
import { createJobRegistry, type JobRegistry } from '../../src/platform/outbox/registry.js';
import { startOutboxWorker } from '../../src/platform/outbox/worker.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  jobs: JobRegistry;
  secretKey: Buffer;
  /** Runs every due outbox job once (e.g. sends queued emails to the dev inbox). */
  runJobs(): Promise<number>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/motcua-test', PUBLIC_URL: 'http://localhost:3000', ...overrides });
}

/** The app with its demo database, jobs and worker; `payment` replaces the payment providers or adds the paid-obligation hook. */
export async function createTestApp(options: { seed?: boolean; env?: Record<string, string>; payment?: PaymentDepsOptions } = {}): Promise<TestApp> {
  const seeded = options.seed ?? true;
  // The demo province comes with the database (a copy of the run's template when there is one).
  const database = await createTestDatabase({ seed: seeded ? 'demo' : 'none' });
  if (!seeded) await database.db.transaction().execute((trx) => loadRules(trx));
  const config = testConfig(options.env);
  const payment = options.payment ? { payment: options.payment } : {};
  const jobs = createJobRegistry(createJobDefinitions({ config, db: database.db, ...payment }));
  const secretKey = randomBytes(32);
  const app = await buildApp({ config, database, secretKey, jobs, ...payment });
  await app.ready();
  const worker = startOutboxWorker({ db: database.db, registry: jobs, log: pino({ level: 'silent' }), poll: false, backoff: { baseMs: 1, capMs: 5 } });
  return {
    app,
    database,
    config,
    jobs,
    secretKey,
    async runJobs() {
      let total = 0;
      for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) total += n;
      return total;
    },
    async close() {
      await worker.stop();
      await app.close();
      await database.close();
    },
  };
}
