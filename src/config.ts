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
  /** 32-byte key for sealing secrets (TOTP seeds); undefined → generated once in DATA_DIR/keys. */
  readonly secretKey: Buffer | undefined;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  /** National eID (VNeID) OpenID provider; login with it is offered only when all three are set. */
  readonly oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** How long a catalogue search page is kept in memory; 0 turns the cache off. */
  readonly searchCacheSeconds: number;
  /** Public lookups (catalogue, calendar) a client address may make per minute; 0 turns it off. */
  readonly publicLookupsPerMinute: number;
  /** The largest file a citizen may attach, in megabytes. */
  readonly uploadMaxMb: number;
  /** Dossier-tracking lookups one client address may make per minute; 0 turns it off. */
  readonly trackLookupsPerMinute: number;
  /** The VNPay merchant (DOMAIN.md section 8); undefined: the sandbox gateway in development. */
  readonly vnpay: { tmnCode: string; hashSecret: string; paymentUrl: string; apiUrl: string } | undefined;
  /** Payment lookups and starts (/thanh-toan, /api/v1/payments) per client address per minute; 0 turns it off. */
  readonly paymentLookupsPerMinute: number;
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
  { name: 'SECRET_KEY', default: '(sinh tự động trong DATA_DIR/keys)', meaning: 'Khóa 32 byte (base64) để mã hóa bí mật như khóa TOTP' },
  { name: 'SESSION_IDLE_MINUTES', default: '30', meaning: 'Phiên hết hạn sau số phút không hoạt động' },
  { name: 'SESSION_ABSOLUTE_HOURS', default: '12', meaning: 'Phiên hết hạn sau số giờ kể từ khi đăng nhập' },
  { name: 'LOGIN_MAX_FAILURES', default: '5', meaning: 'Số lần đăng nhập sai liên tiếp trước khi khóa tài khoản' },
  { name: 'LOGIN_LOCK_MINUTES', default: '15', meaning: 'Thời gian khóa tài khoản sau khi đăng nhập sai quá số lần' },
  { name: 'OIDC_ISSUER', default: '(trống: tắt VNeID)', meaning: 'Địa chỉ nhà cung cấp OpenID Connect (VNeID / Cổng DVCQG)' },
  { name: 'OIDC_CLIENT_ID', default: '(trống)', meaning: 'Mã ứng dụng đăng ký với nhà cung cấp OpenID' },
  { name: 'OIDC_CLIENT_SECRET', default: '(trống)', meaning: 'Khóa bí mật của ứng dụng với nhà cung cấp OpenID' },
  { name: 'SMTP_URL', default: '(trống: hộp thư phát triển)', meaning: 'Máy chủ gửi thư smtp://user:pass@host:587 hoặc smtps://user:pass@host:465; trống thì thư được lưu tại /dev/hop-thu; bắt buộc khi production' },
  { name: 'SEARCH_CACHE_SECONDS', default: '60', meaning: 'Giữ kết quả tìm kiếm thủ tục trong bộ nhớ bao nhiêu giây; 0 để tắt' },
  { name: 'PUBLIC_LOOKUPS_PER_MINUTE', default: '600', meaning: 'Số lần tra cứu công khai (thủ tục, lịch) mỗi địa chỉ được gọi mỗi phút; 0 để tắt' },
  { name: 'UPLOAD_MAX_MB', default: '10', meaning: 'Dung lượng tối đa của một tệp đính kèm (MB) / largest attachment' },
  { name: 'TRACK_LOOKUPS_PER_MINUTE', default: '30', meaning: 'Số lần tra cứu hồ sơ mỗi phút cho một địa chỉ; 0 là không giới hạn / dossier-tracking lookups per client per minute' },
  { name: 'MAIL_FROM', default: 'MộtCửa <no-reply@motcua.local>', meaning: 'Người gửi thư: "Tên <địa-chỉ>" hoặc "địa-chỉ" / email sender' },
  { name: 'VNPAY_TMN_CODE', default: '(trống: cổng thử nghiệm khi phát triển)', meaning: 'Mã website (vnp_TmnCode) VNPay cấp cho tỉnh' },
  { name: 'VNPAY_HASH_SECRET', default: '(trống)', meaning: 'Khóa bí mật ký HMAC-SHA512 của VNPay' },
  { name: 'VNPAY_PAYMENT_URL', default: '(trống: cổng thử nghiệm khi phát triển)', meaning: 'Địa chỉ trang thanh toán VNPay, ví dụ https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' },
  { name: 'VNPAY_API_URL', default: '(trống)', meaning: 'Địa chỉ API truy vấn, hoàn tiền VNPay, ví dụ https://sandbox.vnpayment.vn/merchant_webapi/api/transaction' },
  { name: 'PAYMENT_LOOKUPS_PER_MINUTE', default: '30', meaning: 'Số lần tra cứu, bắt đầu thanh toán mỗi phút cho một địa chỉ; 0 là không giới hạn' },
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

function readSecretKey(env: Env, problems: string[]): Buffer | undefined {
  const raw = env.SECRET_KEY?.trim();
  if (!raw) return undefined;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    problems.push('SECRET_KEY phải là 32 byte mã hóa base64 (ví dụ: openssl rand -base64 32) / must be 32 bytes in base64');
    return undefined;
  }
  return key;
}

