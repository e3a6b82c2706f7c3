import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { cleanSearchQuery, foldVietnamese, searchWords } from './search-text.js';

describe('search text', () => {
  test('cleanSearchQuery composes decomposed diacritics, trims and collapses spaces', () => {
    const decomposed = 'Đăng ký khai sinh'.normalize('NFD');
    assert.equal(cleanSearchQuery(`  ${decomposed}\t\n `), 'Đăng ký khai sinh');
    assert.equal(cleanSearchQuery('khai    sinh'), 'khai sinh');
    assert.equal(cleanSearchQuery(undefined), '');
    assert.equal(cleanSearchQuery('   '), '');
    assert.equal(cleanSearchQuery('a'.repeat(500)).length, 200);
  });

  test('foldVietnamese removes every diacritic, folds đ to d and punctuation to spaces', () => {
    assert.equal(foldVietnamese('Đăng ký kết hôn'), 'dang ky ket hon');
    assert.equal(foldVietnamese('Giấy chứng nhận quyền sử dụng đất'), 'giay chung nhan quyen su dung dat');
    assert.equal(foldVietnamese('Thủ tục 1.001193 — Hộ tịch!'), 'thu tuc 1 001193 ho tich');
    assert.equal(foldVietnamese('ỨNG DỤNG Ỷ Ỵ ữ'), 'ung dung y y u');
  });

  test('searchWords splits a folded query into at most 12 words', () => {
    assert.deepEqual(searchWords('dang ky khai sinh'), ['dang', 'ky', 'khai', 'sinh']);
    assert.equal(searchWords(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ')).length, 12);
  });

  describe('the database normaliser agrees with foldVietnamese', () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase();
    });
    after(async () => {
      await database.close();
    });
    test('on Vietnamese names, codes and punctuation', async () => {
      const samples = [
        'Đăng ký khai sinh',
        'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam',
        'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
        'Thủ tục 1.001193 (cấp xã)',
        'Ưu đãi người có công; thờ cúng liệt sĩ',
        'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp',
      ];
      for (const text of samples) {
        const { rows } = await sql<{ folded: string }>`select mc_search_norm(${text}) as folded`.execute(database.db);
        assert.equal(rows[0]?.folded, foldVietnamese(text), text);
      }
    });
  });
});
