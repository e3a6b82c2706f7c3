// `motcua keys` through the real command line: a first `start` with the demo makes the demo CA
// and the agencies' certificates; then list, issue and import (a certificate and key made by
// OpenSSL, as a real CA's would be), with the refusals an operator can meet.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'src/main.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-keys-'));
let database: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  // On PostgreSQL the CLI gets its own fresh database; on PGlite its own data folder.
  const { DATABASE_URL: serverUrl, ...rest } = process.env;
  if (serverUrl) database = await createTestDatabase();
  env = { ...rest, DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'development', PORT: '0', ...(database?.url ? { DATABASE_URL: database.url } : {}) };
});

after(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function keys(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', main, 'keys', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
}

/** Starts the portal once (migrate, seed the demo, listen), then stops it with SIGTERM. */
function startAndStop(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line in 180 s:\n${output}`));
    }, 180_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (/sẵn sàng/.test(output)) resolve(output);
      else reject(new Error(`exited ${code} before ready:\n${output}`));
    });
    child.stdout.on('data', () => {
      if (/Cổng dịch vụ công: http/.test(output)) child.kill('SIGTERM');
    });
  });
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dataDir, stdio: 'pipe' });
}

describe('keys (command line)', () => {
  test('a first start with the demo makes the demo CA and a certificate for each agency that issues results', async () => {
    const output = await startAndStop();
    assert.match(output, /demo signing keys made/);
    const listed = keys('list');
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.match(lines[0]!, /^CA\tCA cấp chứng thư\tCN=MộtCửa Demo CA \(chỉ dùng thử nghiệm\), O=MộtCửa, C=VN\t.+ → .+\tSHA-256 [0-9a-f]{64}$/);
    const mytho = lines.find((line) => line.startsWith('000.00.51.H20\t'));
    assert.ok(mytho, listed.stdout);
    assert.match(mytho, /^000\.00\.51\.H20\tđang dùng\tCN=Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp, OU=000\.00\.51\.H20, C=VN\t/);
    assert.ok(lines.filter((line) => /\tđang dùng\t/.test(line)).length > 10);
    assert.doesNotMatch(listed.stdout, /PRIVATE KEY|v1\./, 'no key material is printed');
  });

  test('issue replaces an agency’s certificate; an unknown agency or command gets a message and a non-zero exit', () => {
    const issued = keys('issue', '000.00.51.H20', '--days', '365');
    assert.equal(issued.status, 0, issued.stderr);
    assert.match(issued.stdout, /^Đã cấp chứng thư cho 000\.00\.51\.H20: CN=Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp, OU=000\.00\.51\.H20, C=VN, hiệu lực đến .+ \(SHA-256 [0-9a-f]{64}\)\./);
    const unknown = keys('issue', '999.99.99.H99');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Không có cơ quan nào mang mã 999\.99\.99\.H99\./);
    const usage = keys('frobnicate');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^Cách dùng: keys demo-ca \| keys issue/);
  });

  test('import takes a certificate and key from another CA (made by OpenSSL) once its root is trusted', () => {
    const ext = path.join(dataDir, 'agency.ext');
    fs.writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-utf8', '-subj', '/C=VN/O=CA thử nghiệm/CN=Root CA thử nghiệm', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'agency.key', '-out', 'agency.csr', '-utf8', '-subj', '/C=VN/OU=000.00.52.H20/CN=UBND phường Gò Công']);
    openssl(['x509', '-req', '-in', 'agency.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'agency.pem', '-days', '700', '-extfile', ext]);
    const file = (name: string) => path.join(dataDir, name);

    const untrusted = keys('import', '000.00.52.H20', '--cert', file('agency.pem'), '--key', file('agency.key'));
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.stderr, /Chứng thư không dùng được để ký: Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp\./);
    const imported = keys('import', '000.00.52.H20', '--cert', file('agency.pem'), '--key', file('agency.key'), '--ca', file('ca.pem'));
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /^Đã nhập chứng thư cho 000\.00\.52\.H20: CN=UBND phường Gò Công, OU=000\.00\.52\.H20, C=VN, hiệu lực đến /);
    const listed = keys('list').stdout;
    assert.match(listed, /^CA\tCA tin cậy\tCN=Root CA thử nghiệm, O=CA thử nghiệm, C=VN\t/m);
    assert.match(listed, /^000\.00\.52\.H20\tđang dùng\tCN=UBND phường Gò Công, OU=000\.00\.52\.H20, C=VN\t/m);
    assert.match(listed, /^000\.00\.52\.H20\tđã thay\tCN=Ủy ban nhân dân phường Gò Công/m, 'the demo certificate it replaced is kept, retired');
    assert.equal(listed.split('\n').filter((line) => line.startsWith('000.00.52.H20\t')).length, 2, 'the refused import stored nothing');
    assert.deepEqual(listed.split('\n').filter((line) => line.startsWith('000.00.51.H20\t')).map((line) => line.split('\t')[1]), ['đã thay', 'đang dùng']);
  });
});
