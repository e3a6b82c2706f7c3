import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPasswordStrength, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';

const keys = (reasons: { key: string }[]) => reasons.map((r) => r.key);

describe('password strength', () => {
  test('a long enough uncommon phrase passes', () => {
    assert.deepEqual(checkPasswordStrength('sen hồng nở rộ tháng năm'), []);
    assert.deepEqual(checkPasswordStrength('Tr4m-Chim-2026'), []);
  });

  test('shorter than the minimum is refused with the minimum named', () => {
    assert.equal(MIN_PASSWORD_LENGTH, 10);
    assert.deepEqual(checkPasswordStrength('Ng4n-qu4'), [{ key: 'identity.password.short', params: { min: 10 } }]);
    assert.deepEqual(checkPasswordStrength(''), [{ key: 'identity.password.short', params: { min: 10 } }]);
    assert.deepEqual(checkPasswordStrength('a'.repeat(129)).map((r) => r.key), ['identity.password.long']);
  });

  test('common passwords are refused whatever their case; so are repeated characters and digit runs', () => {
    for (const common of ['password123', 'PASSWORD123', 'matkhau@123', 'dichvucong', 'DongThap123', 'qwertyuiop', 'aaaaaaaaaaaa', '1234567890', '12345678901234567890']) {
      assert.deepEqual(keys(checkPasswordStrength(common)), ['identity.password.common'], common);
    }
  });

  test('a strong phrase that merely starts with digits is not "common"', () => {
    assert.deepEqual(checkPasswordStrength('1234567890 cánh đồng sen Tháp Mười'), []);
  });

  test('a password holding the person’s own ID number or email name is refused', () => {
    assert.deepEqual(keys(checkPasswordStrength('xx087090012345yy', ['087090012345'])), ['identity.password.personal']);
    assert.deepEqual(keys(checkPasswordStrength('NguyenVanAn-2026', ['nguyenvanan'])), ['identity.password.personal']);
    // Personal parts shorter than 4 characters are not checked (they would refuse too much).
    assert.deepEqual(checkPasswordStrength('an-sen-hong-2026', ['an']), []);
  });
});

describe('password hashing', () => {
  test('argon2id in PHC format, salted, verifiable', async () => {
    const hash = await hashPassword('sen hồng nở rộ tháng năm');
    assert.match(hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    const [, , , params] = hash.split('$');
    const m = Number(/m=(\d+)/.exec(params!)?.[1]);
    assert.ok(m >= 19_456, `memory cost ${m} KiB is at least the OWASP minimum`);
    assert.notEqual(await hashPassword('sen hồng nở rộ tháng năm'), hash, 'a fresh salt each time');
    assert.equal(await verifyPassword(hash, 'sen hồng nở rộ tháng năm'), true);
    assert.equal(await verifyPassword(hash, 'sen hong no ro thang nam'), false);
  });

  test('no hash (an eID-only account) and a garbled hash never verify', async () => {
    assert.equal(await verifyPassword(null, 'anything at all'), false);
    assert.equal(await verifyPassword('not-a-hash', 'anything at all'), false);
  });
});
