// The only reader of process.env. Every variable is parsed and validated once at boot;
// all problems are reported together so that an operator fixes them in one pass.
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; undefined selects the embedded PGlite database in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly logLevel: LogLevel;
  /** Seed the demo province and catalogue on a first start with an empty database. */
  readonly seedDemo: boolean;
  /** Run outbox workers inside the web process (default) or only through `worker`. */
  readonly inProcessWorkers: boolean;
  readonly outboxPollMs: number;
  readonly shutdownTimeoutMs: number;
  readonly trustProxy: boolean;
}

/** One description per variable: the README table is checked against this list by a test. */
export const configVariables = [
  { name: 'PORT', default: '3000', meaning: 'Cổng HTTP của cổng thông tin / HTTP port' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'Địa chỉ lắng nghe; đặt 0.0.0.0 để mở ra mạng / listen address' },
  { name: 'PUBLIC_URL', default: 'http://localhost:<PORT>', meaning: 'Địa chỉ công khai, dùng trong liên kết và mã QR / public base URL' },
  { name: 'DATA_DIR', default: './data', meaning: 'Thư mục dữ liệu: CSDL nhúng, tệp, khóa / data folder (embedded DB, files, keys)' },
  { name: 'DATABASE_URL', default: '(trống: PGlite nhúng)', meaning: 'Chuỗi kết nối PostgreSQL; để trống thì dùng PGlite trong DATA_DIR' },
  { name: 'DATABASE_POOL_SIZE', default: '10', meaning: 'Số kết nối PostgreSQL tối đa / pg pool size' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace hoặc silent' },
  { name: 'NODE_ENV', default: 'development', meaning: 'development, production hoặc test' },
  { name: 'SEED_DEMO', default: 'true', meaning: 'Nạp dữ liệu mẫu khi CSDL còn trống / seed demo data on first start' },
  { name: 'IN_PROCESS_WORKERS', default: 'true', meaning: 'Chạy worker hàng đợi trong tiến trình web; false khi chạy `worker` riêng' },
  { name: 'OUTBOX_POLL_MS', default: '1000', meaning: 'Chu kỳ quét hàng đợi (ms) / outbox poll interval' },
  { name: 'SHUTDOWN_TIMEOUT_MS', default: '10000', meaning: 'Thời gian tối đa để dừng êm (ms) / graceful shutdown limit' },
  { name: 'TRUST_PROXY', default: 'false', meaning: 'Tin tiêu đề X-Forwarded-* khi chạy sau reverse proxy' },
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name}="${raw}" phải là số nguyên / must be an integer`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    problems.push(`${name}=${value} phải trong khoảng ${min}–${max} / must be between ${min} and ${max}`);
    return fallback;
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name}="${env[name]}" phải là true hoặc false / must be true or false`);
  return fallback;
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name}="${raw}" phải là một trong: ${allowed.join(', ')} / must be one of them`);
  return fallback;
}

function readUrl(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (!protocols.includes(url.protocol)) {
      problems.push(`${name} phải bắt đầu bằng ${protocols.join(' hoặc ')} / must use ${protocols.join(' or ')}`);
      return undefined;
    }
    return raw;
  } catch {
    // The value may hold a password: never echo a connection string back.
    problems.push(`${name} không phải địa chỉ URL hợp lệ / is not a valid URL`);
    return undefined;
  }
}

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const port = readInt(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  const nodeEnv = readEnum(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development', problems);
  const logLevel = readEnum(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info', problems);
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const publicUrl = readUrl(env, 'PUBLIC_URL', ['http:', 'https:'], problems) ?? `http://localhost:${port}`;
  const dataDirRaw = env.DATA_DIR?.trim() || './data';
  const config: Config = {
    nodeEnv,
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    dataDir: path.resolve(cwd, dataDirRaw),
    databaseUrl,
    databasePoolSize: readInt(env, 'DATABASE_POOL_SIZE', 10, 1, 500, problems),
    logLevel,
    seedDemo: readBool(env, 'SEED_DEMO', true, problems),
    inProcessWorkers: readBool(env, 'IN_PROCESS_WORKERS', true, problems),
    outboxPollMs: readInt(env, 'OUTBOX_POLL_MS', 1000, 10, 3_600_000, problems),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000, problems),
    trustProxy: readBool(env, 'TRUST_PROXY', false, problems),
  };
  if (nodeEnv === 'production' && !env.PUBLIC_URL) {
    problems.push('PUBLIC_URL là bắt buộc khi NODE_ENV=production / is required in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
