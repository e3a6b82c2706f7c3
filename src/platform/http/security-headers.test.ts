// The headers worked out once are those helmet itself sets on a real response.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import helmet from 'helmet';
import { securityHeaders } from './security-headers.js';

const options = { contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], formAction: ["'self'", 'https://sandbox.vnpayment.vn'] } }, hsts: true };

test('the same headers as helmet on a real response, HSTS only when asked', async () => {
  const middleware = helmet(options);
  const server = http.createServer((request, response) => middleware(request, response, () => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const fromHelmet = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)));
    assert.deepEqual(securityHeaders(options), fromHelmet);
  } finally {
    server.close();
  }
  const headers = securityHeaders(options);
  assert.equal(headers['content-security-policy'], "default-src 'self';form-action 'self' https://sandbox.vnpayment.vn");
  assert.match(headers['strict-transport-security'] ?? '', /max-age=\d+/);
  assert.equal(securityHeaders({ ...options, hsts: false })['strict-transport-security'], undefined);
});
