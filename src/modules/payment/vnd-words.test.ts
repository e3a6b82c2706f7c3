import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vndInWords } from './vnd-words.js';

test('amounts in Vietnamese words, as a receipt writes them', () => {
  const cases: [number, string][] = [
    [0, 'Không đồng'],
    [5, 'Năm đồng'],
    [15, 'Mười lăm đồng'],
    [21, 'Hai mươi mốt đồng'],
    [105, 'Một trăm linh năm đồng'],
    [110, 'Một trăm mười đồng'],
    [16_000, 'Mười sáu nghìn đồng'],
    [150_000, 'Một trăm năm mươi nghìn đồng'],
    [400_000, 'Bốn trăm nghìn đồng'],
    [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
    [2_000_500, 'Hai triệu năm trăm đồng'],
    [2_148_120, 'Hai triệu một trăm bốn mươi tám nghìn một trăm hai mươi đồng'],
    [999_999_999, 'Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng'],
    [1_000_000_000, 'Một tỷ đồng'],
  ];
  for (const [n, words] of cases) assert.equal(vndInWords(n), words, String(n));
  assert.throws(() => vndInWords(1.5), RangeError);
  assert.throws(() => vndInWords(-1), RangeError);
});
