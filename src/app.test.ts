import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../test/helpers/app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ seed: false });
});
after(async () => {
  await t.close();
});

describe('platform', () => {
  test('/healthz answers while the process lives; /readyz checks the database', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: t.database.engine });
  });

  test('every response carries a request id; a sane incoming one is kept, a bad one replaced', async () => {
    const kept = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'proxy-req-12345678' } });
    assert.equal(kept.headers['x-request-id'], 'proxy-req-12345678');
    const replaced = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('security headers: a CSP with no inline script, no framing, nosniff', async () => {
    const r = await t.app.inject('/');
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(r.headers['strict-transport-security'], undefined, 'HSTS only in production');
    // On an error too: the headers are added before routing.
    const missing = await t.app.inject('/khong-co-trang-nay');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['content-security-policy'], csp);
  });

  test('/metrics exposes request durations by route pattern, never raw URLs', async () => {
    await t.app.inject('/api/v1/procedures/9.999999');
    const text = (await t.app.inject('/metrics')).body;
    assert.match(text, /motcua_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/procedures\/:code"/);
    assert.doesNotMatch(text, /9\.999999/);
  });

  test('the stylesheet is served under its content hash with a long cache', async () => {
    const home = (await t.app.inject('/')).body;
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home)?.[1];
    assert.ok(href && /^\/assets\/app\.[0-9a-f]{12}\.css$/.test(href));
    const css = await t.app.inject(href);
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['cache-control']), /immutable/);
    assert.equal((await t.app.inject('/assets/other.css')).statusCode, 404);
  });

  test('a malformed JSON body answers 400 problem+json, not 500', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/procedures', headers: { 'content-type': 'application/json' }, payload: '{bad' });
    assert.equal(r.statusCode, 400);
    assert.match(String(r.headers['content-type']), /problem\+json/);
    assert.equal(r.json().title, 'invalid_input');
  });

  test('the language switch sets a cookie and pages follow it', async () => {
    const en = await t.app.inject('/?lang=en');
    assert.match(String(en.headers['set-cookie']), /lang=en/);
    assert.match(en.body, /<html lang="en">/);
    const again = await t.app.inject({ url: '/', headers: { cookie: 'lang=en' } });
    assert.match(again.body, /<html lang="en">/);
    assert.match((await t.app.inject('/')).body, /<html lang="vi">/);
  });

  test('an internal error shows no internals, only the request id', async () => {
    t.app.log.level = 'silent';
    await t.database.db.schema.dropTable('field').cascade().execute();
    const r = await t.app.inject('/api/v1/fields');
    assert.equal(r.statusCode, 500);
    const body = r.json();
    assert.equal(body.detail, 'Hệ thống gặp sự cố. Vui lòng thử lại sau.');
    assert.doesNotMatch(r.body, /relation|does not exist|stack|at /i);
    assert.equal(body.requestId, r.headers['x-request-id']);
  });
});
