// The README's contract, end to end through the real command line: a first start migrates and
// seeds, a second reuses the data, SIGTERM stops cleanly, and import/export work from files.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src/main.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-cli-'));
let database: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  // On PostgreSQL the CLI gets its own fresh database; on PGlite its own data folder.
  const { DATABASE_URL: serverUrl, ...rest } = process.env;
  if (serverUrl) {
    database = await createTestDatabase();
  }
  env = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'development', PORT: '0', ...(database?.url ? { DATABASE_URL: database.url } : {}) };
});

after(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
}

function start(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 120 s:\n${output}`)), 120_000);
    child.stdout.on('data', () => {
      const m = /Cổng dịch vụ công: http:\/\/[^:]+:(\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, output: () => output, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready:\n${output}`)));
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

describe('command line', () => {
  test('a broken configuration stops the boot with one message per problem', () => {
    const r = cli(['start'], { PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    assert.equal(r.status, 78);
    assert.match(r.stderr, /PORT="abc"/);
    assert.match(r.stderr, /LOG_LEVEL="loud"/);
    assert.match(r.stderr, /DATABASE_URL/);
  });

  let citizenPassword = '';
  test('first start migrates, seeds and serves; SIGTERM stops cleanly', async () => {
    const s = await start();
    assert.match(s.output(), /demo data loaded/);
    // The demo accounts and their generated passwords are printed, and kept out of the repository.
    const m = /congdan@demo\.motcua\.vn\s+(Demo-\S+)/.exec(s.output());
    assert.ok(m, s.output());
    citizenPassword = m[1]!;
    assert.match(s.output(), /quantri\.tinh@demo\.motcua\.vn\s+Demo-\S+\s+quản trị cấp tỉnh/);
    assert.ok(fs.existsSync(path.join(dataDir, 'keys', 'demo-accounts.txt')));
    assert.ok(fs.existsSync(path.join(dataDir, 'keys', 'secret.key')));
    const ready = await fetch(`http://127.0.0.1:${s.port}/readyz`);
    assert.equal(ready.status, 200);
    const search = await (await fetch(`http://127.0.0.1:${s.port}/api/v1/procedures?q=dang%20ky%20khai%20sinh`)).json();
    assert.equal(search.items[0].code, '1.001193');
    assert.equal(await stop(s), 0);
    assert.match(s.output(), /shutting down/);
  });

  test('a second start reuses the data without seeding again', async () => {
    const s = await start();
    assert.doesNotMatch(s.output(), /demo data loaded/);
    assert.ok(citizenPassword && s.output().includes(citizenPassword), 'the same demo password is shown again');
    assert.match(s.output(), /sẵn sàng \/ is ready after [\d.]+ s/);
    const fields = await (await fetch(`http://127.0.0.1:${s.port}/api/v1/fields`)).json();
    assert.ok(fields.items.length >= 10);
    assert.equal(await stop(s), 0);
  });

  test('export writes the catalogue; a bad import file is refused whole with line numbers', () => {
    const csvFile = path.join(dataDir, 'catalogue.csv');
    const exported = cli(['export', csvFile]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /Đã xuất \d+ thủ tục/);
    const lines = fs.readFileSync(csvFile, 'utf8').trimEnd().split('\n');
    assert.ok(lines.length > 40);

    const badFile = path.join(dataDir, 'bad.csv');
    lines[2] = lines[2]!.replace(/,published,/, ',maybe,');
    fs.writeFileSync(badFile, `${lines.join('\n')}\n`);
    const refused = cli(['import', badFile]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Tệp bị từ chối: 1 lỗi, không có dữ liệu nào được lưu/);
    assert.match(refused.stderr, /dòng 3 \(mã [^)]+\): status: Phải là một trong các giá trị/);

    const again = cli(['import', csvFile]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /0 phiên bản mới/);
  });

  test('an unknown command prints the usage', () => {
    const r = cli(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Cách dùng/);
  });
});
