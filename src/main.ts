// The command line: start | migrate | seed | import | export | worker | jobs | audit | keys.
// Each command loads only the modules it uses (an operator's `keys list` should not wait for the
// whole web application to load); `start` and `worker` are in cli/serve.ts.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { prepare, seedIfEmpty } from './cli/database.js';
import type { CatalogFormat, ImportReport } from './modules/catalog/catalog.service.js';
import { loadSecretKey } from './platform/security/keys.js';
import { createSecretBox } from './platform/security/secrets.js';

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
  const { formatFromPath, importCatalog } = await import('./modules/catalog/catalog.service.js');
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
  const { exportCatalogText, formatFromPath } = await import('./modules/catalog/catalog.service.js');
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
  const { listDeadJobs, retryDeadJob } = await import('./platform/outbox/outbox.js');
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
  const { runAuditVerify } = await import('./platform/audit/audit-cli.js');
  const database = await prepare(config, log);
  try {
    return await runAuditVerify(database.db, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await database.close();
  }
}

async function commandKeys(config: Config, log: pino.Logger, args: string[]): Promise<number> {
  const { runKeysCommand } = await import('./modules/signature/keys-cli.js');
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
      await (await import('./cli/serve.js')).commandStart(config, log);
      return -1;
    case 'worker':
      await (await import('./cli/serve.js')).commandWorker(config, log);
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
