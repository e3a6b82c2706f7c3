import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { calculatePKCECodeChallenge } from 'openid-client';
import {
  abortProviderLogin,
  completeProviderLogin,
  startTestOidcProvider,
  type TestOidcProvider,
} from '../../../../test/helpers/oidc-provider.js';
import { createVneidClient, PENDING_LOGIN_TTL_MS, VneidLoginError, type VneidClient, type VneidLoginFailureReason } from './vneid-client.js';

const REDIRECT_URI = 'http://127.0.0.1:3999/dang-nhap/vneid/callback';

const citizen = {
  TechID: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  SoDinhDanh: '001090012345',
  HoVaTen: 'Nguyễn Thị Thu Hương',
  NgayThangNamSinh: '19900215',
  GioiTinh: 'Nữ',
  SoDienThoai: '0912345678',
  ThuDienTu: 'huong.nguyen@example.vn',
  ThuongTru: 'Số 12 ngõ 34 phố Hàng Bạc, phường Hoàn Kiếm, Thành phố Hà Nội',
  NoiOHienNay: 'Phường Mỹ Phú, tỉnh Đồng Tháp',
  LoaiTaiKhoan: 1,
};

const business = {
  TechID: 'a9e8d7c6-0000-4000-8000-000000000002',
  SoDinhDanh: '087085000321',
  HoVaTen: 'Trần Văn Bình',
  NgayThangNamSinh: '19851130',
  LoaiTaiKhoan: '2',
  MaSoDoanhNghiep: '1401234567',
  TenDoanhNghiep: 'Công ty TNHH Xuất nhập khẩu Sen Hồng Đồng Tháp',
};

const malformedId = { SoDinhDanh: '1234567', HoVaTen: 'Lê Văn Cường', LoaiTaiKhoan: 1 };

async function rejectsWith(promise: Promise<unknown>, reason: VneidLoginFailureReason): Promise<VneidLoginError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof VneidLoginError, `expected a VneidLoginError, got ${inspect(error)}`);
    assert.equal(error.reason, reason, `expected ${reason}, got ${error.reason} (${error.detail})`);
    return error;
  }
  assert.fail(`expected the login to be refused with ${reason}`);
}

