import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { ConfigError, configVariables, loadConfig } from './config.js';

describe('configuration', () => {
  test('defaults give a working development setup on PGlite', () => {
    const config = loadConfig({}, '/srv/motcua');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, '/srv/motcua/data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.ok(Object.isFrozen(config));
  });

  test('reports every problem at once, one message each, without echoing secrets', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://u:secretpw@h/db', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe', NODE_ENV: 'production' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 6);
      assert.match(error.message, /PORT="abc"/);
      assert.match(error.message, /DATABASE_URL/);
      assert.match(error.message, /LOG_LEVEL/);
      assert.match(error.message, /SEED_DEMO/);
      assert.match(error.message, /PUBLIC_URL/);
      assert.match(error.message, /SMTP_URL là bắt buộc/);
      assert.doesNotMatch(error.message, /secretpw/);
    }
  });

  test('email: the developer inbox by default, SMTP when SMTP_URL is set; bad values reported without the password', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.smtpUrl, undefined);
    assert.equal(defaults.mailFrom, 'MộtCửa <no-reply@motcua.local>');
    const smtp = loadConfig({ SMTP_URL: 'smtps://motcua:s%40cret@mail.example.vn:465', MAIL_FROM: 'Cổng DVC <dvc@example.vn>' });
    assert.equal(smtp.smtpUrl, 'smtps://motcua:s%40cret@mail.example.vn:465');
    assert.equal(smtp.mailFrom, 'Cổng DVC <dvc@example.vn>');
    try {
      loadConfig({ SMTP_URL: 'http://motcua:topsecret@mail.example.vn', MAIL_FROM: 'no address here' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 2);
      assert.match(error.message, /SMTP_URL phải bắt đầu bằng smtp: hoặc smtps:/);
      assert.match(error.message, /MAIL_FROM phải có dạng/);
      assert.doesNotMatch(error.message, /topsecret/);
    }
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://' }), /SMTP_URL thiếu tên máy chủ/);
    assert.throws(() => loadConfig({ MAIL_FROM: 'a@b.vn, c@d.vn' }), /MAIL_FROM/);
  });

  test('rejects a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT=70000/);
  });

  test('the README lists every variable', () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const variable of configVariables) assert.match(readme, new RegExp(`\\|\\s*\`${variable.name}\`\\s*\\|`), variable.name);
  });
});
