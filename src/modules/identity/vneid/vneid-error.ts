// The one error a VNeID login can end with. The reason is what the login route maps to a
// Vietnamese message and a log line; the message and `detail` never hold tokens, codes, claims or
// any personal data, because both end up in logs (Decree 13/2023 on personal data protection).

export const vneidLoginFailureReasons = [
  /** The callback's `state` is missing or is not the one this browser's login started with (CSRF). */
  'state_mismatch',
  /** The ID token's `nonce` is missing or is not the one this login sent (token injection/replay). */
  'nonce_mismatch',
  /** The provider redirected back with `error=...` (e.g. the citizen cancelled: access_denied). */
  'provider_error',
  /** The code could not be exchanged: already used, wrong PKCE verifier, bad client secret, network. */
  'exchange_failed',
  /** The provider's answer lacks a usable identity (no or malformed SoDinhDanh, subject mismatch). */
  'claims_invalid',
  /** The pending login is older than the 10 minutes it may live. */
  'expired',
  /** The provider's discovery document could not be fetched: the provider is down or misconfigured. */
  'provider_unavailable',
] as const;

export type VneidLoginFailureReason = (typeof vneidLoginFailureReasons)[number];

export class VneidLoginError extends Error {
  constructor(
    readonly reason: VneidLoginFailureReason,
    /** A technical code safe to log (an openid-client/OAuth error code), never personal data. */
    readonly detail?: string,
    /** For provider_error: the OAuth `error` code the provider sent back, e.g. `access_denied`. */
    readonly providerError?: string,
  ) {
    super(`VNeID login failed: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'VneidLoginError';
  }
}

export function isVneidLoginError(error: unknown): error is VneidLoginError {
  return error instanceof VneidLoginError;
}