describe('VNeID login (OpenID Connect against a real provider)', () => {
  let provider: TestOidcProvider;
  let client: VneidClient;

  before(async () => {
    provider = await startTestOidcProvider({
      accounts: { citizen, business, malformedId },
      redirectUris: [REDIRECT_URI],
    });
    client = createVneidClient({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri: REDIRECT_URI,
      allowInsecureHttp: true,
    });
  });
  after(() => provider.close());

  const tokenRequests = () => provider.requests.filter((r) => r === 'POST /token').length;

  test('a citizen signs in and gets the identity the portal keeps', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    const identity = await client.completeLogin(callback, pending);
    assert.deepEqual(identity, {
      subject: 'citizen',
      techId: citizen.TechID,
      idNumber: '001090012345',
      fullName: 'Nguyễn Thị Thu Hương',
      birthDate: '1990-02-15',
      sex: 'Nữ',
      phone: '0912345678',
      email: 'huong.nguyen@example.vn',
      permanentAddress: citizen.ThuongTru,
      currentAddress: citizen.NoiOHienNay,
      accountType: 'citizen',
      taxCode: undefined,
      businessName: undefined,
    });
  });

  test('a business account brings its tax code and name', async () => {
    const { url, pending } = await client.beginLogin();
    const identity = await client.completeLogin(await completeProviderLogin(url, 'business'), pending);
    assert.equal(identity.accountType, 'business');
    assert.equal(identity.taxCode, '1401234567');
    assert.equal(identity.businessName, 'Công ty TNHH Xuất nhập khẩu Sen Hồng Đồng Tháp');
    assert.equal(identity.idNumber, '087085000321');
    assert.equal(identity.birthDate, '1985-11-30');
  });

  test('the authorization URL asks for code + PKCE S256, state, nonce, scope openid and LoA1', async () => {
    const { url, pending } = await client.beginLogin();
    const params = new URL(url).searchParams;
    assert.ok(url.startsWith(`${provider.issuer}/auth?`));
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), provider.clientId);
    assert.equal(params.get('redirect_uri'), REDIRECT_URI);
    assert.equal(params.get('scope'), 'openid');
    assert.equal(params.get('acr_values'), 'LoA1');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('code_challenge'), await calculatePKCECodeChallenge(pending.codeVerifier));
    assert.equal(params.get('state'), pending.state);
    assert.equal(params.get('nonce'), pending.nonce);
    assert.ok(!url.includes(pending.codeVerifier), 'the PKCE verifier never leaves the server');
    assert.ok(Math.abs(pending.createdAt - Date.now()) < 5000);

    const second = await client.beginLogin();
    assert.notEqual(second.pending.state, pending.state);
    assert.notEqual(second.pending.nonce, pending.nonce);
    assert.notEqual(second.pending.codeVerifier, pending.codeVerifier);
  });

  test('discovery is fetched lazily, once, and reused', async () => {
    const discoveries = () => provider.requests.filter((r) => r === 'GET /.well-known/openid-configuration').length;
    const start = discoveries();
    const fresh = createVneidClient({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri: REDIRECT_URI,
      allowInsecureHttp: true,
    });
    assert.equal(discoveries(), start, 'creating the client contacts nobody');
    await Promise.all([fresh.beginLogin(), fresh.beginLogin()]);
    const { url, pending } = await fresh.beginLogin();
    await fresh.completeLogin(await completeProviderLogin(url, 'citizen'), pending);
    assert.equal(discoveries(), start + 1);
  });

  test('a callback with another state is refused before the code is spent', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    const before = tokenRequests();
    await rejectsWith(client.completeLogin(callback, { ...pending, state: 'another-browsers-state' }), 'state_mismatch');
    const withoutState = new URL(callback);
    withoutState.searchParams.delete('state');
    await rejectsWith(client.completeLogin(withoutState, pending), 'state_mismatch');
    const twoStates = new URL(callback);
    twoStates.searchParams.append('state', pending.state);
    await rejectsWith(client.completeLogin(twoStates, pending), 'state_mismatch');
    assert.equal(tokenRequests(), before);
    // The genuine callback still works: nothing was consumed by the refusals.
    assert.equal((await client.completeLogin(callback, pending)).idNumber, citizen.SoDinhDanh);
  });

  test('a replayed callback (the same code twice) is refused', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    await client.completeLogin(callback, pending);
    const error = await rejectsWith(client.completeLogin(callback, pending), 'exchange_failed');
    assert.equal(error.detail, 'token_endpoint:invalid_grant');
  });

  test('an ID token with another nonce is refused', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    await rejectsWith(client.completeLogin(callback, { ...pending, nonce: 'nonce-of-another-login' }), 'nonce_mismatch');
  });

  test('a code exchanged with another PKCE verifier is refused', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    const other = await client.beginLogin();
    await rejectsWith(client.completeLogin(callback, { ...pending, codeVerifier: other.pending.codeVerifier }), 'exchange_failed');
  });

  test('the citizen cancelling at the provider is a provider_error', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await abortProviderLogin(url);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    const error = await rejectsWith(client.completeLogin(callback, pending), 'provider_error');
    assert.equal(error.providerError, 'access_denied');
  });

  test('an error redirect is refused as provider_error only with this login state', async () => {
    const { pending } = await client.beginLogin();
    const callback = new URL(REDIRECT_URI);
    callback.search = new URLSearchParams({ error: 'access_denied', state: pending.state }).toString();
    const error = await rejectsWith(client.completeLogin(callback, pending), 'provider_error');
    assert.equal(error.providerError, 'access_denied');
    callback.searchParams.set('error', 'server_error<script>');
    assert.equal((await rejectsWith(client.completeLogin(callback, pending), 'provider_error')).providerError, 'unknown');
    callback.searchParams.set('state', 'forged');
    await rejectsWith(client.completeLogin(callback, pending), 'state_mismatch');
  });

  test('a login pending for more than 10 minutes is refused as expired', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    const before = tokenRequests();
    const old = { ...pending, createdAt: Date.now() - PENDING_LOGIN_TTL_MS - 1000 };
    await rejectsWith(client.completeLogin(callback, old), 'expired');
    await rejectsWith(client.completeLogin(callback, { ...pending, createdAt: Date.now() + 3_600_000 }), 'expired');
    await rejectsWith(client.completeLogin(callback, { ...pending, createdAt: Number.NaN }), 'expired');
    assert.equal(tokenRequests(), before);
  });

  test('the callback URL may be rebuilt behind a proxy: only its query is used', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'citizen');
    const seenByApp = new URL(`${callback.pathname}${callback.search}`, 'http://10.0.0.5:3000');
    assert.equal((await client.completeLogin(seenByApp, pending)).idNumber, citizen.SoDinhDanh);
  });

  test('a malformed SoDinhDanh is refused without echoing personal data', async () => {
    const { url, pending } = await client.beginLogin();
    const callback = await completeProviderLogin(url, 'malformedId');
    const error = await rejectsWith(client.completeLogin(callback, pending), 'claims_invalid');
    const logged = `${error.message} ${inspect(error)} ${JSON.stringify(error)}`;
    assert.ok(!logged.includes('1234567'));
    assert.ok(!logged.includes('Cường'));
    assert.ok(!logged.includes(callback.searchParams.get('code') ?? '?'));
  });
});

