// The statements one API submission sends to PostgreSQL, in order: a diagnostic beside
// run.ts, for seeing what a change to the submission path costs in round trips. Not a benchmark
// and not part of `npm test`.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/submit/statements.ts
//
// It creates motcua_bench_submit_statements_… on that server, submits two drafts to warm the
// process's caches (the token's id, the procedure's content, the calendar), then prints the
// statements of the third, and drops the database.
import pg from 'pg';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDraft } from '../../src/modules/dossier/dossier.service.js';
import { birthRegistrationData } from '../../test/helpers/dossier.js';
import { BENCH_AGENCY, BENCH_PROCEDURE, benchConfig, createCitizen, createTarget, dossierDeps, makeAttachmentsOptional, openTarget, prepareSchema, startApp } from './harness.js';
if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL server (the statements are counted at the pg driver)');
const log: { text: string; ms: number }[] = [];
let recording = false;
// Every statement passes through pg.Client#query: wrapped here to write down its text and the
// time to its answer (one request at a time, so the round trip with the database's work).
type Query = (this: pg.Client, query: string | { text: string }, ...rest: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, q, ...rest) {
  const result = query.call(this, q, ...rest);
  if (!recording || !(result instanceof Promise)) return result;
  const started = process.hrtime.bigint();
  const entry = { text: String(typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').trim().slice(0, 140), ms: 0 };
  log.push(entry);
  return result.finally(() => {
    entry.ms = Number(process.hrtime.bigint() - started) / 1e6;
  });
};
const { target, drop } = await createTarget('postgres', 'statements', process.env.DATABASE_URL);
const database = await openTarget(target, 10);
try {
  await prepareSchema(database.db);
  await makeAttachmentsOptional(database.db);
  const citizen = await createCitizen(database.db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-statements-'));
  const config = benchConfig(target, dataDir, 10);
  const deps = dossierDeps(database, config);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await createDraft(deps, citizen.actor, { procedureCode: BENCH_PROCEDURE, agencyCode: BENCH_AGENCY, data: birthRegistrationData() }, { ip: '127.0.0.1' })).id);
  }
  const app = await startApp(config, database);
  for (let i = 0; i < 3; i++) {
    recording = i === 2;
    const r = await fetch(`http://127.0.0.1:${app.port}/api/v1/dossiers/${ids[i]}/submit`, { method: 'POST', headers: { authorization: `Bearer ${citizen.token}`, 'idempotency-key': `k${i}` } });
    const body = await r.text();
    if (r.status !== 201) throw new Error(`submission ${i + 1}: ${r.status} ${body.slice(0, 300)}`);
    if (recording) console.log(`answer: ${r.status} ${body}`);
  }
  recording = false;
  console.log(`${log.length} statements for one submission over the API with a token:`);
  log.forEach((entry, i) => console.log(`${String(i + 1).padStart(3)}  ${entry.ms.toFixed(2).padStart(6)} ms  ${entry.text}`));
  await app.app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
} finally {
  await database.close();
  await drop();
}
