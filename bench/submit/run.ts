// Submission benchmark: POST /api/v1/dossiers/{id}/submit on the real app (buildApp, production
// config), submissions without attachments, beside a raw baseline in the same run: a bare Fastify
// route doing ONE single-row INSERT per request on the same Database object (same pg pool, or the
// same PGlite instance). Not part of `npm test`.
//
//   npx tsx bench/submit/run.ts                       (PGlite only)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/submit/run.ts
//                                                     (PostgreSQL, then PGlite)
//
// Goals: on PostgreSQL ≥ 0.5 × the baseline's req/s and p99 < 50 ms; on PGlite ≥ 300 submissions/s.
//
// A third target in every round, for reference (no goal): `token`, GET /api/v1/me with the same
// API token, a request that does nothing but check its token and record that use in the audit
// chain (issue #3: every use is audited). No API submission can be cheaper than that, so its
// rate is the ceiling of what the submission path can reach on this machine.
//
// Environment (all optional):
//   DATABASE_URL          PostgreSQL server; each run creates motcua_bench_submit_<…> there and
//                         drops it at the end. Unset: PGlite only.
//   BENCH_ENGINES         postgres,pglite (default: both when DATABASE_URL is set, else pglite)
//   BENCH_WARMUP_S        warm-up per target, excluded from the figures (default 2)
//   BENCH_ROUNDS          measured rounds, each baseline, submit, token (default 3)
//   BENCH_DURATION_S      seconds per measured round and target (default 5)
//   BENCH_CONNECTIONS     autocannon connections (default 10, the size of the pool)
//   BENCH_POOL_SIZE       DATABASE_POOL_SIZE of the app (default 10)
//   BENCH_SERVICE_DRAFTS  drafts made one by one through createDraft (default 200)
//
// Every request submits a different draft with its own Idempotency-Key, so no request is an
// idempotent replay. The drafts are prepared before the clock starts: the first ones through the
// service function createDraft, the rest as copies of one of them (same columns, a new id), made
// in one INSERT … SELECT, because a few tens of thousands of createDraft calls would take longer
// than the whole measurement on this machine. A draft is a row the submission reads and locks;
// how it was written does not change what the submission does (checked: both kinds submit 201).
//
// The server (app + baseline) runs in a child process (this file re-entered with `serve`), and
// autocannon runs in this process. On a 2-core machine the load generator, the server and the
// database still share two cores: the figures are comparable side by side (the ratio), not
// absolute capacity numbers.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Engine } from '../../src/db/database.js';
import { createDraft } from '../../src/modules/dossier/dossier.service.js';
import { birthRegistrationData } from '../../test/helpers/dossier.js';
import {
  BENCH_AGENCY,
  BENCH_PROCEDURE,
  benchConfig,
  createCitizen,
  createTarget,
  dossierDeps,
  engineVersion,
  forkChild,
  isEntry,
  load,
  codeState,
  machine,
  makeAttachmentsOptional,
  openTarget,
  prepareSchema,
  printRound,
  readSettings,
  roundResult,
  serveChild,
  startApp,
  startRawServer,
  summarize,
  withCleanup,
  writeResults,
  type LoadRequest,
  type RoundResult,
  type Target,
} from './harness.js';

const thisFile = fileURLToPath(import.meta.url);
const settings = readSettings({ connections: 10 });
const serviceDrafts = Math.max(2, Number(process.env.BENCH_SERVICE_DRAFTS || 200));
const goals = { postgresRatio: 0.5, postgresP99Ms: 50, pgliteReqPerSec: 300 };

interface ChildInfo {
  appBase: string;
  rawBase: string;
  token: string;
  drafts: string[];
  createDraftMs: number;
  engineVersion: string;
  prepareMs: number;
}

interface Stats {
  drafts: number;
  submitted: number;
  submitEvents: number;
  /** Dossiers with more than one submit event: must be 0 (every request submits its own draft). */
  submittedTwice: number;
  statuses: { status: string; n: number }[];
  benchRows: number;
  auditEntries: number;
  outbox: number;
}

// ---------------------------------------------------------------------------------------------
// Child: database, fixtures, servers.

