// A real OpenID Connect provider (oidc-provider) standing in for the national portal's SSO / VNeID
// in tests: http on 127.0.0.1, one confidential client, PKCE required, the VNeID claims released
// for scope openid (DOMAIN.md §11), and the library's development login/consent pages.
//
// completeProviderLogin drives those pages with plain fetch, as a browser would; a browser test
// fills the same login form (field "login" = the account id, any password) and presses Continue.
import { decodeHtml } from './identity.js';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { vneidClaimNames } from '../../src/modules/identity/vneid/vneid-claims.js';

/** Claims of one test account, as the provider releases them (`sub` is the account id). */
export type TestOidcClaims = Record<string, unknown>;

export interface TestOidcProviderOptions {
  /** Account id → claims; the account id is what is typed into the login form, and the `sub`. */
  accounts: Record<string, TestOidcClaims>;
  redirectUris: string[];
  clientId?: string;
  /** Default client_secret_post, the default of createVneidClient. */
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /**
   * Default true: the claims are released at the userinfo endpoint (oidc-provider's default when an
   * access token is issued). false: no userinfo endpoint, the claims come in the ID token.
   */
  userinfo?: boolean;
  /** Default 0: a free port. A fixed one restarts a provider at the same issuer. */
  port?: number;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Method and path (no query) of every request the provider received, oldest first. */
  requests: string[];
  close(): Promise<void>;
}

/** The parts of oidc-provider's API used here: the package ships no type definitions. */
interface OidcAccount {
  accountId: string;
  claims(): Promise<Record<string, unknown>>;
}
interface OidcProviderInstance {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProviderInstance;

let providerClass: Promise<OidcProviderClass> | undefined;
/** Issuer origin → account ids of the running providers, to name an unknown account clearly. */
const runningAccounts = new Map<string, Set<string>>();

/**
 * oidc-provider prints development-mode warnings (in-memory adapter, dev interactions, default
 * functions, and Node 20 not being its supported runtime) on load, on start and on requests. They
 * are expected in tests, so this test process drops those lines (and only those) once and for all.
 */
function muteProviderWarnings(): void {
  const mute =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /^oidc-provider (WARNING|NOTICE)/.test(args[0])) return;
      write(...args);
    };
  console.warn = mute(console.warn.bind(console));
  console.info = mute(console.info.bind(console));
}

function loadProviderClass(): Promise<OidcProviderClass> {
  providerClass ??= (async () => {
    muteProviderWarnings();
    // @ts-expect-error -- oidc-provider ships no type definitions; OidcProviderClass describes what is used.
    const module = (await import('oidc-provider')) as { default: OidcProviderClass };
    return module.default;
  })();
  return providerClass;
}

export async function startTestOidcProvider(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const Provider = await loadProviderClass();
  const clientId = options.clientId ?? 'motcua-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const requests: string[] = [];

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
  const extraClaims = Object.values(options.accounts).flatMap((claims) => Object.keys(claims));
  const releasedClaims = [...new Set(['sub', ...vneidClaimNames, ...extraClaims])];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? 'client_secret_post',
      },
    ],
    // Every claim comes with scope openid, as the national portal does.
    claims: { acr: null, sid: null, auth_time: null, iss: null, openid: releasedClaims },
    acrValues: ['LoA1'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, userinfo: { enabled: options.userinfo ?? true } },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    async findAccount(_ctx: unknown, id: string): Promise<OidcAccount | undefined> {
      const claims = Object.hasOwn(options.accounts, id) ? options.accounts[id] : undefined;
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
    },
  });
  const handle = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    handle(req, res);
  });

  runningAccounts.set(issuer, new Set(Object.keys(options.accounts)));

  return {
    issuer,
    clientId,
    clientSecret,
    requests,
    async close() {
      runningAccounts.delete(issuer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Name → value; paths are ignored, which is enough for one sequential login on one origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}


type Step = { method: 'GET' } | { method: 'POST'; body: URLSearchParams };

/**
 * Follows the provider's redirects from the authorization URL until it redirects to the client's
 * redirect_uri, answering the dev interaction pages on the way; returns that final URL unfetched.
 */
async function driveProvider(authorizationUrl: string, answer: 'login' | 'abort', accountId: string): Promise<URL> {
  const redirectParam = new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!redirectParam) throw new Error('the authorization URL has no redirect_uri');
  const target = new URL(redirectParam);
  const isTarget = (url: URL) => url.origin === target.origin && url.pathname === target.pathname;
  let url = new URL(authorizationUrl);
  if (answer === 'login' && runningAccounts.get(url.origin)?.has(accountId) === false) {
    throw new Error(`the test provider has no account "${accountId}"`);
  }
  const jar = new CookieJar();
  let step: Step = { method: 'GET' };
  let loginsSubmitted = 0;

  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: step.method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(step.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: step.method === 'POST' ? step.body.toString() : undefined,
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (isTarget(url)) return url;
      step = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) {
      // oidc-provider's error page names the OAuth error in a <pre>, e.g. invalid_redirect_uri.
      const detail = (/<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? html.replace(/<style[\s\S]*?<\/style>/g, ''))
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      throw new Error(`the test provider answered ${response.status}: ${decodeHtml(detail).slice(0, 300)}`);
    }
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error('the test provider showed a page without a login or consent form');
    if (answer === 'abort') {
      url = new URL(`${url.pathname.replace(/\/$/, '')}/abort`, url);
      step = { method: 'GET' };
      continue;
    }
    url = new URL(decodeHtml(action), url);
    if (prompt === 'login') {
      // The provider asks again when findAccount does not know the account id.
      if (loginsSubmitted++ > 0) throw new Error(`the test provider has no account "${accountId}"`);
      step = { method: 'POST', body: new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }) };
    } else if (prompt === 'consent') {
      step = { method: 'POST', body: new URLSearchParams({ prompt: 'consent' }) };
    } else {
      throw new Error(`the test provider asked for an unknown prompt "${prompt}"`);
    }
  }
  throw new Error('the test provider redirected too many times');
}

/** Signs in as `accountId` and consents; returns the redirect to the client's redirect_uri (code, state, iss). */
export function completeProviderLogin(authorizationUrl: string, accountId: string): Promise<URL> {
  return driveProvider(authorizationUrl, 'login', accountId);
}

/** Cancels at the login page, as a citizen pressing Cancel; returns the error=access_denied redirect. */
export function abortProviderLogin(authorizationUrl: string): Promise<URL> {
  return driveProvider(authorizationUrl, 'abort', '');
}
