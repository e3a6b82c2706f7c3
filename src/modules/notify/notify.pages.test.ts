import { randomBytes } from 'node:crypto';
// The developer inbox on the real application (buildApp, with its error handling, helmet and
// layout): the messages kept by the development driver are listed newest first and shown one by
// one, with the text's links clickable and nothing of the stored HTML or subject injected raw.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../app.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { testConfig } from '../../../test/helpers/app.js';
import { createJobRegistry, type JobRegistry } from '../../platform/outbox/registry.js';
import { startOutboxWorker, type OutboxWorker } from '../../platform/outbox/worker.js';
import { createNotifyJobs } from './notify.jobs.js';
import { devInboxPages, linksIn } from './notify.pages.js';
import { insertDevMail } from './notify.repository.js';
import { queueEmail } from './notify.service.js';
import { createDevMailTransport } from './notify.transport.js';

let database: TestDatabase;
let app: FastifyInstance;
let registry: JobRegistry;
let worker: OutboxWorker;

before(async () => {
  database = await createTestDatabase();
  app = await buildApp({ config: testConfig(), database, secretKey: randomBytes(32) });
  // app.ts registers the inbox itself when SMTP_URL is unset; until then, the test does.
  if (!app.hasRoute({ method: 'GET', url: '/dev/hop-thu' })) await app.register(devInboxPages, { db: database.db });
  await app.ready();
  registry = createJobRegistry(createNotifyJobs({ transport: createDevMailTransport({ db: database.db }) }));
  worker = startOutboxWorker({ db: database.db, registry, log: pino({ level: 'silent' }), poll: false });
});

after(async () => {
  await worker.stop();
  await app.close();
  await database.close();
});

beforeEach(async () => {
  await database.db.withTables<{ devMail: { id: number } }>().deleteFrom('devMail').execute();
});

async function get(url: string) {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

/** The id of a detail link in the inbox list, by the order the list shows them. */
function detailIds(body: string): number[] {
  return [...body.matchAll(/href="\/dev\/hop-thu\/(\d+)"/g)].map((m) => Number(m[1]));
}

describe('developer inbox /dev/hop-thu', () => {
  test('lists queued emails newest first and shows one with its verification link as a real link', async () => {
    const link = 'https://dichvucong.example.vn/tai-khoan/xac-nhan?token=T0k3n&lang=vi';
    await database.db.transaction().execute((trx) =>
      queueEmail(registry, trx, { to: 'an.tran@example.vn', template: 'account.verify-email', locale: 'vi', params: { name: 'Trần Văn An', link } }),
    );
    assert.equal(await worker.runOnce(), 1);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later created_at for the second message
    await database.db.transaction().execute((trx) =>
      queueEmail(registry, trx, {
        to: 'binh.le@example.vn',
        template: 'dossier.status-changed',
        locale: 'vi',
        params: { name: 'Lê Thị Bình', dossierCode: 'H01.01-241128-0002', statusText: 'Đã trả kết quả', link: 'https://dichvucong.example.vn/ho-so/H01.01-241128-0002' },
      }),
    );
    assert.equal(await worker.runOnce(), 1);

    const list = await get('/dev/hop-thu');
    assert.equal(list.status, 200);
    assert.match(String(list.headers['content-type']), /^text\/html/);
    assert.equal(list.headers['cache-control'], 'no-store');
    assert.match(list.body, /<h1>Hộp thư phát triển<\/h1>/);
    assert.match(list.body, /2 thư/);
    const newest = list.body.indexOf('Hồ sơ H01.01-241128-0002: Đã trả kết quả');
    const older = list.body.indexOf('Xác nhận địa chỉ thư điện tử trên Cổng Dịch vụ công');
    assert.ok(newest > 0 && older > newest, 'newest first');
    assert.ok(list.body.indexOf('binh.le@example.vn') < list.body.indexOf('an.tran@example.vn'));
    assert.match(list.body, /<time dateTime="\d{4}-\d\d-\d\dT/i);

    const [, verifyId] = detailIds(list.body);
    const detail = await get(`/dev/hop-thu/${verifyId}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.headers['cache-control'], 'no-store');
    assert.match(detail.body, /<h1>Xác nhận địa chỉ thư điện tử trên Cổng Dịch vụ công<\/h1>/);
    assert.match(detail.body, /an\.tran@example\.vn/);
    assert.match(detail.body, /Kính gửi ông\/bà Trần Văn An,/);
    const escapedLink = link.replace('&', '&amp;');
    assert.ok(detail.body.includes(`<a href="${escapedLink}">${escapedLink}</a>`), 'the verification link is clickable');
    assert.match(detail.body, /&lt;!doctype html>\n&lt;html lang=&quot;vi&quot;>/, 'the HTML source is shown as text');
    assert.doesNotMatch(detail.body, /<a href="[^"]+" style=/, 'the stored HTML is not injected');
  });

  test('a malicious subject, body and HTML are shown escaped; only http(s) links become links', async () => {
    const id = await insertDevMail(database.db, {
      messageId: '<attack@motcua.local>',
      toAddress: 'x@example.vn',
      subject: '<script>alert("subject")</script>',
      text: 'Xin chào <img src=x onerror=alert(1)>\njavascript:alert(2)\nhttps://dichvucong.example.vn/ok?a=1&b=2.\n',
      html: '<script>alert("html")</script><iframe src="https://evil.example"></iframe>',
    });

    const list = await get('/dev/hop-thu');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /<script>alert/);
    // Preact escapes < (and leaves > as is, which is valid and harmless in text).
    assert.match(list.body, /&lt;script>alert\(&quot;subject&quot;\)&lt;\/script>/);

    const detail = await get(`/dev/hop-thu/${id}`);
    assert.equal(detail.status, 200);
    assert.doesNotMatch(detail.body, /<script|<img|<iframe/i);
    assert.match(detail.body, /<title>&lt;script>alert\(&quot;subject&quot;\)&lt;\/script> – MộtCửa<\/title>/);
    assert.match(detail.body, /&lt;iframe src=&quot;https:\/\/evil\.example&quot;>/);
    assert.doesNotMatch(detail.body, /href="javascript:/);
    assert.ok(detail.body.includes('<a href="https://dichvucong.example.vn/ok?a=1&amp;b=2">'), 'the trailing full stop is not part of the link');
    // The application's CSP still applies, as a second line of defence.
    assert.match(String(detail.headers['content-security-policy']), /script-src 'self'/);
  });

  test('an unknown message is a 404 page; an id that is not a number is a 400', async () => {
    const missing = await get('/dev/hop-thu/999999');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /Không tìm thấy trang hoặc dữ liệu bạn yêu cầu/);
    assert.equal((await get('/dev/hop-thu/abc')).status, 400);
  });

  test('empty inbox says so; English on ?lang=en', async () => {
    const vi = await get('/dev/hop-thu');
    assert.match(vi.body, /Chưa có thư nào\./);
    const en = await get('/dev/hop-thu?lang=en');
    assert.match(en.body, /<h1>Developer inbox<\/h1>/);
    assert.match(en.body, /No messages yet\./);
  });

  test('linksIn: http(s) links of a text, in order, once each, without trailing punctuation', () => {
    assert.deepEqual(linksIn('Mở https://a.vn/x?y=1. rồi (https://b.vn/z), lại https://a.vn/x?y=1 và ftp://c.vn'), ['https://a.vn/x?y=1', 'https://b.vn/z']);
  });
});
