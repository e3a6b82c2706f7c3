import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAgencyCode, validateAgencyCode } from './agency-code.js';

const keys = (code: string, parent?: string) => validateAgencyCode(code, parent).map((p) => p.key);

describe('electronic agency identifiers (Decision 20/2020, QCVN 102:2016)', () => {
  test('accepts real identifiers at every level', () => {
    assert.deepEqual(keys('000.00.00.H20'), []); // UBND tỉnh Đồng Tháp
    assert.deepEqual(keys('000.00.00.H49'), []); // UBND tỉnh Quảng Ninh
    assert.deepEqual(keys('000.00.14.H20'), []); // Sở TT&TT Đồng Tháp
    assert.deepEqual(keys('000.00.00.G12'), []); // a ministry
    assert.deepEqual(keys('000.05.31.H20'), []);
    assert.deepEqual(keys('001.05.31.H20'), []);
  });

  test('gives the reason for each kind of invalid identifier', () => {
    assert.deepEqual(keys(''), ['agencyCode.empty']);
    assert.deepEqual(keys('000.00.00.h20'), ['agencyCode.charset', 'agencyCode.shape']);
    assert.deepEqual(keys('000.00.0.H20'), ['agencyCode.shape']);
    assert.deepEqual(keys('000-00-00-H20'), ['agencyCode.charset', 'agencyCode.shape']);
    assert.deepEqual(keys('000.00.00.X20'), ['agencyCode.letter']);
    assert.deepEqual(keys('000.00.00.H00'), ['agencyCode.level1']);
    assert.deepEqual(keys('000.12.00.H20'), ['agencyCode.hierarchy']);
    assert.deepEqual(keys('001.00.00.H20'), ['agencyCode.hierarchy']);
    assert.ok(keys(`${'0'.repeat(36)}`).includes('agencyCode.tooLong'));
  });

  test('a child must sit directly under its parent', () => {
    assert.deepEqual(keys('000.00.14.H20', '000.00.00.H20'), []);
    assert.deepEqual(keys('000.05.31.H20', '000.00.31.H20'), []);
    assert.deepEqual(keys('000.05.31.H20', '000.00.30.H20'), ['agencyCode.parent']);
    assert.deepEqual(keys('000.00.14.H20', '000.00.00.H49'), ['agencyCode.parent']);
    assert.deepEqual(keys('000.05.31.H20', '000.00.00.H20'), ['agencyCode.parent']);
  });

  test('parses the groups and the depth', () => {
    assert.deepEqual(parseAgencyCode('000.05.31.H20'), { level4: '000', level3: '05', level2: '31', letter: 'H', level1: '20', depth: 3 });
    assert.equal(parseAgencyCode('000.00.00.H20')?.depth, 1);
    assert.equal(parseAgencyCode('nonsense'), undefined);
  });
});
