// The email path end to end, on whichever engine the suite runs on: queueEmail in a business
// transaction → outbox → the notify.email job → a real SMTP server in this process (smtp-server),
// the received message parsed back with mailparser. Also: rollback sends nothing, SMTP failures
// retry then park dead without personal data, and the development driver keeps the message.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { countJobsByStatus } from '../../platform/outbox/outbox.js';
import { createJobRegistry, type JobLogger, type JobRegistry } from '../../platform/outbox/registry.js';
import { startOutboxWorker, type OutboxWorker } from '../../platform/outbox/worker.js';
import { createNotifyJobs } from './notify.jobs.js';
import { findLatestDevMailTo, listDevMail } from './notify.repository.js';
import { NotifyError, queueEmail, type QueueEmailInput } from './notify.service.js';
import { createDevMailTransport, createMailTransport, createSmtpTransport, defaultMailFrom, type MailTransport } from './notify.transport.js';

const SMTP_USER = 'motcua';
const SMTP_PASS = 'p@ss:w/rd#1'; // reserved URL characters: the URL must be percent-encoded and decoded right
const citizen = 'nhung.nguyen@example.vn';
const verifyLink = 'https://dichvucong.example.vn/tai-khoan/xac-nhan?token=Zk9q-7Yt2&lang=vi';

interface Received {
  from: string | false;
  to: string[];
  user: string | undefined;
  raw: string;
}

interface TestSmtp {
  port: number;
  received: Received[];
  /** 'recipient': 550 on RCPT TO (permanent); 'data-once': 451 on the next DATA only (temporary). */
  reject: 'none' | 'recipient' | 'data-once';
  close(): Promise<void>;
}

async function startSmtpServer(): Promise<TestSmtp> {
  const state: TestSmtp = { port: 0, received: [], reject: 'none', close: async () => undefined };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'], // plain TCP on 127.0.0.1; the AUTH below is allowed without TLS for the test
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (state.reject === 'recipient') {
        // Servers quote the address back: the error kept by the outbox must not.
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.reject === 'data-once') {
          state.reject = 'none';
          return callback(Object.assign(new Error('4.3.0 Mail server temporarily unavailable'), { responseCode: 451 }));
        }
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : false,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as net.AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface LogLine {
  level: string;
  msg: string | undefined;
  fields: Record<string, unknown>;
}

function captureLog(): { log: JobLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') lines.push({ level, msg: objOrMsg, fields: {} });
      else lines.push({ level, msg, fields: { ...objOrMsg } as Record<string, unknown> });
    };
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

let database: TestDatabase;
let smtp: TestSmtp;
const cleanup: (() => Promise<void>)[] = [];

before(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
});

after(async () => {
  await smtp.close();
  await database.close();
});

beforeEach(async () => {
  smtp.received.length = 0;
  smtp.reject = 'none';
  await database.db.deleteFrom('outboxJob').execute();
  await database.db.withTables<{ devMail: { id: number } }>().deleteFrom('devMail').execute();
});

afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function smtpUrl(port = smtp.port): string {
  return `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${port}`;
}

function setUp(transport: MailTransport, maxAttempts?: number): { registry: JobRegistry; worker: OutboxWorker; lines: LogLine[] } {
  const registry = createJobRegistry(createNotifyJobs({ transport, ...(maxAttempts ? { maxAttempts } : {}) }));
  const { log, lines } = captureLog();
  // Tiny backoff: retries are due within a few milliseconds.
  const worker = startOutboxWorker({ db: database.db, registry, log, poll: false, backoff: { baseMs: 5, capMs: 20 } });
  cleanup.push(async () => {
    await worker.stop();
    await transport.close();
  });
  return { registry, worker, lines };
}

const verifyEmail: QueueEmailInput<'account.verify-email'> = {
  to: citizen,
  template: 'account.verify-email',
  locale: 'vi',
  params: { name: 'Nguyễn Thị Hồng Nhung', link: verifyLink },
};

async function queueCommitted(registry: JobRegistry, input: QueueEmailInput<'account.verify-email'> = verifyEmail): Promise<number> {
  return database.db.transaction().execute((trx) => queueEmail(registry, trx, input));
}