async function serve(target: Target) {
  const started = Date.now();
  const database = await openTarget(target, settings.poolSize);
  const db = database.db;
  await prepareSchema(db);
  await makeAttachmentsOptional(db);
  const citizen = await createCitizen(db);
  await sql`create table bench_row (id bigint generated always as identity primary key, payload jsonb, at timestamptz default now())`.execute(db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-submit-data-'));
  const config = benchConfig(target, dataDir, settings.poolSize);
  const deps = dossierDeps(database, config);

  const drafts: string[] = [];
  const draftStarted = Date.now();
  for (let i = 0; i < serviceDrafts; i++) {
    const created = await createDraft(deps, citizen.actor, { procedureCode: BENCH_PROCEDURE, agencyCode: BENCH_AGENCY, data: birthRegistrationData() }, { ip: '127.0.0.1' });
    drafts.push(created.id);
  }
  const createDraftMs = Date.now() - draftStarted;
  const template = drafts[0]!;

  /** `n` more drafts: copies of one made by createDraft, each with a new id. The template is
   *  submitted by the checks before the clock, so the copies say 'draft' themselves. */
  const copyDrafts = async (n: number): Promise<string[]> => {
    const { rows } = await sql<{ id: string }>`
      insert into dossier (id, procedure_id, agency_id, owner_account_id, business_id, channel, status, data, current_step, notify_email, notify_sms)
      select gen_random_uuid(), d.procedure_id, d.agency_id, d.owner_account_id, d.business_id, d.channel, 'draft', d.data, d.current_step, d.notify_email, d.notify_sms
      from dossier d, generate_series(1, ${n}::int)
      where d.id = ${template}::uuid
      returning id`.execute(db);
    return rows.map((r) => r.id);
  };
  drafts.push(...(await copyDrafts(3000)));
  await sql`analyze`.execute(db);

  const app = await startApp(config, database);
  const raw = await startRawServer((server) => {
    // The baseline: one single-row INSERT per request, on the same pool, answered as JSON.
    server.post('/bench/row', async (request, reply) => {
      const key = String(request.headers['x-bench-key'] ?? '');
      const { rows } = await sql<{ id: number }>`insert into bench_row (payload) values (${JSON.stringify({ key })}::jsonb) returning id`.execute(db);
      return reply.code(201).send({ id: rows[0]!.id });
    });
  });

  return {
    info: {
      appBase: `http://127.0.0.1:${app.port}`,
      rawBase: `http://127.0.0.1:${raw.port}`,
      token: citizen.token,
      drafts,
      createDraftMs,
      engineVersion: await engineVersion(db),
      prepareMs: Date.now() - started,
    } satisfies ChildInfo,
    calls: {
      drafts: async (args: unknown) => copyDrafts((args as { n: number }).n),
      stats: async (): Promise<Stats> => {
        // One statement, so that every count sees the same snapshot.
        const { rows } = await sql<Omit<Stats, 'statuses'>>`
          select (select count(*)::int from dossier where status = 'draft') as drafts,
                 (select count(*)::int from dossier where status <> 'draft') as submitted,
                 (select count(*)::int from dossier_event where action = 'submit') as "submitEvents",
                 (select count(*)::int from (select dossier_id from dossier_event where action = 'submit' group by dossier_id having count(*) > 1) t) as "submittedTwice",
                 (select count(*)::int from bench_row) as "benchRows",
                 (select count(*)::int from audit_log) as "auditEntries",
                 (select count(*)::int from outbox_job) as outbox`.execute(db);
        const statuses = (await sql<{ status: string; n: number }>`select status, count(*)::int as n from dossier group by status order by status`.execute(db)).rows;
        return { ...rows[0]!, statuses };
      },
    },
    async close() {
      await app.app.close();
      await raw.app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Parent: checks, load, report.

async function check(label: string, response: Response, expected: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${label}: expected ${expected}, got ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

interface EngineReport {
  engine: Engine;
  version: string;
  prepareMs: number;
  createDraftMs: number;
  serviceDrafts: number;
  draftsPrepared: number;
  checks: Record<string, unknown>;
  warmup: { baseline: number; submit: number };
  baseline: ReturnType<typeof summarize>;
  submit: ReturnType<typeof summarize>;
  token: ReturnType<typeof summarize>;
  ratio: number;
  tokenRatio: number;
  goals: Record<string, { goal: string; value: number; pass: boolean }>;
  stats: Stats;
  submitted2xx: number;
}

async function benchEngine(engine: Engine, rounds: RoundResult[], addCleanup: (fn: () => Promise<void>) => void): Promise<EngineReport> {
  const { target, drop } = await createTarget(engine, 'submit', settings.serverUrl);
  addCleanup(drop);
  console.log(`\n[${engine}] ${target.engine === 'postgres' ? `database ${target.name}` : `PGlite in ${target.dir}`}: migrating, seeding, making ${serviceDrafts} drafts through createDraft…`);
  const child = await forkChild<ChildInfo>(thisFile, target);
  addCleanup(() => child.stop());
  const info = child.info;
  console.log(`[${engine}] ready in ${(info.prepareMs / 1000).toFixed(1)} s (PostgreSQL ${info.engineVersion}); createDraft ×${serviceDrafts}: ${info.createDraftMs} ms (${(info.createDraftMs / serviceDrafts).toFixed(2)} ms each)`);

  const queue = [...info.drafts];
  const auth = { authorization: `Bearer ${info.token}` };
  const submitOne = (id: string) => fetch(`${info.appBase}/api/v1/dossiers/${id}/submit`, { method: 'POST', headers: { ...auth, 'idempotency-key': `check-${id}` } });

  // Before the clock: every kind of draft the load uses submits with 201, and the API path works.
  const viaApi = await check('POST /api/v1/dossiers', await fetch(`${info.appBase}/api/v1/dossiers`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ procedureCode: BENCH_PROCEDURE, agencyCode: BENCH_AGENCY, data: birthRegistrationData() }),
  }), 201);
  const checks = {
    apiDraft: viaApi,
    apiDraftSubmit: await check('submit (draft made through the API)', await submitOne(String(viaApi.id)), 201),
    serviceDraftSubmit: await check('submit (draft made by createDraft)', await submitOne(queue.shift()!), 201),
    copiedDraftSubmit: await check('submit (copied draft)', await submitOne(queue.splice(serviceDrafts - 1, 1)[0]!), 201),
    baseline: await check('baseline insert', await fetch(`${info.rawBase}/bench/row`, { method: 'POST', headers: { 'x-bench-key': 'check' } }), 201),
  };
  console.log(`[${engine}] checks: submit answers 201 for drafts made through the API, by createDraft and by copy, e.g. ${JSON.stringify(checks.copiedDraftSubmit)}`);

  let served = 0;
  const submitRequest: LoadRequest = {
    method: 'POST',
    path: '/api/v1/dossiers/00000000-0000-4000-8000-000000000000/submit',
    headers: auth,
    setupRequest: (request) => {
      // A used-up queue gives a draft that does not exist (404, counted as non-2xx), never a replay.
      const id = queue.shift() ?? randomUUID();
      served += 1;
      return { ...request, path: `/api/v1/dossiers/${id}/submit`, headers: { ...request.headers, 'idempotency-key': `bench-${id}` } };
    },
  };
  const tokenRequest: LoadRequest = { method: 'GET', path: '/api/v1/me', headers: auth };
  let baselineSerial = 0;
  const baselineRequest: LoadRequest = {
    method: 'POST',
    path: '/bench/row',
    setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-bench-key': `row-${++baselineSerial}` } }),
  };
  // autocannon builds a request or two ahead on each connection: keep that many drafts aside.
  const submitCap = () => queue.length - 3 * settings.connections;

  let submitted2xx = 0;
  const runSubmit = async (seconds: number) => {
    const cap = submitCap();
    if (cap < settings.connections) throw new Error(`only ${queue.length} drafts left`);
    const r = await load(info.appBase, [submitRequest], seconds, settings.connections, cap);
    submitted2xx += r.statusCodeStats?.['201']?.count ?? 0;
    return { r, capped: r.requests.total >= cap };
  };

  const warmBase = await load(info.rawBase, [baselineRequest], settings.warmupSeconds, settings.connections);
  const warmSubmit = await runSubmit(settings.warmupSeconds);
  const warmRate = warmSubmit.r.requests.total / warmSubmit.r.duration;
  console.log(`[${engine}] warm-up ${settings.warmupSeconds} s (excluded): baseline ${(warmBase.requests.total / warmBase.duration).toFixed(0)} req/s, submit ${warmRate.toFixed(0)} req/s`);
  // Enough drafts for every round at twice the warm-up rate.
  const needed = Math.ceil(warmRate * 2 * settings.durationSeconds * settings.rounds) + 4 * settings.connections * settings.rounds + 500;
  if (queue.length < needed) {
    const started = Date.now();
    const more = await child.call<string[]>('drafts', { n: needed - queue.length });
    queue.push(...more);
    console.log(`[${engine}] ${more.length} more drafts copied in ${Date.now() - started} ms (${queue.length} ready)`);
  }

  for (let round = 1; round <= settings.rounds; round++) {
    const b = await load(info.rawBase, [baselineRequest], settings.durationSeconds, settings.connections);
    const baseRow = roundResult(engine, 'baseline', round, b, false);
    rounds.push(baseRow);
    printRound(baseRow);
    const s = await runSubmit(settings.durationSeconds);
    const row = roundResult(engine, 'submit', round, s.r, s.capped);
    rounds.push(row);
    printRound(row);
    const tokenRow = roundResult(engine, 'token', round, await load(info.appBase, [tokenRequest], settings.durationSeconds, settings.connections), false);
    rounds.push(tokenRow);
    printRound(tokenRow);
  }

  // Requests cut off when the last round stopped may still be running on the server.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const stats = await child.call<Stats>('stats');
  const baseline = summarize(rounds, engine, 'baseline');
  const submit = summarize(rounds, engine, 'submit');
  const token = summarize(rounds, engine, 'token');
  const ratio = Math.round((submit.reqPerSec / baseline.reqPerSec) * 1000) / 1000;
  const tokenRatio = Math.round((token.reqPerSec / baseline.reqPerSec) * 1000) / 1000;
  const failures = [baseline, submit, token].reduce((n, t) => n + t.non2xx + t.errors, 0);
  const clean = { goal: 'no non-2xx and no errors', value: failures, pass: failures === 0 };
  const goalsMet: EngineReport['goals'] =
    engine === 'postgres'
      ? {
          ratio: { goal: `submit ≥ ${goals.postgresRatio} × baseline req/s`, value: ratio, pass: ratio >= goals.postgresRatio },
          p99: { goal: `submit p99 < ${goals.postgresP99Ms} ms`, value: submit.p99Ms, pass: submit.p99Ms < goals.postgresP99Ms },
          non2xx: clean,
        }
      : {
          throughput: { goal: `submit ≥ ${goals.pgliteReqPerSec} req/s`, value: submit.reqPerSec, pass: submit.reqPerSec >= goals.pgliteReqPerSec },
          non2xx: clean,
        };
  await child.stop();
  return {
    engine,
    version: info.engineVersion,
    prepareMs: info.prepareMs,
    createDraftMs: info.createDraftMs,
    serviceDrafts,
    draftsPrepared: served + queue.length,
    checks,
    warmup: { baseline: Math.round(warmBase.requests.total / warmBase.duration), submit: Math.round(warmRate) },
    baseline,
    submit,
    token,
    ratio,
    tokenRatio,
    goals: goalsMet,
    stats,
    submitted2xx,
  };
}

async function main(): Promise<void> {
  const stamp = new Date();
  const startedAt = Date.now();
  const code = codeState();
  console.log(
    `submit benchmark — engines ${settings.engines.join(', ')}; ${settings.connections} connections, pool ${settings.poolSize}, warm-up ${settings.warmupSeconds} s, ${settings.rounds} × ${settings.durationSeconds} s per target; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; code ${code.commit}${code.uncommittedSrc.length ? ` + ${code.uncommittedSrc.length} uncommitted files in src/` : ''}`,
  );
  const rounds: RoundResult[] = [];
  const reports: EngineReport[] = [];
  await withCleanup(async (addCleanup) => {
    for (const engine of settings.engines) reports.push(await benchEngine(engine, rounds, addCleanup));
  });

  console.log(`\nmedian of ${settings.rounds} rounds × ${settings.durationSeconds} s, ${settings.connections} connections`);
  console.log('| engine   | target   | req/s | p50 ms | p99 ms | non-2xx | errors | ratio |');
  console.log('|----------|----------|------:|-------:|-------:|--------:|-------:|------:|');
  for (const r of reports) {
    for (const [name, s, ratio] of [['baseline', r.baseline, undefined], ['submit', r.submit, r.ratio], ['token', r.token, r.tokenRatio]] as const) {
      console.log(
        `| ${r.engine.padEnd(8)} | ${name.padEnd(8)} | ${String(s.reqPerSec).padStart(5)} | ${String(s.p50Ms).padStart(6)} | ${String(s.p99Ms).padStart(6)} | ${String(s.non2xx).padStart(7)} | ${String(s.errors).padStart(6)} | ${ratio === undefined ? '     ' : ratio.toFixed(3)} |`,
      );
    }
  }
  for (const r of reports) {
    for (const g of Object.values(r.goals)) console.log(`${r.engine.padEnd(8)} ${g.pass ? 'PASS' : 'MISS'}  ${g.goal} (measured ${g.value})`);
    console.log(`${r.engine.padEnd(8)} database after the run: ${r.stats.submitted} dossiers submitted (${r.stats.submitEvents} submit events, ${r.stats.submittedTwice} dossiers submitted twice; by status ${r.stats.statuses.map((x) => `${x.status} ${x.n}`).join(', ')}), ${r.submitted2xx} 201 answers counted by autocannon (a request cut off when a round stops can still commit), ${r.stats.benchRows} baseline rows, ${r.stats.auditEntries} audit entries`);
  }
  const file = writeResults('submit', stamp, {
    benchmark: 'submit',
    at: stamp.toISOString(),
    wallSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: { ...machine(), loadAvgAtEnd: os.loadavg() },
    code,
    settings: { ...settings, serverUrl: settings.serverUrl ? '(set)' : undefined, serviceDrafts, serverProcess: 'app and baseline in one child process (same Database object); autocannon in the parent' },
    goals,
    reports,
    rounds,
  });
  console.log(`\nresults written to ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - startedAt) / 1000)} s in all)`);
}

if (isEntry(thisFile) && process.argv[2] === 'serve') {
  serveChild(serve);
} else if (isEntry(thisFile)) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
