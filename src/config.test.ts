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
      assert.equal(error.problems.length, 5);
      assert.match(error.message, /PORT="abc"/);
      assert.match(error.message, /DATABASE_URL/);
      assert.match(error.message, /LOG_LEVEL/);
      assert.match(error.message, /SEED_DEMO/);
      assert.match(error.message, /PUBLIC_URL/);
      assert.doesNotMatch(error.message, /secretpw/);
    }
  });

  test('rejects a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT=70000/);
  });

  test('the README lists every variable', () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const variable of configVariables) assert.match(readme, new RegExp(`\\|\\s*\`${variable.name}\`\\s*\\|`), variable.name);
  });
});
