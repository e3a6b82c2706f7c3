import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCitizenId, checkTaxCode, normalizeEmail, normalizePhone } from './identity-validators.js';

const keys = (reasons: { key: string }[]) => reasons.map((r) => r.key);
const today = new Date('2026-06-15T00:00:00Z');

describe('CCCD (personal identification number)', () => {
  test('a Đồng Tháp and a Hồ Chí Minh City number are valid and read back their parts', () => {
    const dongThap = checkCitizenId('087090012345', today);
    assert.deepEqual(dongThap.reasons, []);
    assert.deepEqual(dongThap.parts, { provinceCode: '087', provinceName: 'Đồng Tháp', sex: 'nam', birthYear: 1990 });
    const hcm = checkCitizenId('079303001234', today);
    assert.deepEqual(hcm.reasons, []);
    assert.deepEqual(hcm.parts, { provinceCode: '079', provinceName: 'Thành phố Hồ Chí Minh', sex: 'nữ', birthYear: 2003 });
    assert.deepEqual(checkCitizenId('  087090012345 ', today).reasons, [], 'surrounding spaces are ignored');
  });

  test('anything but 12 digits is a format error', () => {
    for (const bad of ['', '08709001234', '0870900123456', '08709001234a', '087 090 012 345', '087-090-012345']) {
      assert.deepEqual(keys(checkCitizenId(bad, today).reasons), ['identity.idNumber.format'], bad);
      assert.equal(checkCitizenId(bad, today).parts, undefined);
    }
  });

  test('a province code that does not exist (000, 003) is named in the reason', () => {
    for (const code of ['000', '003']) {
      const result = checkCitizenId(`${code}090012345`, today);
      assert.deepEqual(result.reasons, [{ key: 'identity.idNumber.province', params: { code } }]);
      assert.equal(result.parts, undefined);
    }
  });

  test('the century digit gives the birth year; a year still to come is refused', () => {
    // 2 = 21st century (male): 2026 is this year, fine; 2027 is not yet.
    assert.deepEqual(checkCitizenId('087226000001', today).reasons, []);
    assert.deepEqual(checkCitizenId('087227000001', today).reasons, [{ key: 'identity.idNumber.birthYear', params: { year: 2027 } }]);
    // 4 = 22nd century: always in the future.
    assert.deepEqual(checkCitizenId('087400000001', today).reasons, [{ key: 'identity.idNumber.birthYear', params: { year: 2100 } }]);
    // 1 = 20th century, female.
    assert.equal(checkCitizenId('087199000001', today).parts?.sex, 'nữ');
  });

  test('both an unknown province and a future year are reported at once', () => {
    assert.deepEqual(keys(checkCitizenId('000499000001', today).reasons), ['identity.idNumber.province', 'identity.idNumber.birthYear']);
  });
});

describe('enterprise code (tax code)', () => {
  test('real codes with a right check digit are valid', () => {
    assert.deepEqual(checkTaxCode('0100112437'), []);
    assert.deepEqual(checkTaxCode('0101248141'), []);
    assert.deepEqual(checkTaxCode(' 0100112437 '), []);
  });

  test('a wrong check digit is refused', () => {
    assert.deepEqual(keys(checkTaxCode('0100112438')), ['identity.taxCode.checksum']);
    assert.deepEqual(keys(checkTaxCode('0101248140')), ['identity.taxCode.checksum']);
  });

  test('a dependent unit adds -001 to -999; -000 is refused', () => {
    assert.deepEqual(checkTaxCode('0100112437-001'), []);
    assert.deepEqual(checkTaxCode('0100112437-999'), []);
    assert.deepEqual(keys(checkTaxCode('0100112437-000')), ['identity.taxCode.branch']);
    assert.deepEqual(keys(checkTaxCode('0100112438-000')), ['identity.taxCode.checksum', 'identity.taxCode.branch']);
  });

  test('other shapes are format errors', () => {
    for (const bad of ['', '010011243', '01001124370', '0100112437-01', '0100112437-0001', '0100112437/001', 'ABCDEFGHIJ']) {
      assert.deepEqual(keys(checkTaxCode(bad)), ['identity.taxCode.format'], bad);
    }
  });
});

describe('phone and email', () => {
  test('Vietnamese mobile numbers, written as people write them, come out as 10 digits', () => {
    assert.equal(normalizePhone('0912345678'), '0912345678');
    assert.equal(normalizePhone('091 234 5678'), '0912345678');
    assert.equal(normalizePhone('0912.345.678'), '0912345678');
    assert.equal(normalizePhone('+84912345678'), '0912345678');
    assert.equal(normalizePhone('0387654321'), '0387654321');
  });

  test('landlines, short, long and foreign numbers are refused', () => {
    for (const bad of ['', '02773851234', '091234567', '09123456789', '0112345678', '+14155550123', '84912345678', 'abc']) {
      assert.equal(normalizePhone(bad), undefined, bad);
    }
  });

  test('emails are trimmed and lower-cased; malformed ones are refused', () => {
    assert.equal(normalizeEmail('  Ten.Nguoi@Example.VN '), 'ten.nguoi@example.vn');
    assert.equal(normalizeEmail('a+b@sub.dongthap.gov.vn'), 'a+b@sub.dongthap.gov.vn');
    for (const bad of ['', 'ten', 'ten@', '@example.vn', 'ten@example', 'ten @example.vn', 'ten@@example.vn', `${'a'.repeat(65)}@example.vn`]) {
      assert.equal(normalizeEmail(bad), undefined, bad);
    }
  });
});