async function getJob(id: number) {
  return database.db.selectFrom('outboxJob').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Drives the worker until the job is done or dead (its retries become due after a few ms). */
async function runUntilFinished(worker: OutboxWorker, id: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await worker.runOnce();
    const job = await getJob(id);
    if (job.status === 'done' || job.status === 'dead') return job;
    if (Date.now() > deadline) assert.fail(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Everything a log line or a stored error must not contain: who the email is for, and what it says. */
const personalData = [citizen, 'nhung.nguyen', 'Nhung', 'Zk9q-7Yt2', 'Xác nhận'];

describe('notify.email through SMTP', () => {
  test('a queued email reaches a real SMTP server in correct Vietnamese, with the link and UTF-8 headers', async () => {
    const { registry, worker, lines } = setUp(createSmtpTransport({ url: smtpUrl(), from: defaultMailFrom }));
    const id = await queueCommitted(registry);

    assert.equal(await worker.runOnce(), 1);
    assert.equal((await getJob(id)).status, 'done');
    assert.equal(smtp.received.length, 1);
    const [mail] = smtp.received;
    assert.equal(mail!.user, SMTP_USER, 'logged in with the credentials of the URL');
    assert.equal(mail!.from, 'no-reply@motcua.local');
    assert.deepEqual(mail!.to, [citizen]);

    // On the wire: 7-bit ASCII only, every non-ASCII header RFC 2047-encoded as UTF-8.
    const raw = mail!.raw;
    assert.match(raw, /^[\x00-\x7f]*$/, 'the raw message is plain ASCII, safe through any relay');
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
    assert.match(headers, /^Subject: =\?UTF-8\?[BQ]\?/im);
    assert.match(headers, /^From: =\?UTF-8\?[BQ]\?[^?]+\?= <no-reply@motcua\.local>/im);
    assert.match(headers, /^Message-ID: <[0-9a-f-]{36}@motcua\.local>/im);
    assert.match(headers, /^Auto-Submitted: auto-generated/im);
    assert.match(headers, /^Content-Language: vi/im);
    assert.match(raw, /Content-Type: text\/plain; charset=utf-8/i);
    assert.match(raw, /Content-Type: text\/html; charset=utf-8/i);

    const parsed = await simpleParser(Buffer.from(raw, 'latin1'));
    assert.equal(parsed.subject, 'Xác nhận địa chỉ thư điện tử trên Cổng Dịch vụ công');
    assert.deepEqual(parsed.from?.value, [{ address: 'no-reply@motcua.local', name: 'MộtCửa' }]);
    assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined, citizen);
    assert.match(parsed.text ?? '', /^Kính gửi ông\/bà Nguyễn Thị Hồng Nhung,\n/);
    assert.match(parsed.text ?? '', /xin ông\/bà vui lòng xác nhận địa chỉ thư điện tử/);
    assert.ok(parsed.text?.includes(`Xác nhận địa chỉ thư điện tử:\n${verifyLink}`), 'the text part carries the link on its own line');
    assert.ok(typeof parsed.html === 'string' && parsed.html.includes(`href="${verifyLink.replace('&', '&amp;')}"`), 'the HTML part links to it');
    assert.match(parsed.html || '', /Kính gửi ông\/bà Nguyễn Thị Hồng Nhung,/);
    assert.equal(parsed.subject, parsed.subject?.normalize('NFC'));

    const sent = lines.filter((l) => l.msg === 'email sent');
    assert.equal(sent.length, 1);
    assert.deepEqual(Object.keys(sent[0]!.fields).sort(), ['attempt', 'jobId', 'messageId', 'template', 'transport', 'type', 'workerId']);
    assert.equal(sent[0]!.fields.template, 'account.verify-email');
    assert.equal(sent[0]!.fields.messageId, parsed.messageId);
    const logged = JSON.stringify(lines);
    for (const secret of personalData) assert.ok(!logged.includes(secret), `the logs do not contain ${secret}`);
  });

  test('rolled back: no job and nothing sent; committed: exactly one email, sent once', async () => {
    const { registry, worker } = setUp(createSmtpTransport({ url: smtpUrl(), from: defaultMailFrom }));

    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await queueEmail(registry, trx, verifyEmail);
        throw new Error('the account could not be saved');
      }),
      /the account could not be saved/,
    );
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 0, dead: 0 });
    assert.equal(await worker.runOnce(), 0);
    assert.equal(smtp.received.length, 0);

    await queueCommitted(registry);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0, 'nothing left to run');
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 1, dead: 0 });
  });

  test('a bad call fails the caller’s transaction: a forged recipient, a non-http link, an unknown template', async () => {
    const { registry } = setUp(createSmtpTransport({ url: smtpUrl(), from: defaultMailFrom }));
    const attempts: [string, QueueEmailInput<'account.verify-email'>][] = [
      ['address_invalid', { ...verifyEmail, to: `${citizen}\r\nBcc: everyone@example.vn` }],
      ['address_invalid', { ...verifyEmail, to: `${citizen}, other@example.vn` }],
      ['address_invalid', { ...verifyEmail, to: 'Nhung <nhung@example.vn>' }],
      ['params_invalid', { ...verifyEmail, params: { name: 'Nhung', link: 'javascript:alert(1)' } }],
      ['template_unknown', { ...verifyEmail, template: 'account.welcome' as never }],
    ];
    for (const [code, input] of attempts) {
      await assert.rejects(
        database.db.transaction().execute((trx) => queueEmail(registry, trx, input)),
        (e: unknown) => e instanceof NotifyError && e.code === code && !e.message.includes(citizen),
        code,
      );
    }
    assert.deepEqual(await countJobsByStatus(database.db), { pending: 0, running: 0, done: 0, dead: 0 });
  });

  test('the server rejects the recipient: the job retries, then is parked dead with an error that holds no personal data', async () => {
    smtp.reject = 'recipient';
    const { registry, worker, lines } = setUp(createSmtpTransport({ url: smtpUrl(), from: defaultMailFrom }), 3);
    const id = await queueCommitted(registry);

    assert.equal(await worker.runOnce(), 1);
    const first = await getJob(id);
    assert.equal(first.status, 'pending', 'the first failure schedules a retry');
    assert.equal(first.attempts, 1);
    assert.match(first.lastError ?? '', /SMTP send failed \(EENVELOPE, reply 550, at RCPT TO\)/);

    const job = await runUntilFinished(worker, id);
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, 3);
    assert.match(job.lastError ?? '', /^SMTP send failed \(EENVELOPE, reply 550, at RCPT TO\): .*Recipient address rejected/);
    for (const secret of personalData) assert.ok(!job.lastError?.includes(secret), `the stored error does not contain ${secret}`);
    assert.equal(smtp.received.length, 0);

    const failures = lines.filter((l) => l.level !== 'info');
    assert.deepEqual(
      failures.map((l) => l.msg),
      ['outbox job failed; retry scheduled', 'outbox job failed; retry scheduled', 'outbox job parked dead after its last attempt'],
    );
    const logged = JSON.stringify(lines);
    for (const secret of personalData) assert.ok(!logged.includes(secret), `the logs do not contain ${secret}`);
  });

  test('nothing listens on the SMTP port: the job retries, then is parked dead with the connection error', async () => {
    const { registry, worker } = setUp(createSmtpTransport({ url: smtpUrl(await closedPort()), from: defaultMailFrom }), 2);
    const id = await queueCommitted(registry);

    const job = await runUntilFinished(worker, id);
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, 2);
    assert.match(job.lastError ?? '', /^SMTP send failed \(ESOCKET|^SMTP send failed \(ECONNECTION/);
    assert.match(job.lastError ?? '', /ECONNREFUSED/);
    assert.ok(!job.lastError?.includes(SMTP_PASS) && !job.lastError?.includes(encodeURIComponent(SMTP_PASS)), 'the password stays out');
  });

  test('a temporary failure is retried and the email arrives once, with the same Message-ID it was queued with', async () => {
    smtp.reject = 'data-once';
    const { registry, worker } = setUp(createSmtpTransport({ url: smtpUrl(), from: defaultMailFrom }), 3);
    const id = await queueCommitted(registry);

    const job = await runUntilFinished(worker, id);
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 2);
    assert.equal(smtp.received.length, 1);
    const payload = job.payload as { mailId: string };
    assert.match(smtp.received[0]!.raw, new RegExp(`^Message-ID: <${payload.mailId}@motcua\\.local>`, 'im'));
  });

  test('wrong SMTP credentials: retried, then dead with the server’s reply and without the password', async () => {
    const url = `smtp://${SMTP_USER}:${encodeURIComponent('sai-mat-khau')}@127.0.0.1:${smtp.port}`;
    const { registry, worker } = setUp(createSmtpTransport({ url, from: defaultMailFrom }), 2);
    const job = await runUntilFinished(worker, await queueCommitted(registry));
    assert.equal(job.status, 'dead');
    assert.match(job.lastError ?? '', /EAUTH, reply 535/);
    assert.ok(!job.lastError?.includes('sai-mat-khau'));
  });
});

