import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { exportCatalog, exportCatalogText, getProcedure, importCatalog, type ProcedureRecord } from './catalog.service.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t.close();
});

const countVersions = async () => Number((await t.database.db.selectFrom('procedure').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('catalogue import and export', () => {
  test('export then import of the same JSON changes nothing', async () => {
    const before = await countVersions();
    const { text, count } = await exportCatalogText(t.database.db, 'json');
    assert.ok(count >= 40);
    const report = await importCatalog(t.database.db, text, 'json');
    assert.equal(report.ok, true);
    assert.equal(report.created, 0);
    assert.equal(report.unchanged, count);
    assert.equal(await countVersions(), before);
  });

  test('export then import of the same CSV changes nothing', async () => {
    const { text, count } = await exportCatalogText(t.database.db, 'csv');
    const report = await importCatalog(t.database.db, text, 'csv');
    assert.deepEqual(report.problems, []);
    assert.equal(report.unchanged, count);
  });

  test('a changed record becomes a new published version; the old one is retired, not edited', async () => {
    const records = await exportCatalog(t.database.db);
    const original = records.find((r) => r.code === '1.001193')!;
    const changed: ProcedureRecord = { ...original, fees: [{ name: 'Lệ phí đăng ký khai sinh', amountVnd: 10000 }] };
    const report = await importCatalog(t.database.db, JSON.stringify([changed]), 'json');
    assert.equal(report.created, 1);
    const versions = await t.database.db.selectFrom('procedure').select(['version', 'status', 'fees']).where('code', '=', '1.001193').orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'retired'], [2, 'published']]);
    assert.deepEqual(versions[0]?.fees, original.fees);
    assert.equal((await getProcedure(t.database.db, '1.001193')).fees[0]?.amountVnd, 10000);
  });

  test('a change deep inside a record (only an amount, only a form field) is a change too', async () => {
    const records = await exportCatalog(t.database.db);
    const original = records.find((r) => r.code === '1.004873')!;
    const fees = original.fees.length ? original.fees.map((f, i) => (i === 0 ? { ...f, amountVnd: f.amountVnd + 1000 } : f)) : [{ name: 'Lệ phí', amountVnd: 1000 }];
    let report = await importCatalog(t.database.db, JSON.stringify([{ ...original, fees }]), 'json');
    assert.equal(report.created, 1, 'only an amount changed');
    const second = (await exportCatalog(t.database.db)).find((r) => r.code === '1.004873')!;
    const properties = second.formSchema.properties as Record<string, Record<string, unknown>>;
    const formSchema = { ...second.formSchema, properties: { ...properties, applicantName: { ...properties.applicantName, maxLength: 120 } } };
    report = await importCatalog(t.database.db, JSON.stringify([{ ...second, formSchema }]), 'json');
    assert.equal(report.created, 1, 'only a nested form keyword changed');
  });

  test('the database refuses to edit a published or retired version in place', async () => {
    await assert.rejects(
      sql`update procedure set name = 'Sửa trộm' where code = '1.001193' and status = 'published'`.execute(t.database.db),
      /cannot be edited/,
    );
    await assert.rejects(sql`update procedure set status = 'published' where status = 'retired'`.execute(t.database.db), /cannot go from retired/);
  });

  test('a file with bad rows is rejected whole: every problem named with its line, nothing stored', async () => {
    const records = await exportCatalog(t.database.db);
    const good = records[1]!;
    const base = records[2]!;
    const before = await countVersions();
    const bad = [
      { ...good, name: `${good.name} (đổi tên)` }, // valid on its own: must not be stored either
      { ...base, code: 'X.000001', fees: [{ name: 'Lệ phí', amountVnd: 'mười nghìn' }] },
      { ...base, code: 'X.000002', fieldCode: 'khong_co' },
      { ...base, code: 'X.000003', agencyCodes: ['000.00.99.H99'] },
      { ...base, code: 'X.000004', formSchema: { type: 'object', properties: { a: { type: 'string' } } } },
      { ...base, code: good.code },
      { ...base, code: 'X.000006', processingDays: -1 },
    ];
    const text = JSON.stringify(bad, null, 2);
    const report = await importCatalog(t.database.db, text, 'json');
    assert.equal(report.ok, false);
    assert.equal(await countVersions(), before, 'nothing stored');
    const lines = text.split('\n');
    const lineOf = (code: string) => lines.findIndex((l) => l.includes(`"code": "${code}"`)) ; // the line after "{"
    const find = (code: string, pattern: RegExp) => report.problems.find((p) => p.code === code && pattern.test(p.message));
    assert.ok(find('X.000001', /fees\.0\.amountVnd: Phải là số nguyên/), JSON.stringify(report.problems));
    assert.ok(find('X.000002', /lĩnh vực "khong_co" không tồn tại/));
    assert.ok(find('X.000003', /cơ quan "000.00.99.H99" không tồn tại/));
    assert.ok(find('X.000004', /thiếu nhãn \(title\)/));
    assert.ok(find(good.code, /mã thủ tục trùng với dòng/));
    assert.ok(find('X.000006', /processingDays/));
    // Each problem names the line where its record starts.
    const p1 = find('X.000001', /amountVnd/)!;
    assert.equal(p1.line, lineOf('X.000001'));
  });

  test('malformed JSON is reported with its line, and CSV problems with theirs', async () => {
    const json = await importCatalog(t.database.db, '[\n  {"code": "1"},\n  {oops}\n]', 'json');
    assert.equal(json.ok, false);
    assert.equal(json.problems[0]?.line, 3);
    assert.match(json.problems[0]?.message ?? '', /JSON không hợp lệ/);

    const { text } = await exportCatalogText(t.database.db, 'csv');
    const rows = text.trimEnd().split('\n');
    rows[3] = rows[3]!.replace(/,(province|district|commune),/, ',galaxy,');
    const csv = await importCatalog(t.database.db, `${rows.join('\n')}\n`, 'csv');
    assert.equal(csv.ok, false);
    assert.equal(csv.problems.length, 1);
    assert.equal(csv.problems[0]?.line, 4);
    assert.match(csv.problems[0]?.message ?? '', /levelOfGovernment/);
  });

  test('an empty or non-array file is refused with a reason', async () => {
    assert.match((await importCatalog(t.database.db, '[]', 'json')).problems[0]?.message ?? '', /không có thủ tục nào/);
    assert.match((await importCatalog(t.database.db, '{"a":1}', 'json')).problems[0]?.message ?? '', /phải là một mảng/);
  });
});
