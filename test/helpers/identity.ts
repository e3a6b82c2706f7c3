// Helpers for tests that go through the identity pages as a browser would: a client with a cookie
// jar (session and CSRF cookies), forms posted with the double-submit token, officers created
// straight in the database (no demo officers exist) and logged in with password + TOTP, and the
// last email "sent" to an address (the development inbox table, filled by runJobs()).
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { currentTotpCode } from '../../src/modules/identity/identity.service.js';
import { hashPassword } from '../../src/modules/identity/password.js';
import type { Role } from '../../src/platform/access/access.js';

export type InjectResponse = Awaited<ReturnType<FastifyInstance['inject']>>;

let ipCounter = 0;
/** A distinct client address, so that the per-address rate limits of one test do not hit another's. */
export function freshIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Entities as preact-render-to-string writes them, decoded. */
export function decodeHtml(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The visible text of a page, tags removed and spaces collapsed. */
export function pageText(html: string): string {
  return decodeHtml(html.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The document's <title>. */
export function pageTitle(html: string): string {
  return decodeHtml(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '').trim();
}

/** The hidden CSRF field of the first form on a page. */
export function csrfField(html: string): string | undefined {
  return /<input type="hidden" name="_csrf" value="([^"]*)"/.exec(html)?.[1];
}

export interface RequestOptions {
  headers?: Record<string, string>;
}

/**
 * One browser: keeps cookies (path and expiry honoured enough for one origin), sends them back,
 * and posts forms with the CSRF token. Every client has its own address (rate limits are per address).
 */
export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly app: FastifyInstance,
    readonly ip: string = freshIp(),
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get session(): string | undefined {
    return this.cookies.get('mc_session');
  }

  get csrf(): string | undefined {
    return this.cookies.get('mc_csrf');
  }

  private store(response: InjectResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()) || (cookie.maxAge !== undefined && cookie.maxAge <= 0);
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  async request(method: 'GET' | 'POST' | 'PUT', url: string, payload?: string, options: RequestOptions = {}): Promise<InjectResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (payload !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
    const response = await this.app.inject({ method, url, headers, remoteAddress: this.ip, ...(payload !== undefined ? { payload } : {}) });
    this.store(response);
    return response;
  }

  get(url: string, options: RequestOptions = {}): Promise<InjectResponse> {
    return this.request('GET', url, undefined, options);
  }

  /** GETs a page with a form and returns it with its CSRF field (equal to the cookie). */
  async getForm(url: string): Promise<{ response: InjectResponse; csrf: string }> {
    const response = await this.get(url);
    const csrf = csrfField(response.body);
    if (!csrf) throw new Error(`GET ${url} answered ${response.statusCode} without a form`);
    if (csrf !== this.csrf) throw new Error(`GET ${url}: the form's _csrf differs from the mc_csrf cookie`);
    return { response, csrf };
  }

  /** Makes sure the client holds a CSRF cookie (as a browser does once it has seen any form). */
  async ensureCsrf(): Promise<string> {
    if (!this.csrf) await this.getForm('/dang-nhap');
    return this.csrf!;
  }

  /**
   * POSTs a urlencoded form. The `_csrf` field is the cookie's value unless `csrf` says otherwise
   * (false: no field at all; a string: that value).
   */
  async postForm(url: string, fields: Record<string, string> = {}, options: RequestOptions & { csrf?: string | false } = {}): Promise<InjectResponse> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set('_csrf', options.csrf ?? (await this.ensureCsrf()));
    return this.request('POST', url, body.toString(), options);
  }
}

export interface OfficerSpec {
  email: string;
  password?: string;
  fullName?: string;
  roles: { role: Role; agencyCode: string }[];
}

export interface Officer {
  id: number;
  email: string;
  password: string;
  fullName: string;
}

export const OFFICER_PASSWORD = 'Cán bộ một cửa 2026!';

export async function agencyId(db: Kysely<DB>, code: string): Promise<number> {
  const row = await db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirst();
  if (!row) throw new Error(`no agency ${code} in the demo data`);
  return row.id;
}

/** An officer account with a password and its role assignments, written straight to the database. */
export async function createOfficer(db: Kysely<DB>, spec: OfficerSpec): Promise<Officer> {
  const password = spec.password ?? OFFICER_PASSWORD;
  const fullName = spec.fullName ?? `Cán bộ ${spec.email.split('@')[0]}`;
  const email = spec.email.toLowerCase();
  const { id } = await db
    .insertInto('account')
    .values({ kind: 'officer', fullName, email, emailVerifiedAt: new Date(), passwordHash: await hashPassword(password) } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const grant of spec.roles) {
    await db.insertInto('roleAssignment').values({ accountId: id, role: grant.role, agencyId: await agencyId(db, grant.agencyCode), grantedBy: null, revokedAt: null, revokedBy: null }).execute();
  }
  return { id, email, password, fullName };
}

/** TOTP seeds learnt at enrolment, by email: a later login of the same officer needs them. */
const totpSecrets = new Map<string, string>();

const STEP_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code the server has not seen yet: the server refuses a step at or below the last one used, and
 * accepts one step either side of its clock. Waits for the next step when both are used.
 */
export async function freshTotpCode(db: Kysely<DB>, accountId: number, secret: string): Promise<string> {
  for (;;) {
    const row = await db.selectFrom('account').select('totpLastStep').where('id', '=', accountId).executeTakeFirstOrThrow();
    const last = row.totpLastStep === null ? null : Number(row.totpLastStep);
    const now = Math.floor(Date.now() / STEP_MS);
    for (const step of [now, now + 1]) {
      if (last === null || step > last) return currentTotpCode(secret, step * STEP_MS + STEP_MS / 2);
    }
    await sleep(STEP_MS - (Date.now() % STEP_MS) + 50);
  }
}