describe('notify.email through the development driver', () => {
  test('createMailTransport picks SMTP when SMTP_URL is set and the developer inbox otherwise', async () => {
    const smtpTransport = createMailTransport({ smtpUrl: smtpUrl(), mailFrom: defaultMailFrom, db: database.db });
    const devTransport = createMailTransport({ smtpUrl: undefined, mailFrom: defaultMailFrom, db: database.db });
    assert.equal(smtpTransport.kind, 'smtp');
    assert.equal(devTransport.kind, 'dev');
    await smtpTransport.close();
  });

  test('the message is stored in dev_mail, once even if the job runs twice, and logged without address or body', async () => {
    const transport = createDevMailTransport({ db: database.db });
    const { registry, worker, lines } = setUp(transport);
    const id = await queueCommitted(registry, { ...verifyEmail, locale: 'en' });

    assert.equal(await worker.runOnce(), 1);
    assert.equal((await getJob(id)).status, 'done');
    assert.equal(smtp.received.length, 0, 'nothing goes out');
    const stored = await findLatestDevMailTo(database.db, citizen);
    assert.ok(stored);
    assert.equal(stored.subject, 'Confirm your email address for the Public Service Portal');
    assert.match(stored.text, /^Dear Nguyễn Thị Hồng Nhung,/);
    assert.ok(stored.text.includes(verifyLink));
    assert.ok(stored.html.includes(`href="${verifyLink.replace('&', '&amp;')}"`));
    assert.match(stored.messageId, /^<[0-9a-f-]{36}@motcua\.local>$/);

    // At-least-once delivery: a second run of the same job (a crash before "done" was recorded) stores nothing new.
    await database.db.updateTable('outboxJob').set({ status: 'pending', runAt: new Date(0) }).where('id', '=', id).execute();
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await listDevMail(database.db, { limit: 10, offset: 0 })).total, 1);

    const kept = lines.filter((l) => l.msg === 'email kept in the developer inbox');
    assert.equal(kept.length, 2);
    assert.deepEqual(kept[0]!.fields.template, 'account.verify-email');
    assert.equal(kept[0]!.fields.messageId, stored.messageId);
    assert.equal(kept[0]!.fields.inbox, `/dev/hop-thu/${stored.id}`);
    const logged = JSON.stringify(lines);
    for (const secret of [...personalData, 'Confirm your email']) assert.ok(!logged.includes(secret), `the logs do not contain ${secret}`);
  });

  test('a payload the job cannot read is refused without echoing it', async () => {
    const { registry, worker } = setUp(createDevMailTransport({ db: database.db }), 1);
    const id = await database.db
      .transaction()
      .execute((trx) => registry.enqueue(trx, 'notify.email', { to: citizen, template: 'account.verify-email', locale: 'vi', params: {} }));
    const job = await runUntilFinished(worker, id);
    assert.equal(job.status, 'dead');
    assert.match(job.lastError ?? '', /^notify\.email payload is invalid at/);
    assert.ok(!job.lastError?.includes(citizen));
  });
});
