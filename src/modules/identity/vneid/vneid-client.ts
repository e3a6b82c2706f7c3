// "Đăng nhập bằng VNeID": the OpenID Connect client of the national portal's SSO / VNeID
// (DOMAIN.md §11). Authorization code flow with PKCE (S256), state and nonce; openid-client checks
// state, nonce, issuer, audience, signature and PKCE when given the expected values.
//
// The caller (the login route) keeps the PendingLogin between beginLogin and completeLogin in
// server-side or encrypted, HttpOnly storage bound to the browser: it holds the PKCE verifier.
import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import { mapVneidClaims, type NationalIdIdentity } from './vneid-claims.js';
import { VneidLoginError } from './vneid-error.js';

export type { NationalIdAccountType, NationalIdIdentity } from './vneid-claims.js';
export { isVneidLoginError, VneidLoginError, type VneidLoginFailureReason } from './vneid-error.js';

/** A login may stay pending this long between the redirect to the provider and the callback. */
export const PENDING_LOGIN_TTL_MS = 10 * 60 * 1000;
/** Clocks of two of our own servers may disagree a little; a createdAt further ahead is forged. */
const FUTURE_SKEW_MS = 60 * 1000;
/** The national portal asks for the basic level of assurance (DOMAIN.md §11). */
const ACR_VALUES = 'LoA1';

export interface VneidClientOptions {
  /** The provider's issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback URL, exactly as registered with the provider. */
  redirectUri: string;
  /** Allows http:// issuers: only for tests and development against 127.0.0.1. */
  allowInsecureHttp?: boolean;
  /** How the client authenticates at the token endpoint. Default client_secret_post. */
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Timeout of each request to the provider, in seconds. Default 10. */
  timeoutSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** What must survive, server-side, between beginLogin and completeLogin. JSON-serialisable. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface VneidClient {
  /** Where to redirect the browser, and what to keep until the callback. */
  beginLogin(): Promise<{ url: string; pending: PendingLogin }>;
  /**
   * Handles the provider's redirect back to `redirectUri`. Only the query of `callbackUrl` is used,
   * so a URL rebuilt behind a proxy (http vs https, another host) still works.
   * Throws VneidLoginError.
   */
  completeLogin(callbackUrl: URL, pending: PendingLogin): Promise<NationalIdIdentity>;
}

function assertUrl(name: string, value: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`VNeID ${name} is not a valid URL`);
  }
  const allowed = allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) throw new TypeError(`VNeID ${name} must use https`);
  return url;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An OAuth error code is a short token (RFC 6749 §5.2); anything else is not worth logging. */
function oauthErrorCode(value: unknown): string {
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : 'unknown';
}

function isNonceProblem(error: unknown): boolean {
  // openid-client wraps oauth4webapi's OperationProcessingError, whose cause names the claim.
  const inner = (error as { cause?: unknown } | null)?.cause as { message?: unknown; cause?: { claim?: unknown } } | undefined;
  if (inner?.cause?.claim === 'nonce') return true;
  return typeof inner?.message === 'string' && inner.message.includes('"nonce"');
}

/** Translates what openid-client throws into a reason, keeping only codes (never the cause: it holds claims). */
function exchangeFailure(error: unknown): VneidLoginError {
  if (error instanceof VneidLoginError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new VneidLoginError('provider_error', 'authorization_response', oauthErrorCode(error.error));
  }
  if (error instanceof oidc.ResponseBodyError) {
    // e.g. invalid_grant: the code was already used or expired, or the PKCE verifier is wrong.
    return new VneidLoginError('exchange_failed', `token_endpoint:${oauthErrorCode(error.error)}`);
  }
  const code = errorCode(error);
  if (isNonceProblem(error)) return new VneidLoginError('nonce_mismatch', code);
  return new VneidLoginError('exchange_failed', code ?? (error instanceof Error ? error.name : 'unknown'));
}

export function createVneidClient(options: VneidClientOptions): VneidClient {
  const allowHttp = options.allowInsecureHttp ?? false;
  const issuer = assertUrl('issuer', options.issuer, allowHttp);
  const redirectUri = assertUrl('redirectUri', options.redirectUri, allowHttp);
  if (!options.clientId) throw new TypeError('VNeID clientId is required');
  if (!options.clientSecret) throw new TypeError('VNeID clientSecret is required');
  const now = options.now ?? Date.now;
  const timeout = options.timeoutSeconds ?? 10;
  const clientAuth =
    options.tokenEndpointAuthMethod === 'client_secret_basic'
      ? oidc.ClientSecretBasic(options.clientSecret)
      : oidc.ClientSecretPost(options.clientSecret);

  // Discovered once, on first use, so that the portal starts even while the provider is down;
  // a failed discovery is forgotten so that the next login tries again.
  let configuration: Promise<oidc.Configuration> | undefined;
  function getConfiguration(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        issuer,
        options.clientId,
        { client_secret: options.clientSecret, redirect_uris: [redirectUri.href], response_types: ['code'] },
        clientAuth,
        { execute: allowHttp ? [oidc.allowInsecureRequests] : [], timeout },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw new VneidLoginError('provider_unavailable', errorCode(error) ?? (error instanceof Error ? error.name : 'unknown'));
      });
    return configuration;
  }

  async function beginLogin(): Promise<{ url: string; pending: PendingLogin }> {
    const config = await getConfiguration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier,
      createdAt: now(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri.href,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      acr_values: ACR_VALUES,
    });
    return { url: url.href, pending };
  }

  async function completeLogin(callbackUrl: URL, pending: PendingLogin): Promise<NationalIdIdentity> {
    const age = now() - pending.createdAt;
    if (!Number.isFinite(age) || age > PENDING_LOGIN_TTL_MS || age < -FUTURE_SKEW_MS) {
      throw new VneidLoginError('expired');
    }
    const params = callbackUrl.searchParams;
    // Checked here first, before any error parameter is trusted: an error redirect is only this
    // browser's answer if it carries this browser's state.
    const states = params.getAll('state');
    if (states.length !== 1 || !sameSecret(states[0] ?? '', pending.state)) {
      throw new VneidLoginError('state_mismatch');
    }
    if (params.has('error')) {
      throw new VneidLoginError('provider_error', 'authorization_response', oauthErrorCode(params.get('error')));
    }

    const config = await getConfiguration();
    // openid-client sends the URL without its query as redirect_uri: use the registered one.
    const current = new URL(redirectUri.href);
    current.search = callbackUrl.search;

    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new VneidLoginError('claims_invalid', 'id_token_missing');
      claims = { ...idToken };
      // The provider may release the person's claims in the ID token, at the userinfo endpoint
      // (oidc-provider's default for scope-requested claims), or both: the signed ID token wins.
      if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
        let userinfo: Record<string, unknown>;
        try {
          userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        } catch (error) {
          const code = errorCode(error);
          // A userinfo `sub` other than the ID token's is another person's data.
          if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') throw new VneidLoginError('claims_invalid', 'userinfo_subject_mismatch');
          throw new VneidLoginError('exchange_failed', `userinfo:${code ?? 'unknown'}`);
        }
        claims = { ...userinfo, ...idToken };
      }
    } catch (error) {
      throw exchangeFailure(error);
    }
    return mapVneidClaims(claims);
  }

  return { beginLogin, completeLogin };
}