export interface LoggedInOfficer {
  client: WebClient;
  secret: string;
  /** Shown at enrolment only; empty when the officer had enrolled before. */
  recoveryCodes: string[];
}

/** The secret shown on the enrolment page. */
export function totpSecretOf(html: string): string | undefined {
  return /<code data-totp-secret[^>]*>([A-Z2-7]+)<\/code>/.exec(html)?.[1];
}

export function recoveryCodesOf(html: string): string[] {
  const list = /<ul class="codes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]!.trim());
}

function expectStatus(response: InjectResponse, status: number, what: string): void {
  if (response.statusCode !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.statusCode} (${response.headers.location ?? pageTitle(response.body)}) ${pageText(response.body).slice(0, 300)}`);
  }
}

/**
 * Logs an officer in through the pages: password, then TOTP enrolment on the first login (the
 * seed is read from the page and remembered) or a TOTP code afterwards. Ends on a session with
 * the second factor passed.
 */
export async function loginOfficer(app: FastifyInstance, db: Kysely<DB>, officer: { id: number; email: string; password: string }, client = new WebClient(app)): Promise<LoggedInOfficer> {
  const login = await client.postForm('/dang-nhap', { email: officer.email, password: officer.password });
  expectStatus(login, 303, `login of ${officer.email}`);
  if (login.headers.location === '/dang-nhap/thiet-lap-xac-thuc') {
    const page = await client.get('/dang-nhap/thiet-lap-xac-thuc');
    expectStatus(page, 200, 'the enrolment page');
    const secret = totpSecretOf(page.body);
    if (!secret) throw new Error('the enrolment page shows no secret');
    const done = await client.postForm('/dang-nhap/thiet-lap-xac-thuc', { code: await freshTotpCode(db, officer.id, secret) });
    expectStatus(done, 200, 'the enrolment');
    totpSecrets.set(officer.email.toLowerCase(), secret);
    return { client, secret, recoveryCodes: recoveryCodesOf(done.body) };
  }
  if (login.headers.location !== '/dang-nhap/xac-thuc') throw new Error(`login of ${officer.email} went to ${login.headers.location}`);
  const secret = totpSecrets.get(officer.email.toLowerCase());
  if (!secret) throw new Error(`${officer.email} has enrolled outside loginOfficer: its TOTP seed is unknown`);
  const done = await client.postForm('/dang-nhap/xac-thuc', { code: await freshTotpCode(db, officer.id, secret) });
  expectStatus(done, 303, 'the TOTP step');
  return { client, secret, recoveryCodes: [] };
}

/** The TOTP seed an officer enrolled with through loginOfficer. */
export function knownTotpSecret(email: string): string | undefined {
  return totpSecrets.get(email.toLowerCase());
}

export interface Mail {
  subject: string;
  text: string;
  /** The first link of the message, as a path with its query (e.g. /xac-thuc-email?token=…). */
  link: string | undefined;
}

/** The newest message captured for an address (call runJobs() first), or undefined. */
export async function latestMail(db: Kysely<DB>, to: string): Promise<Mail | undefined> {
  const row = await db.selectFrom('devMail').select(['subject', 'text']).where(sql`lower(to_address)`, '=', to.toLowerCase()).orderBy('id', 'desc').executeTakeFirst();
  if (!row) return undefined;
  const url = /https?:\/\/[^\s<>"]+/.exec(row.text)?.[0];
  return { subject: row.subject, text: row.text, link: url ? `${new URL(url).pathname}${new URL(url).search}` : undefined };
}

export async function mailCount(db: Kysely<DB>, to: string): Promise<number> {
  const row = await db.selectFrom('devMail').select((eb) => eb.fn.countAll<number>().as('n')).where(sql`lower(to_address)`, '=', to.toLowerCase()).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countRows(db: Kysely<DB>, table: 'account' | 'session' | 'roleAssignment' | 'apiToken' | 'emailToken' | 'businessLink' | 'calendarYear'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Registers a citizen through the form, verifies the email from the link, and returns the account id. */
export async function registerVerifiedCitizen(
  t: { app: FastifyInstance; database: { db: Kysely<DB> }; runJobs(): Promise<number> },
  input: { fullName: string; idNumber: string; email: string; phone: string; password: string },
): Promise<number> {
  const client = new WebClient(t.app);
  const r = await client.postForm('/dang-ky', input);
  expectStatus(r, 303, `registration of ${input.email}`);
  await t.runJobs();
  const mail = await latestMail(t.database.db, input.email);
  if (!mail?.link) throw new Error(`no verification mail for ${input.email}`);
  const token = new URL(mail.link, 'http://x').searchParams.get('token') ?? '';
  expectStatus(await client.postForm('/xac-thuc-email', { token }), 200, 'the verification');
  const row = await t.database.db.selectFrom('account').select('id').where('email', '=', input.email.toLowerCase()).executeTakeFirstOrThrow();
  return row.id;
}

/** Logs a citizen or business in with the password form; the client holds the session after. */
export async function loginCitizen(app: FastifyInstance, email: string, password: string, client = new WebClient(app)): Promise<WebClient> {
  const r = await client.postForm('/dang-nhap', { email, password });
  expectStatus(r, 303, `login of ${email}`);
  return client;
}
