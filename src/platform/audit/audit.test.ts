// The audit log's promises, on whichever engine the suite runs on (PGlite, or PostgreSQL when
// DATABASE_URL is set): entries chain, commit with the change they record, cannot be changed or
// removed through SQL, and any edit or deletion made behind the trigger's back is found and named.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import {
  appendAudit,
  AuditError,
  computeAuditHash,
  GENESIS_HASH,
  listAuditEntries,
  maskIdNumber,
  verifyAuditChain,
  type AuditEntryInput,
} from './audit.js';
import { runAuditVerify } from './audit-cli.js';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});

after(async () => {
  await database.close();
});

beforeEach(async () => {
  await asOwnerWithoutTrigger(sql`truncate audit_log restart identity`);
  await database.db.deleteFrom('systemState').execute();
});

interface Row {
  id: number;
  at: Date;
  at_text: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

// Raw SQL with snake_case aliases: this reads the table as an auditor would, not through the module.
async function readRows(db: Kysely<DB> = database.db): Promise<Row[]> {
  const { rows } = await sql<Row>`
    select id, at, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text, actor_type, actor_id,
           action, object_type, object_id, ip, details, prev_hash, hash
    from audit_log order by id`.execute(db);
  // The CamelCasePlugin maps result keys; read either spelling.
  return rows.map((r) => {
    const o = r as unknown as Record<string, unknown>;
    const pick = (snake: string) => o[snake] ?? o[snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())];
    return {
      id: Number(pick('id')),
      at: pick('at') as Date,
      at_text: pick('at_text') as string,
      actor_type: pick('actor_type') as string,
      actor_id: pick('actor_id') as string | null,
      action: pick('action') as string,
      object_type: pick('object_type') as string | null,
      object_id: pick('object_id') as string | null,
      ip: pick('ip') as string | null,
      details: pick('details') as Record<string, unknown>,
      prev_hash: pick('prev_hash') as string,
      hash: pick('hash') as string,
    };
  });
}

/** What the table owner can do: switch the append-only trigger off, act, switch it back on. */
async function asOwnerWithoutTrigger(statement: { execute(db: Kysely<DB>): Promise<unknown> }): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

function append(entry: AuditEntryInput) {
  return database.db.transaction().execute((trx) => appendAudit(trx, entry));
}

