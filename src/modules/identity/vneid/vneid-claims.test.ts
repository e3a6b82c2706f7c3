import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mapVneidClaims, parseCompactDate } from './vneid-claims.js';
import { VneidLoginError } from './vneid-error.js';

const minimal = { sub: 'abc', SoDinhDanh: '001090012345' };

function refusal(claims: Record<string, unknown>): string | undefined {
  try {
    mapVneidClaims(claims);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof VneidLoginError);
    assert.equal(error.reason, 'claims_invalid');
    return error.detail;
  }
}

describe('VNeID claims → national identity', () => {
  test('only sub and SoDinhDanh are required; the rest is undefined when absent', () => {
    assert.deepEqual(mapVneidClaims(minimal), {
      subject: 'abc',
      techId: undefined,
      idNumber: '001090012345',
      fullName: undefined,
      birthDate: undefined,
      sex: undefined,
      phone: undefined,
      email: undefined,
      permanentAddress: undefined,
      currentAddress: undefined,
      accountType: undefined,
      taxCode: undefined,
      businessName: undefined,
    });
  });

  test('a missing or malformed identity number refuses the login', () => {
    assert.equal(refusal({ sub: 'abc' }), 'SoDinhDanh_missing');
    assert.equal(refusal({ ...minimal, SoDinhDanh: '  ' }), 'SoDinhDanh_missing');
    assert.equal(refusal({ ...minimal, SoDinhDanh: '00109001234' }), 'SoDinhDanh_malformed'); // 11 digits
    assert.equal(refusal({ ...minimal, SoDinhDanh: '0010900123456' }), 'SoDinhDanh_malformed'); // 13 digits
    assert.equal(refusal({ ...minimal, SoDinhDanh: '001 090 012 345' }), 'SoDinhDanh_malformed');
    assert.equal(refusal({ ...minimal, SoDinhDanh: '00109001234A' }), 'SoDinhDanh_malformed');
    // Sent as a number, the leading zero of the province code (001 Hà Nội) is already lost.
    assert.equal(refusal({ ...minimal, SoDinhDanh: 1090012345 }), 'SoDinhDanh_malformed');
    assert.equal(refusal({ SoDinhDanh: '001090012345' }), 'sub_missing');
  });

  test('the refusal never carries the claim values', () => {
    try {
      mapVneidClaims({ sub: 'abc', SoDinhDanh: '98765', HoVaTen: 'Phạm Thị Dung' });
      assert.fail('expected a refusal');
    } catch (error) {
      const text = JSON.stringify({ ...(error as object), message: (error as Error).message });
      assert.ok(!text.includes('98765') && !text.includes('Dung'));
    }
  });

  test('names are trimmed and stored in Unicode NFC whatever form the provider sends', () => {
    const decomposed = 'Nguyễn Thị Thu Hương'.normalize('NFD');
    assert.notEqual(decomposed, 'Nguyễn Thị Thu Hương');
    const identity = mapVneidClaims({ ...minimal, HoVaTen: `  ${decomposed}\n`, SoDinhDanh: ' 001090012345 ' });
    assert.equal(identity.fullName, 'Nguyễn Thị Thu Hương');
    assert.equal(identity.idNumber, '001090012345');
  });

  test('birth dates yyyyMMdd become ISO dates; impossible ones are dropped', () => {
    assert.equal(parseCompactDate('19900215'), '1990-02-15');
    assert.equal(parseCompactDate('20000229'), '2000-02-29');
    assert.equal(parseCompactDate(19751231), '1975-12-31');
    assert.equal(parseCompactDate('19000229'), undefined);
    assert.equal(parseCompactDate('19901301'), undefined);
    assert.equal(parseCompactDate('15/02/1990'), undefined);
    assert.equal(parseCompactDate('1990-02-15'), undefined);
    assert.equal(parseCompactDate(''), undefined);
    assert.equal(mapVneidClaims({ ...minimal, NgayThangNamSinh: '19900231' }).birthDate, undefined);
  });

  test('account type 1 is a citizen, 2 a business, as number or text; anything else unknown', () => {
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: 1 }).accountType, 'citizen');
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: '1' }).accountType, 'citizen');
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: 2 }).accountType, 'business');
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: '2' }).accountType, 'business');
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: 3 }).accountType, undefined);
    assert.equal(mapVneidClaims({ ...minimal, LoaiTaiKhoan: 'doanh nghiệp' }).accountType, undefined);
  });

  test('a business keeps its tax code and name; empty or structured values count as absent', () => {
    const identity = mapVneidClaims({
      ...minimal,
      LoaiTaiKhoan: 2,
      MaSoDoanhNghiep: '1401234567',
      TenDoanhNghiep: 'Công ty Cổ phần Thủy sản Sa Đéc',
      SoDienThoai: '',
      ThuongTru: { tinh: 'Đồng Tháp' },
    });
    assert.equal(identity.taxCode, '1401234567');
    assert.equal(identity.businessName, 'Công ty Cổ phần Thủy sản Sa Đéc');
    assert.equal(identity.phone, undefined);
    assert.equal(identity.permanentAddress, undefined);
  });
});
