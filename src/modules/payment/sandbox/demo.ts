// Demo mode (`npm start` with VNPAY_PAYMENT_URL unset, outside production): the sandbox gateway
// runs beside the portal and the VNPay adapter points at it, so a payment goes all the way round
// on one machine. Its merchant secret is generated once and kept in DATA_DIR/keys, like the other
// demo keys (src/platform/security/keys.ts); nothing secret is ever committed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../config.js';
import { startPaymentSandbox, type PaymentSandbox } from './sandbox.js';

export const DEMO_TMN_CODE = 'MOTCUA01';

export interface DemoPaymentSandbox {
  sandbox: PaymentSandbox;
  /** The configuration with the VNPay adapter pointed at the sandbox. */
  config: Config;
  /** Registers the portal's IPN address once the portal listens on this host and port. */
  listening(host: string, port: number): void;
  close(): Promise<void>;
}

/** The sandbox merchant's secret: read from DATA_DIR/keys, or made there on the first start. */
export function loadSandboxSecret(dataDir: string): string {
  const file = path.join(dataDir, 'keys', 'vnpay-sandbox.secret');
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (!/^[A-Z0-9]{32}$/.test(secret)) throw new Error(`${file} does not hold a 32-character sandbox secret`);
    return secret;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const secret = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
  try {
    // 'wx': never overwrite a secret another process wrote a moment ago.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSandboxSecret(dataDir);
    throw error;
  }
}

/** Starts the sandbox when the configuration names no VNPay merchant and this is not production. */
export async function startDemoPaymentSandbox(config: Config): Promise<DemoPaymentSandbox | undefined> {
  if (config.vnpay || config.nodeEnv === 'production') return undefined;
  const hashSecret = loadSandboxSecret(config.dataDir);
  const sandbox = await startPaymentSandbox({ merchants: [{ tmnCode: DEMO_TMN_CODE, hashSecret }] });
  return {
    sandbox,
    config: { ...config, vnpay: { tmnCode: DEMO_TMN_CODE, hashSecret, paymentUrl: sandbox.paymentUrl, apiUrl: sandbox.apiUrl } },
    listening(host, port) {
      // The sandbox calls the portal on this machine: a wildcard address is reached on loopback.
      const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      sandbox.setMerchant({ tmnCode: DEMO_TMN_CODE, hashSecret, ipnUrl: `http://${reach}:${port}/api/v1/payments/vnpay/ipn` });
    },
    close: () => sandbox.close(),
  };
}
