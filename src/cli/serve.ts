// `start` and `worker`, the long-running commands: the portal with its workers (and, in demo mode,
// the sandbox payment gateway, the demo accounts, keys and dossiers), or the workers alone. Loaded
// only by these commands: the rest of the command line does not need the web application.
import os from 'node:os';
import path from 'node:path';
import type { pino } from 'pino';
import { buildApp, createDossierDeps } from '../app.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createJobDefinitions } from '../jobs.js';
import { createMetrics } from '../platform/http/metrics.js';
import { createJobRegistry, type JobRegistry } from '../platform/outbox/registry.js';
import { loadSecretKey } from '../platform/security/keys.js';
import { ensureDemoAccounts, type DemoAccount } from '../modules/identity/demo-accounts.js';
import { seedDemoDossiers } from '../modules/workflow/demo-dossiers.js';
import { ensureDemoSigningKeys } from '../modules/signature/signature.service.js';
import { createSecretBox } from '../platform/security/secrets.js';
import { seedDemoPayments, startDemoPaymentSandbox } from '../modules/payment/payment.service.js';
import { startDigestScheduler } from '../modules/workflow/digest.js';
import { startOutboxWorker, type OutboxWorker } from '../platform/outbox/worker.js';
import { prepare, seedIfEmpty } from './database.js';

function startWorker(database: Database, config: Config, log: pino.Logger, registry: JobRegistry = createJobRegistry(createJobDefinitions({ config, db: database.db }))): OutboxWorker {
  const worker = startOutboxWorker({ db: database.db, registry, log, pollMs: config.outboxPollMs, workerId: `${os.hostname()}:${process.pid}` });
  // Wherever workers run, the leaders' daily digest is queued once a working day.
  const stopDigest = startDigestScheduler({ db: database.db, registry, log });
  return {
    ...worker,
    stop: async () => {
      stopDigest();
      await worker.stop();
    },
  };
}

/** SIGTERM/SIGINT: stop taking work, finish in-flight requests and jobs, close the database. */
function onShutdown(log: pino.Logger, timeoutMs: number, steps: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    steps()
      .then(() => process.exit(0))
      .catch((error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

export async function commandStart(baseConfig: Config, log: pino.Logger): Promise<void> {
  const started = Date.now();
  // Demo mode: no VNPay merchant configured (and not production): the sandbox gateway stands in.
  const sandbox = await startDemoPaymentSandbox(baseConfig);
  const config = sandbox?.config ?? baseConfig;
  const database = await prepare(config, log);
  if (config.seedDemo) await seedIfEmpty(database, log);
  const demoAccounts: DemoAccount[] = config.seedDemo ? await ensureDemoAccounts(database.db, config.dataDir) : [];
  // One registry for the web process and its workers; a duplicate job type stops the start here.
  const jobs = createJobRegistry(createJobDefinitions({ config, db: database.db }));
  if (config.seedDemo) {
    // Before the demo dossiers: approving one signs its result with the agency's certificate.
    const secrets = createSecretBox(loadSecretKey(config));
    const signing = await ensureDemoSigningKeys(database.db, secrets);
    if (signing.caCreated || signing.issued) log.info(signing, 'demo signing keys made (demo CA, agency certificates)');
    const made = await seedDemoDossiers(createDossierDeps(config, database.db, jobs, { secrets }));
    if (made) log.info({ dossiers: made }, 'demo dossiers loaded, one in every status');
    const obligations = await seedDemoPayments(database.db);
    if (obligations) log.info({ obligations }, 'demo payment obligations loaded');
  }
  const app = await buildApp({ config, database, secretKey: loadSecretKey(config), jobs, metrics: createMetrics({ processMetrics: true }) });
  await app.listen({ host: config.host, port: config.port });
  const worker = config.inProcessWorkers ? startWorker(database, config, log, jobs) : undefined;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  sandbox?.listening(config.host, port);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  process.stdout.write(
    [
      '',
      `MộtCửa đã sẵn sàng / is ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  Cổng dịch vụ công: http://${shown}:${port}/`,
      `  API: http://${shown}:${port}/api/docs`,
      `  CSDL: ${database.engine === 'pglite' ? `PGlite trong ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`,
      `  Email: ${config.smtpUrl ? 'gửi qua SMTP (SMTP_URL)' : `chưa có SMTP_URL, thư được giữ tại http://${shown}:${port}/dev/hop-thu`}`,
      ...(sandbox ? [`  Thanh toán: chưa có VNPAY_PAYMENT_URL, cổng thử nghiệm tại ${sandbox.sandbox.url} (thử tại http://${shown}:${port}/thanh-toan)`] : []),
      ...(demoAccounts.length
        ? [
            '  Tài khoản mẫu / demo accounts (cán bộ thiết lập mã TOTP ở lần đăng nhập đầu):',
            ...demoAccounts.map((a) => `    ${a.email.padEnd(30)} ${a.password.padEnd(20)} ${a.label}`),
          ]
        : []),
      '',
    ].join('\n'),
  );
  onShutdown(log, config.shutdownTimeoutMs, async () => {
    await app.close();
    await worker?.stop();
    await sandbox?.close();
    await database.close();
  });
}

export async function commandWorker(config: Config, log: pino.Logger): Promise<void> {
  const database = await prepare(config, log);
  const worker = startWorker(database, config, log);
  log.info('outbox worker running');
  onShutdown(log, config.shutdownTimeoutMs, async () => {
    await worker.stop();
    await database.close();
  });
}
