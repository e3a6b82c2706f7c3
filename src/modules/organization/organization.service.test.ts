import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { seedDemo } from '../../db/seed.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { agencyIdsUnder, createAgency, findAdminUnitByGso, findCurrentUnits, listAgencyTree } from './organization.service.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db);
});
after(async () => {
  await database.close();
});

const countAgencies = async () => Number((await database.db.selectFrom('agency').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('agencies', () => {
  test('an invalid identifier is refused with every reason, and nothing is stored', async () => {
    const before = await countAgencies();
    const input = { code: '000.12.00.X00', name: 'Phòng thử nghiệm', level: 'province' as const, kind: 'office', parentCode: '000.00.00.H20', validFrom: '2026-01-01', validTo: null };
    await assert.rejects(createAgency(database.db, input), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'invalid_input');
      const messages = error.problems.map((p) => (typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params)));
      assert.ok(messages.some((m) => /M phải là G/.test(m)), messages.join(' | '));
      assert.ok(messages.some((m) => /X1X2\) phải khác 00/.test(m)));
      assert.ok(messages.some((m) => /Nhóm cấp 3 khác 00/.test(m)));
      assert.ok(error.problems.every((p) => p.name === 'code'));
      return true;
    });
    assert.equal(await countAgencies(), before);
  });

  test('a code that does not sit below its parent is refused; a good one is created under it', async () => {
    await assert.rejects(
      createAgency(database.db, { code: '000.00.77.H49', name: 'Sở lạc tỉnh', level: 'province', kind: 'department', parentCode: '000.00.00.H20', validFrom: '2026-01-01', validTo: null }),
      (error: unknown) => error instanceof AppError && error.problems.some((p) => typeof p.message !== 'string' && p.message.key === 'agencyCode.parent'),
    );
    const provincePath = (await database.db.selectFrom('agency').select(sql<string>`path::text`.as('path')).where('code', '=', '000.00.00.H20').executeTakeFirstOrThrow()).path;
    const under = await agencyIdsUnder(database.db, [provincePath]);
    assert.ok(under.length > 1, 'the province’s subtree holds its agencies');
    const id = await createAgency(database.db, { code: '000.00.97.H20', name: 'Trung tâm Phục vụ hành chính công tỉnh', level: 'province', kind: 'office', parentCode: '000.00.00.H20', validFrom: '2026-01-01', validTo: null });
    assert.ok(id > 0);
    assert.deepEqual(await agencyIdsUnder(database.db, [provincePath]), [...under, id].sort((a, b) => a - b), 'the kept subtree gains the new agency at once');
    const tree = await listAgencyTree(database.db, '2026-06-01');
    assert.ok(tree[0]!.children.some((c) => c.code === '000.00.97.H20'));
    await assert.rejects(
      createAgency(database.db, { code: '000.00.97.H20', name: 'Trùng mã', level: 'province', kind: 'office', parentCode: '000.00.00.H20', validFrom: '2026-01-01', validTo: null }),
      (error: unknown) => error instanceof AppError && error.code === 'conflict',
    );
  });
});

describe('administrative units across the 1/7/2025 merger', () => {
  test('an old commune resolves to the commune that replaced it', async () => {
    // Phường 1, Thành phố Cao Lãnh (GSO 29869) before the merger.
    const old = await findAdminUnitByGso(database.db, '29869', '2025-01-01');
    assert.ok(old, 'the old commune exists on 2025-01-01');
    // The new Phường Cao Lãnh keeps the code but is another unit, valid from 1/7/2025.
    const sameCodeNow = await findAdminUnitByGso(database.db, '29869', '2026-01-01');
    assert.ok(sameCodeNow && sameCodeNow.id !== old.id);
    const current = await findCurrentUnits(database.db, old.id, '2026-01-01');
    assert.deepEqual(current.map((u) => u.id), [sameCodeNow.id]);
    assert.equal(current[0]!.name, 'Phường Cao Lãnh');
    // And on a date before the merger the old unit is still itself.
    assert.deepEqual((await findCurrentUnits(database.db, old.id, '2025-01-01')).map((u) => u.id), [old.id]);
  });

  test('the old province resolves to the new one', async () => {
    const oldProvince = await findAdminUnitByGso(database.db, '87', '2025-06-30');
    assert.ok(oldProvince);
    const current = await findCurrentUnits(database.db, oldProvince.id, '2025-07-01');
    assert.deepEqual(current.map((u) => u.gsoCode), ['82']);
  });
});
