// The command line: start | migrate | seed | import | export | worker | jobs | audit | keys.
// config → database → buildApp → listen; nothing else reads the environment.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { pino } from 'pino';
import { buildApp, createDossierDeps } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { isDemoSeeded, loadRules, seedDemo } from './db/seed.js';
import { createJobDefinitions } from './jobs.js';
import { runAuditVerify } from './platform/audit/audit-cli.js';
import { exportCatalogText, formatFromPath, importCatalog, type CatalogFormat, type ImportReport } from './modules/catalog/catalog.service.js';
import { createMetrics } from './platform/http/metrics.js';
import { listDeadJobs, retryDeadJob } from './platform/outbox/outbox.js';
import { createJobRegistry, type JobRegistry } from './platform/outbox/registry.js';
import { loadSecretKey } from './platform/security/keys.js';
import { ensureDemoAccounts, type DemoAccount } from './modules/identity/demo-accounts.js';
import { seedDemoDossiers } from './modules/workflow/demo-dossiers.js';
import { ensureDemoSigningKeys, runKeysCommand } from './modules/signature/signature.service.js';
import { createSecretBox } from './platform/security/secrets.js';
import { seedDemoPayments, startDemoPaymentSandbox } from './modules/payment/payment.service.js';
import { startDigestScheduler } from './modules/workflow/digest.js';
import { startOutboxWorker, type OutboxWorker } from './platform/outbox/worker.js';

const usage = `Cách dùng / usage: motcua <lệnh>
  start                     chạy cổng thông tin (migrate, nạp dữ liệu mẫu khi CSDL trống, lắng nghe)
  migrate                   áp dụng migration
  seed                      nạp quy định và dữ liệu mẫu nếu chưa nạp
  import <tệp.json|csv> [--dry-run]   nhập danh mục thủ tục; có lỗi thì không lưu gì
  export <tệp.json|csv|-> [--format json|csv]   xuất toàn bộ danh mục
  worker                    chỉ chạy worker hàng đợi (cho cụm máy chủ)
  jobs dead                 liệt kê công việc đã dừng (dead)
  jobs retry <id>           chạy lại một công việc đã dừng
  keys demo-ca | list | issue <mã cơ quan> | import <mã cơ quan> --cert f.pem --key k.pem [--ca ca.pem]
                            khóa và chứng thư số để ký kết quả điện tử
  audit verify              kiểm tra chuỗi băm của nhật ký kiểm toán (0: nguyên vẹn, 1: bị phá vỡ)`;

function openFor(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite'), poolSize: config.databasePoolSize });
}

async function prepare(config: Config, log: pino.Logger): Promise<Database> {
  const database = await openFor(config);
  const applied = await migrateToLatest(database.db);
  if (applied?.length) log.info({ migrations: applied?.map((m) => m.migrationName) }, 'migrations applied');
  await database.db.transaction().execute((trx) => loadRules(trx));
  return database;
}

async function seedIfEmpty(database: Database, log: pino.Logger): Promise<void> {
  if (await isDemoSeeded(database.db)) return;
  const started = Date.now();
  const summary = await seedDemo(database.db);
  log.info(
    { fields: summary.fields, adminUnits: summary.adminUnits, agencies: summary.agencies, procedures: summary.procedures.created, ms: Date.now() - started },
    'demo data loaded',
  );
}

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

async function commandStart(baseConfig: Config, log: pino.Logger): Promise<void> {
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

async function commandWorker(config: Config, log: pino.Logger): Promise<void> {
  const database = await prepare(config, log);
  const worker = startWorker(database, config, log);
  log.info('outbox worker running');
  onShutdown(log, config.shutdownTimeoutMs, async () => {
    await worker.stop();
    await database.close();
  });
}

function printReport(report: ImportReport): void {
  if (report.ok) {
    process.stdout.write(`Đã kiểm tra ${report.total} thủ tục: ${report.created} phiên bản mới, ${report.unchanged} không đổi.\n`);
    return;
  }
  process.stderr.write(`Tệp bị từ chối: ${report.problems.length} lỗi, không có dữ liệu nào được lưu.\n`);
  for (const p of report.problems) {
    process.stderr.write(`  dòng ${p.line}${p.code ? ` (mã ${p.code})` : ''}: ${p.message}\n`);
  }
}

async function commandImport(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, format: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const format = (values.format as CatalogFormat | undefined) ?? formatFromPath(file);
  if (format !== 'json' && format !== 'csv') {
    process.stderr.write('Không xác định được định dạng: dùng tệp .json hoặc .csv, hoặc --format json|csv\n');
    return 2;
  }
  const text = await fs.readFile(file, 'utf8');
  const database = await prepare(config, log);
  const bar = new SingleBar({ format: 'Nhập {bar} {value}/{total}', stream: process.stderr, hideCursor: true });
  try {
    const report = await importCatalog(database.db, text, format, {
      dryRun: values['dry-run'] === true,
      onStart: (total) => bar.start(total, 0),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    printReport(report);
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

async function commandExport(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' } } });
  const target = positionals[0] ?? '-';
  const format = (values.format as CatalogFormat | undefined) ?? (target === '-' ? 'json' : formatFromPath(target));
  if (format !== 'json' && format !== 'csv') {
    process.stderr.write('Không xác định được định dạng: dùng tệp .json hoặc .csv, hoặc --format json|csv\n');
    return 2;
  }
  const database = await prepare(config, log);
  try {
    const { text, count } = await exportCatalogText(database.db, format);
    if (target === '-') process.stdout.write(text);
    else {
      await fs.writeFile(target, text);
      process.stderr.write(`Đã xuất ${count} thủ tục vào ${target}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function commandJobs(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  const database = await prepare(config, log);
  try {
    if (args[0] === 'dead') {
      for (const job of await listDeadJobs(database.db)) process.stdout.write(`${JSON.stringify(job)}\n`);
      return 0;
    }
    if (args[0] === 'retry' && args[1] && /^\d+$/.test(args[1])) {
      await retryDeadJob(database.db, Number(args[1]));
      process.stdout.write(`Đã đưa công việc ${args[1]} trở lại hàng đợi.\n`);
      return 0;
    }
    process.stderr.write(`${usage}\n`);
    return 2;
  } finally {
    await database.close();
  }
}

async function commandAudit(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  if (args[0] !== 'verify') {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const database = await prepare(config, log);
  try {
    return await runAuditVerify(database.db, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await database.close();
  }
}

async function commandKeys(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  const database = await prepare(config, log);
  try {
    return await runKeysCommand(database.db, createSecretBox(loadSecretKey(config)), args, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const log = pino({ level: config.logLevel });
  switch (command) {
    case 'start':
      await commandStart(config, log);
      return -1;
    case 'worker':
      await commandWorker(config, log);
      return -1;
    case 'migrate': {
      const database = await prepare(config, log);
      await database.close();
      return 0;
    }
    case 'seed': {
      const database = await prepare(config, log);
      try {
        await seedIfEmpty(database, log);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'import':
      return commandImport(config, log, rest);
    case 'export':
      return commandExport(config, log, rest);
    case 'jobs':
      return commandJobs(config, log, rest);
    case 'audit':
      return commandAudit(config, log, rest);
    case 'keys':
      return commandKeys(config, log, rest);
    default:
      process.stderr.write(`${usage}\n`);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // -1: a long-running command; the process lives until a signal ends it.
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