/** The VNPay merchant: the four variables together or none; https in production; the secret never echoed. */
function readVnpay(env: Env, nodeEnv: NodeEnv, problems: string[]): Config['vnpay'] {
  const names = ['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET', 'VNPAY_PAYMENT_URL', 'VNPAY_API_URL'] as const;
  const given = names.filter((n) => env[n]?.trim());
  if (given.length === 0) return undefined;
  if (given.length < names.length) {
    problems.push(`${names.join(', ')} phải được đặt cùng nhau / must be set together`);
    return undefined;
  }
  const protocols = nodeEnv === 'production' ? ['https:'] : ['http:', 'https:'];
  const paymentUrl = readUrl(env, 'VNPAY_PAYMENT_URL', protocols, problems);
  const apiUrl = readUrl(env, 'VNPAY_API_URL', protocols, problems);
  const tmnCode = env.VNPAY_TMN_CODE!.trim();
  const hashSecret = env.VNPAY_HASH_SECRET!.trim();
  const before = problems.length;
  if (!/^[A-Za-z0-9]{1,20}$/.test(tmnCode)) problems.push('VNPAY_TMN_CODE phải gồm chữ và số, tối đa 20 ký tự / must be up to 20 letters or digits');
  if (hashSecret.length < 16) problems.push('VNPAY_HASH_SECRET quá ngắn (ít nhất 16 ký tự) / is too short');
  if (problems.length > before || !paymentUrl || !apiUrl) return undefined;
  return { tmnCode, hashSecret, paymentUrl, apiUrl };
}

function readSmtpUrl(env: Env, problems: string[]): string | undefined {
  const url = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'], problems);
  if (url !== undefined && new URL(url).hostname === '') {
    problems.push('SMTP_URL thiếu tên máy chủ / has no host');
    return undefined;
  }
  return url;
}

// One mailbox, used as a header value: `address` or `Display name <address>`, no line break.
const MAILBOX = /^(?:[^<>@\r\n]*<[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+>|[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+)$/u;

function readMailbox(env: Env, name: string, fallback: string, problems: string[]): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (MAILBOX.test(raw)) return raw;
  problems.push(`${name} phải có dạng "Tên <dia-chi@ten-mien>" hoặc "dia-chi@ten-mien" / must be "Name <address@domain>" or "address@domain"`);
  return fallback;
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
  const config = {
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
  } as Config;
  const secretKey = readSecretKey(env, problems);
  const oidcValues = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].map((v) => v?.trim() || undefined);
  const oidcIssuer = readUrl(env, 'OIDC_ISSUER', ['http:', 'https:'], problems);
  if (oidcValues.some(Boolean) && !oidcValues.every(Boolean)) {
    problems.push('OIDC_ISSUER, OIDC_CLIENT_ID và OIDC_CLIENT_SECRET phải được đặt cùng nhau / must be set together');
  }
  if (nodeEnv === 'production' && oidcIssuer?.startsWith('http:')) problems.push('OIDC_ISSUER phải dùng https khi NODE_ENV=production');
  Object.assign(config, {
    secretKey,
    sessionIdleMinutes: readInt(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems),
    searchCacheSeconds: readInt(env, 'SEARCH_CACHE_SECONDS', 60, 0, 86_400, problems),
    publicLookupsPerMinute: readInt(env, 'PUBLIC_LOOKUPS_PER_MINUTE', 600, 0, 1_000_000, problems),
    uploadMaxMb: readInt(env, 'UPLOAD_MAX_MB', 10, 1, 200, problems),
    trackLookupsPerMinute: readInt(env, 'TRACK_LOOKUPS_PER_MINUTE', 30, 0, 1_000_000, problems),
    vnpay: readVnpay(env, nodeEnv, problems),
    paymentLookupsPerMinute: readInt(env, 'PAYMENT_LOOKUPS_PER_MINUTE', 30, 0, 1_000_000, problems),
    sessionAbsoluteHours: readInt(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30, problems),
    loginMaxFailures: readInt(env, 'LOGIN_MAX_FAILURES', 5, 1, 100, problems),
    loginLockMinutes: readInt(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60, problems),
    oidc: oidcIssuer && oidcValues.every(Boolean) ? { issuer: oidcIssuer, clientId: oidcValues[1]!, clientSecret: oidcValues[2]! } : undefined,
    smtpUrl: readSmtpUrl(env, problems),
    mailFrom: readMailbox(env, 'MAIL_FROM', 'MộtCửa <no-reply@motcua.local>', problems),
  });
  if (nodeEnv === 'production' && !env.PUBLIC_URL) {
    problems.push('PUBLIC_URL là bắt buộc khi NODE_ENV=production / is required in production');
  }
  // Without SMTP the emails would only land in dev_mail: citizens would never get them.
  if (nodeEnv === 'production' && !env.SMTP_URL?.trim()) {
    problems.push('SMTP_URL là bắt buộc khi NODE_ENV=production, nếu không thư sẽ không được gửi đi / is required in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
