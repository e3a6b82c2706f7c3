import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { loadRules } from '../../db/seed.js';
import { assignDossierCode, formatDossierCode, ruleInForce, type DossierCodeRule } from './dossier-code.js';

const tt01: DossierCodeRule = { id: 'TT01-2018', format: 'agency-yymmdd-serial4', effectiveFrom: '2018-11-23', effectiveTo: null };

describe('the dossier-code rule (Circular 01/2018)', () => {
  test('agency identifier, day of receipt YYMMDD, 4-digit serial', () => {
    assert.equal(formatDossierCode(tt01, { agencyCode: '000.00.00.H49', day: '2025-03-12', serial: 7 }), '000.00.00.H49-250312-0007');
    assert.equal(formatDossierCode(tt01, { agencyCode: '000.00.51.H20', day: '2026-11-28', serial: 10000 }), '000.00.51.H20-261128-10000', 'past 9999 it grows, never repeats');
  });

  test('the rule in force is chosen by the day; a day without one is a configuration error', () => {
    const next: DossierCodeRule = { id: 'NEXT', format: 'agency-yymmdd-serial4', effectiveFrom: '2027-01-01', effectiveTo: null };
    const rules = [{ ...tt01, effectiveTo: '2026-12-31' }, next];
    assert.equal(ruleInForce(rules, '2026-12-31').id, 'TT01-2018');
    assert.equal(ruleInForce(rules, '2027-01-01').id, 'NEXT');
    assert.throws(() => ruleInForce(rules, '2018-01-01'), /No dossier-code rule/);
    assert.throws(() => ruleInForce([{ ...tt01, format: 'nope' }], '2026-01-01'), /unknown format/);
  });
});

describe('daily serials under concurrency', () => {
  let database: TestDatabase;
  let agencies: { id: number; code: string }[];
  before(async () => {
    database = await createTestDatabase();
    await database.db.transaction().execute((trx) => loadRules(trx));
    for (const [i, code] of ['000.00.51.H20', '000.00.52.H20'].entries()) {
      await sql`insert into agency (code, name, level, kind, path, valid_from) values (${code}, ${`UBND ${i}`}, 'commune', 'ubnd', ${String(100 + i)}::ltree, '2025-07-01')`.execute(database.db);
    }
    agencies = (await database.db.selectFrom('agency').select(['id', 'code']).orderBy('code').execute()).map((a) => ({ id: a.id, code: a.code! }));
  });
  after(() => database.close());

  test('concurrent submissions get distinct serials with no gap, per agency and per day, and a rollback gives its number back', async () => {
    const at = new Date('2026-11-28T03:00:00Z'); // 10:00 in Vietnam
    const take = (agency: { id: number; code: string }, fail = false) =>
      database.db
        .transaction()
        .execute(async (trx) => {
          const { code } = await assignDossierCode(trx, agency, at);
          if (fail) throw new Error('rolled back');
          return code;
        })
        .catch((error: Error) => (error.message === 'rolled back' ? null : Promise.reject(error)));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => take(agencies[i % 2]!, i % 10 === 3)));
    const codes = results.filter((c): c is string => c !== null);
    assert.equal(codes.length, 36);
    assert.equal(new Set(codes).size, codes.length, 'no duplicates');
    // Agency 0 takes the even calls (20, none rolled back), agency 1 the odd ones (20, 4 rolled back).
    for (const [agency, count] of [[agencies[0]!, 20], [agencies[1]!, 16]] as const) {
      const serials = codes.filter((c) => c.startsWith(`${agency.code}-261128-`)).map((c) => Number(c.slice(-4))).sort((a, b) => a - b);
      assert.deepEqual(serials, Array.from({ length: count }, (_, i) => i + 1), `${agency.code}: 0001…${count} without a gap`);
    }
    // The next day starts again at 0001 (a day is the Vietnamese civil day, UTC+7).
    const nextDay = await database.db.transaction().execute((trx) => assignDossierCode(trx, agencies[0]!, new Date('2026-11-28T17:30:00Z')));
    assert.equal(nextDay.code, '000.00.51.H20-261129-0001');
  });
});
