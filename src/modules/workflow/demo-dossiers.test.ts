import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDossierDeps } from '../../app.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ensureDemoAccounts } from '../identity/demo-accounts.js';
import { dossierStatuses } from '../dossier/dossier.service.js';
import { seedDemoDossiers } from './demo-dossiers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('demo dossiers', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t?.close());

  test('a fresh demo has a dossier in every status, made through the real use cases; a second start adds none', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
    await ensureDemoAccounts(t.database.db, dataDir);
    const deps = createDossierDeps({ ...t.config, dataDir }, t.database.db, t.jobs);
    const made = await seedDemoDossiers(deps);
    assert.ok(made >= dossierStatuses.length, `${made} dossiers`);
    const statuses = new Set((await t.database.db.selectFrom('dossier').select('status').execute()).map((r) => r.status));
    assert.deepEqual([...dossierStatuses].filter((s) => !statuses.has(s)), [], 'every status is there');
    const events = await t.database.db.selectFrom('dossierEvent').select('action').execute();
    for (const action of ['submit', 'accept', 'assign', 'forward', 'approve', 'return_result', 'request_supplement', 'request_payment', 'stop', 'refuse', 'withdraw']) assert.ok(events.some((e) => e.action === action), action);
    assert.equal(await seedDemoDossiers(deps), 0);
  });
});