async function appendMany(n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    const { id } = await append({ actorType: 'officer', actorId: `officer-${i}`, action: 'dossier.status', objectType: 'dossier', objectId: `H01-${i}`, details: { from: 'received', to: 'processing', step: i } });
    ids.push(id);
  }
  return ids;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('audit log', () => {
  test('entries chain from genesis, each hash covering the entry and the hash before it', async () => {
    const first = await append({
      actorType: 'officer',
      actorId: '42',
      action: 'role.assign',
      objectType: 'account',
      objectId: '7',
      ip: '203.0.113.5',
      // Written unsorted, with a Date and an undefined: stored and hashed as their JSON.
      details: { role: 'specialist', agency: { name: 'Sở Tư pháp', code: 'H01.01' }, since: new Date('2026-11-28T01:02:03.004Z'), note: undefined },
    });
    await append({ actorType: 'anonymous', action: 'auth.login.failure', ip: '2001:db8::1', details: { reason: 'bad_password' } });
    await database.db.transaction().execute(async (trx) => {
      await appendAudit(trx, { actorType: 'system', action: 'payment.status', objectType: 'payment', objectId: 'P-1', details: { to: 'paid', amountVnd: 150000 } });
      await appendAudit(trx, { actorType: 'api_token', actorId: 't-9', action: 'token.use' });
    });

    const rows = await readRows();
    assert.equal(rows.length, 4);
    assert.equal(rows[0]!.id, first.id);
    assert.equal(rows[0]!.hash, first.hash);
    assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash, `row ${rows[i]!.id} follows row ${rows[i - 1]!.id}`);
    assert.deepEqual(rows[3]!.details, {});

    // The format, spelt out independently of the module: SHA-256 of the JSON array below, keys sorted.
    const r = rows[0]!;
    const text = JSON.stringify([
      GENESIS_HASH, r.at_text, 'officer', '42', 'role.assign', 'account', '7', '203.0.113.5',
      { agency: { code: 'H01.01', name: 'Sở Tư pháp' }, role: 'specialist', since: '2026-11-28T01:02:03.004Z' },
    ]);
    assert.equal(r.hash, createHash('sha256').update(text, 'utf8').digest('hex'));

    assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: 4, head: { id: rows[3]!.id, hash: rows[3]!.hash } });
    assert.deepEqual(await verifyAuditChain(database.db, { batchSize: 1 }), { ok: true, checked: 4, head: { id: rows[3]!.id, hash: rows[3]!.hash } });
  });

  test('the database hashes any text as the checker does: diacritics, quotes, escapes, emoji, control characters', async () => {
    const before = (await readRows()).length;
    await append({
      actorType: 'officer',
      actorId: 'cán bộ "Hồng"',
      action: 'dossier.note',
      objectType: 'dossier',
      objectId: '000.00.51.H20-261129-0001',
      details: { ghiChu: 'Đã nhận đủ\tgiấy tờ\n"bản sao" \\ có chứng thực ✅ \u0001', 'khóa có dấu': ['Ấp Mỹ Hưng', 1.5, null, true, { z: 1, a: '\u2028' }], '': 'trống' },
    });
    const rows = await readRows();
    assert.equal(rows.length, before + 1);
    const report = await verifyAuditChain(database.db);
    assert.equal(report.ok, true, JSON.stringify(report));
  });

  test('`at` hashes exactly what is stored, to the microsecond, whatever the session time zone', async () => {
    await database.db.transaction().execute(async (trx) => {
      await sql`set local time zone 'Asia/Ho_Chi_Minh'`.execute(trx);
      await appendAudit(trx, { actorType: 'citizen', actorId: 'c-1', action: 'auth.login.success' });
    });
    const before = Date.now();
    await append({ actorType: 'citizen', actorId: 'c-1', action: 'account.create' });
    const rows = await readRows();

    for (const row of rows) {
      assert.match(row.at_text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      // The Date the driver gives back is the same instant, to the millisecond.
      assert.equal(row.at.toISOString(), `${row.at_text.slice(0, 23)}Z`);
      const recomputed = computeAuditHash({
        prevHash: row.prev_hash, at: row.at_text, actorType: row.actor_type as AuditEntryInput['actorType'], actorId: row.actor_id,
        action: row.action, objectType: row.object_type, objectId: row.object_id, ip: row.ip, details: row.details,
      });
      assert.equal(recomputed, row.hash);
    }
    assert.ok(Math.abs(rows[1]!.at.getTime() - before) < 60_000, 'at is the time of writing');
    assert.ok(rows[1]!.at_text > rows[0]!.at_text, 'times follow the chain');

    for (const zone of ['Asia/Ho_Chi_Minh', 'America/New_York', 'UTC']) {
      const report = await database.db.transaction().execute(async (trx) => {
        await sql`set local time zone ${sql.lit(zone)}`.execute(trx);
        return verifyAuditChain(trx);
      });
      assert.equal(report.ok, true, `intact when read in ${zone}`);
    }
  });

  test('a rolled-back transaction leaves neither the change nor its entry, and the chain goes on', async () => {
    const kept = await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('systemState').values({ key: 'kept', value: '{"n":1}' }).execute();
      return appendAudit(trx, { actorType: 'system', action: 'account.create', objectType: 'account', objectId: 'kept' });
    });
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('systemState').values({ key: 'lost', value: '{"n":2}' }).execute();
        await appendAudit(trx, { actorType: 'system', action: 'account.create', objectType: 'account', objectId: 'lost' });
        throw new Error('the business change failed');
      }),
      /the business change failed/,
    );
    const next = await append({ actorType: 'system', action: 'account.create', objectType: 'account', objectId: 'next' });

    const keys = (await database.db.selectFrom('systemState').select('key').execute()).map((r) => r.key);
    assert.deepEqual(keys, ['kept']);
    const rows = await readRows();
    assert.deepEqual(rows.map((r) => r.object_id), ['kept', 'next']);
    assert.equal(rows[1]!.prev_hash, kept.hash, 'the next entry chains to the last committed one');
    assert.ok(next.id > kept.id + 1, 'the rolled-back entry used an id; the gap is harmless');
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE, for every writer', async () => {
    const [id] = await appendMany(2);
    const before = await readRows();
    await assert.rejects(sql`update audit_log set details = '{"to":"rejected"}' where id = ${id}`.execute(database.db), /audit_log is append-only: UPDATE is not allowed/);
    await assert.rejects(sql`delete from audit_log where id = ${id}`.execute(database.db), /audit_log is append-only: DELETE is not allowed/);
    await assert.rejects(sql`truncate audit_log`.execute(database.db), /audit_log is append-only: TRUNCATE is not allowed/);
    assert.deepEqual(await readRows(), before);
  });

  test('an edited entry is named as a hash mismatch, however it was edited', async () => {
    const ids = await appendMany(7);
    await asOwnerWithoutTrigger(sql`update audit_log set details = jsonb_set(details, '{to}', '"rejected"') where id = ${ids[3]}`);

    assert.deepEqual(await verifyAuditChain(database.db, { batchSize: 2 }), { ok: false, checked: 4, firstBroken: { id: ids[3], reason: 'hash mismatch' } });
    const lines: string[] = [];
    assert.equal(await runAuditVerify(database.db, (line) => lines.push(line)), 1);
    assert.equal(lines[0], `Chuỗi nhật ký bị phá vỡ tại bản ghi ${ids[3]}: hash mismatch`);

    await asOwnerWithoutTrigger(sql`truncate audit_log restart identity`);
    const again = await appendMany(3);
    await asOwnerWithoutTrigger(sql`update audit_log set action = 'dossier.view' where id = ${again[0]}`);
    assert.deepEqual((await verifyAuditChain(database.db)).firstBroken, { id: again[0], reason: 'hash mismatch' });

    // Even a microsecond moved in `at` is seen.
    await asOwnerWithoutTrigger(sql`truncate audit_log restart identity`);
    const timed = await appendMany(3);
    await asOwnerWithoutTrigger(sql`update audit_log set at = at + interval '1 microsecond' where id = ${timed[2]}`);
    assert.deepEqual((await verifyAuditChain(database.db)).firstBroken, { id: timed[2], reason: 'hash mismatch' });
  });

  test('an entry edited and re-hashed breaks the link to the next one', async () => {
    const ids = await appendMany(4);
    const rows = await readRows();
    const forged = rows[1]!;
    const details = { ...forged.details, to: 'rejected' };
    const hash = computeAuditHash({
      prevHash: forged.prev_hash, at: forged.at_text, actorType: 'officer', actorId: forged.actor_id, action: forged.action,
      objectType: forged.object_type, objectId: forged.object_id, ip: forged.ip, details,
    });
    await asOwnerWithoutTrigger(sql`update audit_log set details = ${JSON.stringify(details)}::jsonb, hash = ${hash} where id = ${ids[1]}`);
    assert.deepEqual(await verifyAuditChain(database.db), { ok: false, checked: 3, firstBroken: { id: ids[2], reason: 'prev_hash mismatch' } });
  });

  test('a deleted entry is found as a prev_hash mismatch on the entry after it', async () => {
    const ids = await appendMany(6);
    await asOwnerWithoutTrigger(sql`delete from audit_log where id = ${ids[2]}`);
    assert.deepEqual(await verifyAuditChain(database.db, { batchSize: 2 }), { ok: false, checked: 3, firstBroken: { id: ids[3], reason: 'prev_hash mismatch' } });

    await asOwnerWithoutTrigger(sql`delete from audit_log where id = ${ids[0]}`);
    assert.deepEqual((await verifyAuditChain(database.db)).firstBroken, { id: ids[1], reason: 'prev_hash mismatch' }, 'the first entry too');
  });

  test('concurrent appends give one unbroken chain', async () => {
    let open = 0;
    let maxOpen = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          maxOpen = Math.max(maxOpen, ++open);
          // Some work of the business change before and after the entry, so that transactions overlap.
          await sql`select pg_sleep(${(i % 5) / 200})`.execute(trx);
          const appended = await appendAudit(trx, { actorType: 'citizen', actorId: `c-${i}`, action: 'dossier.status', objectType: 'dossier', objectId: `D-${i}` });
          await delay(i % 3);
          open--;
          return appended;
        }),
      ),
    );
    if (database.engine === 'postgres') assert.ok(maxOpen > 1, `transactions overlapped (at most ${maxOpen} at once)`);

    const rows = await readRows();
    assert.equal(rows.length, 20);
    assert.deepEqual(new Set(rows.map((r) => r.object_id)), new Set(results.map((_, i) => `D-${i}`)));
    rows.forEach((row, i) => assert.equal(row.prev_hash, i === 0 ? GENESIS_HASH : rows[i - 1]!.hash));
    assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: 20, head: { id: rows[19]!.id, hash: rows[19]!.hash } });
  });

  test('a writer that bypasses appendAudit cannot fork the chain', async () => {
    await appendMany(2);
    const [first] = await readRows();
    await assert.rejects(
      sql`insert into audit_log (at, actor_type, action, prev_hash, hash)
          values (now(), 'system', 'dossier.status', ${first!.prev_hash}, ${'f'.repeat(64)})`.execute(database.db),
      /audit_log_prev_hash_key/,
    );
    assert.equal((await readRows()).length, 2);
  });

  test('details with passwords, tokens, secrets or full identity numbers are refused, and nothing is stored', async () => {
    const refused: Record<string, unknown>[] = [
      { password: 'hunter2' },
      { user: { newPassword: 'x' } },
      { accessToken: 'eyJ...' },
      { items: [{ refresh_token: 'r' }] },
      { client_secret: 's' },
      { Authorization: 'Bearer abc' },
      { idNumber: '079203001234' },
      { citizen: { legalRepIdNumber: '001099012345' } },
      { cccd: 79203001234 },
    ];
    for (const details of refused) {
      await assert.rejects(
        append({ actorType: 'officer', actorId: '1', action: 'account.create', details }),
        (e: unknown) => e instanceof AuditError && e.code === 'audit_details_forbidden',
        JSON.stringify(details),
      );
    }
    await assert.rejects(append({ actorType: 'citizen', action: 'auth.login.failure', details: { password: 'x' } }), /details\.password is refused/);
    assert.equal((await readRows()).length, 0);

    // What an entry may say instead: the token's id, the masked number.
    await append({ actorType: 'api_token', actorId: 't-1', action: 'token.use', details: { tokenId: 't-1', tokenName: 'cổng quốc gia' } });
    await append({ actorType: 'officer', actorId: '1', action: 'account.create', details: { idNumber: maskIdNumber('079203001234'), citizenId: 42 } });
    assert.deepEqual((await readRows()).map((r) => r.details), [
      { tokenId: 't-1', tokenName: 'cổng quốc gia' },
      { idNumber: '0792******34', citizenId: 42 },
    ]);
  });

  test('maskIdNumber keeps only what recognises a number', () => {
    assert.equal(maskIdNumber('079203001234'), '0792******34');
    assert.equal(maskIdNumber('0792 0300 1234'), '0792******34');
    assert.equal(maskIdNumber('0792******34'), '0792******34', 'masking twice changes nothing');
    assert.equal(maskIdNumber('123456789'), '12*****89');
    assert.equal(maskIdNumber('C1234567'), 'C1****67');
    assert.equal(maskIdNumber('12345'), '*****');
  });

  test('an invalid entry or the wrong kind of transaction is refused with a clear error', async () => {
    const cases: [AuditEntryInput, RegExp][] = [
      [{ actorType: 'robot' as AuditEntryInput['actorType'], action: 'auth.login.success' }, /actorType "robot"/],
      [{ actorType: 'citizen', action: 'Login' }, /action "Login" must be dotted lower-case/],
      [{ actorType: 'citizen', action: 'dossier.status', objectId: '9' }, /objectId needs an objectType/],
      [{ actorType: 'citizen', action: 'auth.login.success', ip: 'localhost' }, /ip "localhost" is not an IPv4 or IPv6 address/],
      [{ actorType: 'citizen', action: 'auth.login.success', details: { big: 1n } as Record<string, unknown> }, /details are not JSON-serialisable/],
      [{ actorType: 'citizen', action: 'auth.login.success', details: { text: 'x'.repeat(20_000) } }, /at most 16384/],
    ];
    for (const [entry, message] of cases) {
      await assert.rejects(append(entry), (e: unknown) => e instanceof AuditError && e.code === 'audit_entry_invalid' && message.test(e.message));
    }
    await assert.rejects(
      appendAudit(database.db as unknown as Transaction<DB>, { actorType: 'system', action: 'auth.login.success' }),
      (e: unknown) => e instanceof AuditError && e.code === 'audit_not_in_transaction',
    );
    await assert.rejects(
      database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => appendAudit(trx, { actorType: 'system', action: 'auth.login.success' })),
      (e: unknown) => e instanceof AuditError && e.code === 'audit_isolation_unsupported' && /READ COMMITTED/.test(e.message),
    );
    assert.equal((await readRows()).length, 0);
  });

  test('listAuditEntries filters by object or actor, newest first, a page at a time', async () => {
    await append({ actorType: 'officer', actorId: '5', action: 'dossier.status', objectType: 'dossier', objectId: 'A', details: { to: 'processing' } });
    await append({ actorType: 'citizen', actorId: '5', action: 'dossier.status', objectType: 'dossier', objectId: 'B' });
    await append({ actorType: 'officer', actorId: '5', action: 'dossier.status', objectType: 'dossier', objectId: 'A', details: { to: 'done' } });
    await append({ actorType: 'officer', actorId: '6', action: 'payment.status', objectType: 'payment', objectId: 'A' });

    const dossierA = await listAuditEntries(database.db, { objectType: 'dossier', objectId: 'A' });
    assert.deepEqual(dossierA.map((e) => e.details), [{ to: 'done' }, { to: 'processing' }]);
    assert.ok(dossierA[0]!.at instanceof Date);
    assert.equal(dossierA[0]!.prevHash.length, 64);

    assert.deepEqual((await listAuditEntries(database.db, { actorId: '5' })).map((e) => `${e.actorType}:${e.objectId}`), ['officer:A', 'citizen:B', 'officer:A']);
    assert.deepEqual((await listAuditEntries(database.db, { actorType: 'officer', actorId: '5' })).length, 2);

    const page1 = await listAuditEntries(database.db, { limit: 3 });
    const page2 = await listAuditEntries(database.db, { limit: 3, before: page1.at(-1)!.id });
    assert.deepEqual([...page1, ...page2].map((e) => e.action), ['payment.status', 'dossier.status', 'dossier.status', 'dossier.status']);

    await assert.rejects(listAuditEntries(database.db, { objectId: 'A' }), (e: unknown) => e instanceof AuditError && e.code === 'audit_query_invalid');
  });

  test('audit verify: exit code 0 and the head to record when intact, also when empty', async () => {
    const lines: string[] = [];
    assert.equal(await runAuditVerify(database.db, (line) => lines.push(line)), 0);
    assert.deepEqual(lines, ['Nhật ký kiểm toán chưa có bản ghi nào.']);

    await appendMany(3);
    const last = (await readRows()).at(-1)!;
    lines.length = 0;
    assert.equal(await runAuditVerify(database.db, (line) => lines.push(line)), 0);
    assert.match(lines[0]!, /^Chuỗi nhật ký nguyên vẹn: đã kiểm tra 3 bản ghi/);
    assert.match(lines[1]!, new RegExp(`^Bản ghi cuối: ${last.id}, hash ${last.hash}`));
  });
});
