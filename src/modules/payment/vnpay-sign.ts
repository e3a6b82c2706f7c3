// VNPay v2.1.0's signing rules (DOMAIN.md section 8), kept apart from the adapter so that the
// sandbox gateway signs and checks with exactly the same code:
//  - the payment URL, the return URL and the IPN are signed with HMAC-SHA512 (the merchant's
//    secret) over the non-empty vnp_* parameters except vnp_SecureHash and vnp_SecureHashType,
//    sorted by key and joined as key=value&... with form URL-encoding (space as '+');
//  - the merchant API (querydr, refund) signs its fields' values joined by '|' in a fixed order;
//  - times are yyyyMMddHHmmss in GMT+7.
import { createHmac, timingSafeEqual } from 'node:crypto';

const HASH_FIELDS = new Set(['vnp_SecureHash', 'vnp_SecureHashType']);

/**
 * application/x-www-form-urlencoded, byte by byte over UTF-8 as the WHATWG URL standard has it
 * (what URLSearchParams writes): letters, digits and `*-._` stay, a space becomes '+', every
 * other byte %XX in upper case. 'Nguyễn Văn A' → 'Nguy%E1%BB%85n+V%C4%83n+A'.
 */
export function formEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const keep = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2a || byte === 0x2d || byte === 0x2e || byte === 0x5f;
    if (keep) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The parameters that are signed: vnp_*, non-empty, hash fields left out, sorted by key (code-unit
 *  order, which for these ASCII names is byte order). */
export function signedPairs(params: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(params)
    .filter((entry): entry is [string, string] => entry[0].startsWith('vnp_') && !HASH_FIELDS.has(entry[0]) && typeof entry[1] === 'string' && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The text that is signed, which is also the payment URL's query before its hash. */
export function canonicalQuery(params: Readonly<Record<string, string | undefined>>): string {
  return signedPairs(params)
    .map(([key, value]) => `${formEncode(key)}=${formEncode(value)}`)
    .join('&');
}

export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(Buffer.from(data, 'utf8')).digest('hex');
}

/** vnp_SecureHash for a set of parameters. */
export function signParams(params: Readonly<Record<string, string | undefined>>, secret: string): string {
  return hmacSha512(secret, canonicalQuery(params));
}

/** Compares a hex signature in constant time; VNPay's case is not relied on. */
export function sameSignature(expected: string, sent: string | undefined): boolean {
  if (typeof sent !== 'string' || !/^[0-9a-fA-F]{128}$/.test(sent)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(sent.toLowerCase(), 'hex'));
}

/** Whether vnp_SecureHash is the signature of the other parameters. */
export function verifyParams(params: Readonly<Record<string, string | undefined>>, secret: string): boolean {
  return sameSignature(signParams(params, secret), params.vnp_SecureHash);
}

/** The merchant API's signature: the values in the documented order, joined by '|' (a missing one is ''). */
export function signPipe(values: readonly (string | undefined)[], secret: string): string {
  return hmacSha512(secret, values.map((v) => v ?? '').join('|'));
}

const GMT7_MS = 7 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** yyyyMMddHHmmss in GMT+7 (Vietnam keeps UTC+7 all year), e.g. 2026-11-28T03:04:05Z → 20261128100405. */
export function vnpayTime(at: Date): string {
  const d = new Date(at.getTime() + GMT7_MS);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** The instant of a yyyyMMddHHmmss GMT+7 text, or undefined when it is not one. */
export function parseVnpayTime(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - GMT7_MS;
  const back = new Date(ms);
  // 20261131... is not a day: refuse it instead of rolling into December.
  return vnpayTime(back) === text ? back : undefined;
}

/** The Vietnam calendar day of an instant as yyyyMMdd (the prefix of our transaction references). */
export function vietnamDayDigits(at: Date): string {
  return vnpayTime(at).slice(0, 8);
}