describe('VNeID client configuration', () => {
  test('refuses an http issuer unless insecure http is allowed for development', () => {
    const base = { issuer: 'http://127.0.0.1:1', clientId: 'c', clientSecret: 's', redirectUri: 'https://motcua.example.vn/cb' };
    assert.throws(() => createVneidClient(base), /https/);
    assert.throws(() => createVneidClient({ ...base, issuer: 'not a url' }), /not a valid URL/);
    assert.throws(() => createVneidClient({ ...base, issuer: 'https://sso.example.vn', clientSecret: '' }), /clientSecret/);
    assert.doesNotThrow(() => createVneidClient({ ...base, allowInsecureHttp: true }));
  });

  test('an unreachable provider is provider_unavailable, and the next login tries discovery again', async () => {
    const provider = await startTestOidcProvider({ accounts: { citizen }, redirectUris: [REDIRECT_URI] });
    const { issuer, clientId, clientSecret } = provider;
    await provider.close();
    const client = createVneidClient({ issuer, clientId, clientSecret, redirectUri: REDIRECT_URI, allowInsecureHttp: true, timeoutSeconds: 2 });
    await rejectsWith(client.beginLogin(), 'provider_unavailable');
    await rejectsWith(client.beginLogin(), 'provider_unavailable');
    // The provider comes back at the same address: the failure was not cached.
    const restarted = await startTestOidcProvider({ accounts: { citizen }, redirectUris: [REDIRECT_URI], port: Number(new URL(issuer).port) });
    try {
      assert.equal(restarted.issuer, issuer);
      const { url } = await client.beginLogin();
      assert.ok(url.startsWith(`${issuer}/auth?`));
    } finally {
      await restarted.close();
    }
  });

  test('a provider without userinfo endpoint: the claims are read from the signed ID token', async () => {
    const provider = await startTestOidcProvider({ accounts: { business }, redirectUris: [REDIRECT_URI], userinfo: false });
    try {
      const client = createVneidClient({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUri: REDIRECT_URI,
        allowInsecureHttp: true,
      });
      const { url, pending } = await client.beginLogin();
      const identity = await client.completeLogin(await completeProviderLogin(url, 'business'), pending);
      assert.equal(identity.idNumber, business.SoDinhDanh);
      assert.equal(identity.techId, business.TechID);
      assert.equal(identity.businessName, business.TenDoanhNghiep);
      assert.ok(!provider.requests.includes('GET /me'));
    } finally {
      await provider.close();
    }
  });

  test('works with client_secret_basic as well', async () => {
    const provider = await startTestOidcProvider({
      accounts: { citizen },
      redirectUris: [REDIRECT_URI],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    try {
      const client = createVneidClient({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUri: REDIRECT_URI,
        allowInsecureHttp: true,
        tokenEndpointAuthMethod: 'client_secret_basic',
      });
      const { url, pending } = await client.beginLogin();
      const identity = await client.completeLogin(await completeProviderLogin(url, 'citizen'), pending);
      assert.equal(identity.fullName, 'Nguyễn Thị Thu Hương');
    } finally {
      await provider.close();
    }
  });

  test('a wrong client secret fails the exchange', async () => {
    const provider = await startTestOidcProvider({ accounts: { citizen }, redirectUris: [REDIRECT_URI] });
    try {
      const client = createVneidClient({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: 'not-the-secret',
        redirectUri: REDIRECT_URI,
        allowInsecureHttp: true,
      });
      const { url, pending } = await client.beginLogin();
      const error = await rejectsWith(client.completeLogin(await completeProviderLogin(url, 'citizen'), pending), 'exchange_failed');
      assert.equal(error.detail, 'token_endpoint:invalid_client');
      assert.ok(!inspect(error).includes('not-the-secret'));
    } finally {
      await provider.close();
    }
  });
});
