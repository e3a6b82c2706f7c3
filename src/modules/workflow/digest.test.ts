import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDossierDeps } from '../../app.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ensureDemoAccounts } from '../identity/demo-accounts.js';
import { seedDemoDossiers } from './demo-dossiers.js';
import { queueDailyDigest } from './digest.js';

describe('the leaders’ daily digest', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-'));
    await ensureDemoAccounts(t.database.db, dataDir);
    await seedDemoDossiers(createDossierDeps({ ...t.config, dataDir }, t.database.db, t.jobs));
  });
  after(() => t?.close());

  test('once per working day from 07:00, one email per leader with the counts, none on a Sunday', async () => {
    const mondayEarly = new Date('2026-11-30T06:45:00+07:00');
    const monday = new Date('2026-11-30T08:30:00+07:00');
    const sunday = new Date('2026-11-29T09:00:00+07:00');
    assert.equal(await queueDailyDigest(t.database.db, t.jobs, sunday), false, 'not on a day off');
    assert.equal(await queueDailyDigest(t.database.db, t.jobs, mondayEarly), false, 'not before 07:00');
    assert.equal(await queueDailyDigest(t.database.db, t.jobs, monday), true);
    assert.equal(await queueDailyDigest(t.database.db, t.jobs, new Date(monday.getTime() + 3_600_000)), false, 'once a day');
    await t.runJobs(); // the digest job queues the emails
    await t.runJobs(); // the emails are sent to the developer inbox
    const mails = await t.database.db.selectFrom('devMail').select(['toAddress', 'subject', 'text']).where('subject', 'like', 'Tình hình hồ sơ%').execute();
    assert.equal(mails.length, 1, 'one email for the one leader, not one per dossier');
    assert.equal(mails[0]!.toAddress, 'lanhdao@demo.motcua.vn');
    assert.match(mails[0]!.text, /Quá hạn: [1-9]/);
    assert.match(mails[0]!.text, /Chờ tiếp nhận: [1-9]/);
  });
});
