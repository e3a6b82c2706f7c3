import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { AppError, errorStatus } from './app-error.js';

describe('error registry', () => {
  test('docs/errors.md lists exactly the codes, with their statuses', () => {
    const doc = fs.readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| ([a-z_]+) \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(Object.fromEntries(rows), errorStatus);
  });

  test('an AppError carries its status from the table', () => {
    assert.equal(new AppError('not_found').status, 404);
    assert.equal(new AppError('rate_limited').status, 429);
  });
});
