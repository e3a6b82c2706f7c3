import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t.close();
});

async function get(url: string) {
  const response = await t.app.inject({ method: 'GET', url });
  return { status: response.statusCode, headers: response.headers, body: response.body, json: () => response.json() };
}

describe('GET /api/v1/procedures: Vietnamese search', () => {
  const firstName = async (q: string) => {
    const r = await get(`/api/v1/procedures?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    return r.json().items[0]?.name as string | undefined;
  };

  test('without diacritics: "dang ky khai sinh" puts birth registration first', async () => {
    assert.match((await firstName('dang ky khai sinh')) ?? '', /^Thủ tục đăng ký khai sinh$/i);
  });
  test('a partial phrase: "khai sinh" puts birth registration first', async () => {
    assert.match((await firstName('khai sinh')) ?? '', /^Thủ tục đăng ký khai sinh$/i);
  });
  test('with diacritics: "Đăng ký kết hôn" puts marriage registration first', async () => {
    assert.match((await firstName('Đăng ký kết hôn')) ?? '', /đăng ký kết hôn/i);
  });
  test('with a typo: "ket hn" still puts marriage registration first', async () => {
    assert.match((await firstName('ket hn')) ?? '', /đăng ký kết hôn/i);
  });
  test('by national code', async () => {
    const r = await get('/api/v1/procedures?q=1.001193');
    assert.equal(r.json().items[0].code, '1.001193');
  });
  test('nonsense finds nothing, and says so with total 0', async () => {
    const body = (await get('/api/v1/procedures?q=zzqqxxy')).json();
    assert.deepEqual(body, { items: [], total: 0, page: 1, pageSize: 20 });
  });

  test('each item carries what a list needs, and nothing raw', async () => {
    const item = (await get('/api/v1/procedures?q=khai%20sinh')).json().items[0];
    for (const key of ['code', 'name', 'field', 'agency', 'onlineLevel', 'processingDays']) assert.ok(key in item, key);
    assert.equal(typeof item.field.name, 'string');
    assert.ok(!('searchText' in item) && !('id' in item) && !('formSchema' in item));
  });

  test('pages: total stays, items move, past the end is empty', async () => {
    const all = (await get('/api/v1/procedures?pageSize=100')).json();
    assert.ok(all.total >= 40, `demo catalogue has ${all.total} procedures`);
    const p1 = (await get('/api/v1/procedures?pageSize=10&page=1')).json();
    const p2 = (await get('/api/v1/procedures?pageSize=10&page=2')).json();
    assert.equal(p1.total, all.total);
    assert.equal(p2.total, all.total);
    assert.notDeepEqual(p1.items.map((i: { code: string }) => i.code), p2.items.map((i: { code: string }) => i.code));
    const beyond = (await get('/api/v1/procedures?pageSize=10&page=999')).json();
    assert.deepEqual(beyond.items, []);
    assert.equal(beyond.total, all.total);
  });

  test('filters by field, level, online level and agency', async () => {
    const byField = (await get('/api/v1/procedures?field=ho_tich&pageSize=100')).json();
    assert.ok(byField.total > 0);
    assert.ok(byField.items.every((i: { field: { code: string } }) => i.field.code === 'ho_tich'));
    const byLevel = (await get('/api/v1/procedures?level=province&pageSize=100')).json();
    assert.ok(byLevel.total > 0 && byLevel.total < (await get('/api/v1/procedures')).json().total);
    const full = (await get('/api/v1/procedures?onlineLevel=full&pageSize=100')).json();
    assert.ok(full.items.every((i: { onlineLevel: string }) => i.onlineLevel === 'full'));
    const someAgency = byField.items[0].agency.code as string;
    const byAgency = (await get(`/api/v1/procedures?agency=${encodeURIComponent(someAgency)}&pageSize=100`)).json();
    assert.ok(byAgency.total > 0);
    const combined = (await get(`/api/v1/procedures?field=ho_tich&q=khai%20sinh`)).json();
    assert.ok(combined.items.every((i: { field: { code: string } }) => i.field.code === 'ho_tich'));
  });
});

describe('bad queries answer 400 and name the parameter', () => {
  for (const [query, parameter] of [
    ['pageSize=0', 'pageSize'],
    ['pageSize=1000', 'pageSize'],
    ['page=abc', 'page'],
    ['level=galaxy', 'level'],
    ['onlineLevel=5', 'onlineLevel'],
    [`q=${'a'.repeat(201)}`, 'q'],
  ] as const) {
    test(`?${query.slice(0, 30)} → 400 naming ${parameter}`, async () => {
      const r = await get(`/api/v1/procedures?${query}`);
      assert.equal(r.status, 400);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      const problem = r.json();
      assert.equal(problem.title, 'invalid_input');
      assert.equal(problem.detail, 'Dữ liệu gửi lên không hợp lệ.');
      assert.ok(problem.errors.some((e: { name: string }) => e.name === parameter), JSON.stringify(problem.errors));
      assert.ok(problem.requestId);
    });
  }
});

describe('GET /api/v1/procedures/{code}', () => {
  test('gives everything a citizen needs to prepare', async () => {
    const r = await get('/api/v1/procedures/1.001193');
    assert.equal(r.status, 200);
    const p = r.json();
    assert.equal(p.code, '1.001193');
    assert.ok(p.documents.length > 0);
    assert.ok(Array.isArray(p.fees));
    assert.ok(p.fees.every((f: { amountVnd: number }) => Number.isInteger(f.amountVnd)));
    assert.ok(p.legalBasis.length > 0);
    assert.ok(p.agencies.length > 0);
    assert.equal(p.onlineLevel.scheme, '2022');
    assert.equal(p.formSchema.type, 'object');
    assert.ok(['high', 'medium', 'low'].includes(p.provenance.confidence));
  });

  test('an unknown code answers 404 with a Vietnamese message', async () => {
    const r = await get('/api/v1/procedures/9.999999');
    assert.equal(r.status, 404);
    assert.equal(r.json().detail, 'Không tìm thấy thủ tục có mã 9.999999.');
    const en = await get('/api/v1/procedures/9.999999?lang=en');
    assert.equal(en.json().detail, 'There is no procedure with code 9.999999.');
  });
});

describe('fields, agencies and unknown paths', () => {
  test('GET /api/v1/fields lists the fields with their counts', async () => {
    const items = (await get('/api/v1/fields')).json().items;
    const hoTich = items.find((f: { code: string }) => f.code === 'ho_tich');
    assert.equal(hoTich.name, 'Hộ tịch');
    assert.ok(hoTich.procedureCount > 0);
  });

  test('GET /api/v1/agencies gives the tree valid today: province, departments, communes, no districts', async () => {
    const body = (await get('/api/v1/agencies')).json();
    assert.equal(body.items.length, 1);
    const province = body.items[0];
    assert.equal(province.code, '000.00.00.H20');
    assert.ok(province.children.filter((c: { kind: string }) => c.kind === 'department').length >= 8);
    assert.ok(province.children.some((c: { level: string }) => c.level === 'commune'));
    assert.ok(!province.children.some((c: { level: string }) => c.level === 'district'));
  });

  test('GET /api/v1/agencies?at=2025-01-01 gives the three-tier tree with districts and their communes', async () => {
    const province = (await get('/api/v1/agencies?at=2025-01-01')).json().items[0];
    const districts = province.children.filter((c: { level: string }) => c.level === 'district');
    assert.ok(districts.length >= 3);
    assert.ok(districts.some((d: { children: unknown[] }) => d.children.length > 0));
  });

  test('GET /api/v1/agencies?at=not-a-date answers 400 naming at', async () => {
    const r = await get('/api/v1/agencies?at=not-a-date');
    assert.equal(r.status, 400);
    assert.ok(r.json().errors.some((e: { name: string }) => e.name === 'at'));
  });

  test('an unknown API path answers 404 problem+json; an unknown page answers a Vietnamese page', async () => {
    const api = await get('/api/v1/nothing-here');
    assert.equal(api.status, 404);
    assert.match(String(api.headers['content-type']), /problem\+json/);
    const page = await get('/khong-co-trang-nay');
    assert.equal(page.status, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /Không có trang nào tại địa chỉ \/khong-co-trang-nay/);
    assert.match(page.body, new RegExp(String(page.headers['x-request-id'])));
  });
});

describe('OpenAPI', () => {
  test('/api/openapi.json documents every API route with its responses', async () => {
    const doc = (await get('/api/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/procedures', '/api/v1/procedures/{code}', '/api/v1/agencies', '/api/v1/fields']) {
      assert.ok(doc.paths[path]?.get?.responses?.['200'], path);
    }
    assert.ok(!doc.paths['/thu-tuc'], 'pages are not part of the API document');
  });
  test('/api/docs lists them on a page', async () => {
    const r = await get('/api/docs');
    assert.equal(r.status, 200);
    assert.match(r.body, /\/api\/v1\/procedures/);
  });
});

describe('pages', () => {
  test('every published procedure is within three clicks of home: home → field → procedure', async () => {
    const home = (await get('/')).body;
    const fieldLinks = [...home.matchAll(/href="(\/thu-tuc\?field=[a-z_]+)"/g)].map((m) => m[1]!);
    assert.ok(fieldLinks.length >= 10);
    const reached = new Set<string>();
    for (const link of fieldLinks) {
      const page = (await get(link)).body;
      for (const m of page.matchAll(/href="\/thu-tuc\/([^"/?]+)"/g)) reached.add(decodeURIComponent(m[1]!));
    }
    const all = (await get('/api/v1/procedures?pageSize=100')).json().items.map((i: { code: string }) => i.code);
    assert.deepEqual(all.filter((code: string) => !reached.has(code)), []);
  });

  test('the procedure page names the fees and documents, and escapes what it shows', async () => {
    const page = await get('/thu-tuc/1.001193');
    assert.equal(page.status, 200);
    assert.match(page.body, /Thành phần hồ sơ/);
    assert.match(page.body, /Phí, lệ phí/);
    assert.match(page.body, /Nộp hồ sơ trực tuyến/);
    assert.doesNotMatch(page.body, /<script/);
    const search = await get('/thu-tuc?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(search.status, 200);
    assert.doesNotMatch(search.body, /<script>alert/);
    assert.match(search.body, /&lt;script>alert\(1\)&lt;\/script>/);
  });

  test('an unknown procedure page answers a Vietnamese 404 page', async () => {
    const page = await get('/thu-tuc/9.999999');
    assert.equal(page.status, 404);
    assert.match(page.body, /Không tìm thấy thủ tục có mã 9\.999999/);
  });

  test('a bad filter on the results page answers 400 naming it', async () => {
    const page = await get('/thu-tuc?pageSize=5000');
    assert.equal(page.status, 400);
    assert.match(page.body, /pageSize/);
  });
});

describe('rate limit on public lookups', () => {
  test('past the limit a client address gets 429 with Retry-After, others are not affected', async () => {
    const limited = await createTestApp({ seed: false, env: { PUBLIC_LOOKUPS_PER_MINUTE: '3' } });
    try {
      const ask = (ip: string) => limited.app.inject({ url: '/api/v1/procedures?q=khai%20sinh', remoteAddress: ip });
      for (let i = 0; i < 3; i++) assert.equal((await ask('10.1.1.1')).statusCode, 200);
      const refused = await ask('10.1.1.1');
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(String(refused.headers['content-type']), /problem\+json/);
      assert.equal(refused.json().detail, 'Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.');
      assert.equal((await ask('10.2.2.2')).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});
