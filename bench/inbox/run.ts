// Inbox benchmark: GET /api/v1/inbox (the officer's inbox: listInbox in
// src/modules/workflow/workflow.service.ts) on the real app (buildApp, production config,
// PostgreSQL pool of 10) over the database bench/inbox/generate.ts filled (1,000,000 dossiers by
// default), beside a raw baseline in the same run: a bare Fastify route on the same Database
// object (same pg pool) running the one select an inbox page needs at its simplest. Not part of
// `npm test`; nothing here asserts on time.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/inbox/generate.ts
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/inbox/run.ts [--drop]
//
// DATABASE_URL names the PostgreSQL server; `--database` (default motcua_bench_inbox) is the
// generated database on it, which this run reads and leaves as it found it, apart from one bench
// officer account with its session and audit entries per run, and the migrations the database
// lacks, applied first as the product does at start (`--drop` drops the database at the end).
//
// Goal (issue): p95 < 50 ms for the inbox of one agency under load.
//
// The officer: a new account per run with role `reception` at phường Mỹ Tho (000.00.51.H20, the
// largest generated agency), created with createOfficer and logged in with loginOfficer
// (test/helpers/identity.ts: password, then TOTP enrolment through the pages, over app.inject on
// the same app). Its session cookie goes with every request (a GET needs no CSRF token).
//
// Targets, in this order in every round:
//   baseline       GET /bench/inbox on the raw server: select … from dossier where agency_id = $1
//                  and status in (the 7 active statuses) order by due_at limit 20
//   inbox-all      GET /api/v1/inbox?tab=all&page=1
//   inbox-overdue  GET /api/v1/inbox?tab=overdue&page=1
// Latency percentiles are exact, from every response time of the round (autocannon reports no
// p95); the figures are medians over the rounds.
//
// Before the load, the child process also measures one request at a time and runs EXPLAIN
// (ANALYZE, BUFFERS) on every statement listInbox sends (captured through Kysely's log hook on
// a second Kysely over the same database, so whatever shape listInbox has), and, for
// comparison, on one grouped count restricted to the active dossiers.
//
// Environment (all optional):
//   BENCH_WARMUP_S      warm-up per target before the rounds (default 3)
//   BENCH_ROUNDS        measured rounds (default 3)
//   BENCH_DURATION_S    seconds per target and round (default 10)
//   BENCH_CONNECTIONS   autocannon connections (default 10, the size of the pool: in a closed
//                       loop latency ≈ connections ÷ throughput, so p95 is read at that load)
//   BENCH_POOL_SIZE     DATABASE_POOL_SIZE of the app (default 10)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { DB } from '../../src/db/schema.js';
import type { Actor, Role } from '../../src/platform/access/access.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { calendarAround } from '../../src/modules/dossier/dossier.service.js';
import { inboxTabs, listInbox } from '../../src/modules/workflow/workflow.service.js';
import { createOfficer, loginOfficer } from '../../test/helpers/identity.js';
import {
  benchConfig,
  codeState,
  engineVersion,
  forkChild,
  isEntry,
  machine,
  median,
  openTarget,
  serveChild,
  startApp,
  startRawServer,
  withCleanup,
  writeResults,
  type Target,
} from '../submit/harness.js';
import { DEFAULT_DATABASE, databaseUrl } from './generate.js';

const thisFile = fileURLToPath(import.meta.url);
const AGENCY = '000.00.51.H20';
const ACTIVE = ['new', 'accepted', 'processing', 'supplementation', 'financial', 'stopped', 'done'] as const;
const GOAL_P95_MS = 50;

const env = process.env;
const settings = {
  warmupSeconds: Number(env.BENCH_WARMUP_S || 3),
  rounds: Number(env.BENCH_ROUNDS || 3),
  durationSeconds: Number(env.BENCH_DURATION_S || 10),
  connections: Number(env.BENCH_CONNECTIONS || 10),
  poolSize: Number(env.BENCH_POOL_SIZE || 10),
};

// ---------------------------------------------------------------------------------------------
// autocannon (no bundled types): the fields and the event used here.

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
const requireCjs = createRequire(import.meta.url);
const autocannon = requireCjs('autocannon') as (options: { url: string; connections: number; duration: number; pipelining: number; requests: { method: 'GET'; path: string; headers?: Record<string, string> }[] }) => AutocannonInstance;

// ---------------------------------------------------------------------------------------------
// Child: the app and the raw server on one Database, the officer's session, the plans.

interface ChildInfo {
  appBase: string;
  rawBase: string;
  cookie: string;
  officerId: number;
  agency: { id: number; code: string; path: string };
  dossiers: number;
  agencyDossiers: number;
  engineVersion: string;
  loginMs: number;
  migrationsApplied: string[];
  inboxIndexes: string[];
}

interface Plan {
  label: string;
  executionMs: number;
  planningMs: number;
  rows: number;
  nodes: string[];
  sql: string;
}

interface Diagnosis {
  serial: Record<string, { meanMs: number; p95Ms: number; n: number }>;
  queriesPerRequest: number;
  /** Statements of a request while the tab counts are kept (listInbox's 10-second cache). */
  queriesWhileKept: number;
  plans: Plan[];
  groupedCount: Plan;
  groupedCountsEqual: boolean;
}

/** The node types of a JSON plan, indented, with their actual rows and loops. */
function planLines(node: Record<string, unknown>, depth = 0): string[] {
  const label = [
    node['Node Type'],
    node['Index Name'] ? `using ${String(node['Index Name'])}` : node['Relation Name'] ? `on ${String(node['Relation Name'])}` : '',
    `rows=${String(node['Actual Rows'])}`,
    Number(node['Actual Loops']) > 1 ? `loops=${String(node['Actual Loops'])}` : '',
    `${Number(node['Actual Total Time']).toFixed(2)} ms`,
    node['Rows Removed by Filter'] ? `removed=${String(node['Rows Removed by Filter'])}` : '',
    node['Heap Fetches'] !== undefined ? `heap fetches=${String(node['Heap Fetches'])}` : '',
    node['Sort Method'] ? String(node['Sort Method']) : '',
  ]
    .filter(Boolean)
    .join(' ');
  const children = (node.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [`${'  '.repeat(depth)}${label}`, ...children.flatMap((c) => planLines(c, depth + 1))];
}

async function explain(pool: pg.Pool, label: string, text: string, parameters: readonly unknown[]): Promise<Plan> {
  // Once to warm the cache, then the measured run.
  await pool.query(text, parameters as unknown[]);
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: Record<string, unknown>; 'Execution Time': number; 'Planning Time': number }] }>(`explain (analyze, buffers, format json) ${text}`, parameters as unknown[]);
  const root = rows[0]!['QUERY PLAN'][0];
  return { label, executionMs: root['Execution Time'], planningMs: root['Planning Time'], rows: Number(root.Plan['Actual Rows']), nodes: planLines(root.Plan), sql: text };
}

/** Which tab a captured count statement is for (they run in parallel, so the log order varies). */
function countTab(q: CompiledQuery): string {
  const p = q.parameters;
  if (q.sql.includes('assignee_account_id')) return 'mine';
  if (q.sql.includes('workflow_step')) return 'approve';
  if (q.sql.includes('"due_at" >=')) return 'due_soon';
  if (q.sql.includes('"due_at" <')) return 'overdue';
  if (p.includes('done') && p.includes('new')) return 'all';
  if (p.includes('supplementation')) return 'paused';
  if (p.includes('done')) return 'done';
  if (p.includes('new')) return 'new';
  return '?';
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

async function serve(target: Target) {
  if (target.engine !== 'postgres') throw new Error('the inbox bench runs on PostgreSQL only');
  const url = target.url;
  const database = await openTarget(target, settings.poolSize);
  const db = database.db;
  // Migrations the generated database does not have yet (as the product applies them at start).
  const applied = ((await migrateToLatest(db)) ?? []).map((m) => m.migrationName);
  if (applied.length) await sql`analyze dossier`.execute(db);
  const { rows: counts } = await sql<{ n: number }>`select count(*)::int as n from dossier`.execute(db);
  const dossiers = counts[0]?.n ?? 0;
  if (dossiers === 0) throw new Error(`database ${target.name} has no dossiers: run bench/inbox/generate.ts first`);
  const agency = await db.selectFrom('agency').select(['id', 'code', sql<string>`path::text`.as('path')]).where('code', '=', AGENCY).executeTakeFirstOrThrow();
  const agencyDossiers = Number((await db.selectFrom('dossier').select((eb) => eb.fn.countAll<string>().as('n')).where('agencyId', '=', agency.id).executeTakeFirstOrThrow()).n);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-inbox-data-'));
  const config = benchConfig(target, dataDir, settings.poolSize);
  const app = await startApp(config, database);
  const raw = await startRawServer((server) => {
    // The baseline: one page of the agency's active dossiers by due date, one statement, as JSON.
    server.get('/bench/inbox', async () => {
      const { rows } = await sql<Record<string, unknown>>`select id, code, status, channel, due_at, submitted_at, workflow_step, applicant_name
          from dossier where agency_id = ${agency.id} and status in (${sql.join([...ACTIVE])}) order by due_at limit 20`.execute(db);
      return { items: rows };
    });
  });

  // The officer, logged in through the pages (password, TOTP enrolment) on this same app.
  const loginStarted = Date.now();
  const officer = await createOfficer(db, { email: `bench.inbox.${Date.now().toString(36)}@example.vn`, fullName: 'Cán bộ tiếp nhận (bench)', roles: [{ role: 'reception', agencyCode: AGENCY }] });
  const { client } = await loginOfficer(app.app, db, officer);
  const cookie = client.cookieHeader();
  const loginMs = Date.now() - loginStarted;

  const actor: Actor = {
    kind: 'officer',
    accountId: officer.id,
    name: officer.fullName,
    grants: [{ role: 'reception' as Role, agencyId: agency.id, agencyPath: agency.path }],
    mfaPassed: true,
    sessionId: 'bench',
  };

  /** One request at a time: listInbox through the service, and the raw select. */
  async function diagnose(): Promise<Diagnosis> {
    const serial: Diagnosis['serial'] = {};
    const time = async (label: string, n: number, body: () => Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await body();
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await body();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      serial[label] = { meanMs: Math.round((times.reduce((a, b) => a + b, 0) / n) * 100) / 100, p95Ms: Math.round(percentile(times, 95) * 100) / 100, n };
    };
    await time('listInbox tab=all', 30, () => listInbox({ db }, actor, { tab: 'all' }));
    await time('listInbox tab=overdue', 30, () => listInbox({ db }, actor, { tab: 'overdue' }));
    await time('raw select', 30, () => sql`select id, code, status, channel, due_at, submitted_at, workflow_step, applicant_name from dossier where agency_id = ${agency.id} and status in (${sql.join([...ACTIVE])}) order by due_at limit 20`.execute(db));
    await time('GET /api/v1/inbox?tab=all (app.inject)', 30, () => app.app.inject({ method: 'GET', url: '/api/v1/inbox?tab=all&page=1', headers: { cookie } }));

    // The statements listInbox sends, captured on a second Kysely over a small pool.
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const captured: CompiledQuery[] = [];
      const logging = new Kysely<DB>({
        dialect: new PostgresDialect({ pool }),
        plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
        log: (event) => {
          if (event.level === 'query') captured.push(event.query);
        },
      });
      const now = new Date();
      const plans: Plan[] = [];
      let queriesPerRequest = 0;
      let queriesWhileKept = 0;
      let allCounts: Record<string, number> = {};
      for (const tab of ['all', 'overdue'] as const) {
        captured.length = 0;
        const page = await listInbox({ db: logging }, actor, { tab }, now);
        if (tab === 'all') allCounts = page.counts;
        const statements = captured.filter((q) => /\bdossier\b/.test(q.sql));
        // The first call reads the counts; the second, on the same Kysely, is served them kept.
        if (tab === 'all') queriesPerRequest = statements.length;
        else queriesWhileKept = statements.length;
        for (const q of statements) {
          const isPage = /\blimit\b/.test(q.sql);
          // The counts are the same for both tabs: explain them once.
          if (!isPage && tab !== 'all') continue;
          const label = isPage ? `page tab=${tab}` : /filter \(where/i.test(q.sql) ? 'counts (one statement)' : `count tab=${countTab(q)}`;
          plans.push(await explain(pool, label, q.sql, q.parameters));
        }
      }
      // The alternative: every tab's count in one pass over the agency's active dossiers.
      const soon = (await calendarAround(db, now)).addWorkingDays(now, 2); // as listInbox
      const grouped = `select count(*) filter (where d.status = 'new')::int as "new",
              count(*) filter (where d.assignee_account_id = $1 and d.status in ('accepted', 'processing'))::int as "mine",
              count(*) filter (where d.status = 'processing' and d.workflow_step = 'approval')::int as "approve",
              count(*) filter (where d.status in ('new', 'accepted', 'processing') and d.due_at >= $2 and d.due_at <= $3)::int as "due_soon",
              count(*) filter (where d.status in ('new', 'accepted', 'processing') and d.due_at < $2)::int as "overdue",
              count(*) filter (where d.status in ('supplementation', 'financial', 'stopped'))::int as "paused",
              count(*) filter (where d.status = 'done')::int as "done",
              count(*)::int as "all"
         from dossier d join agency a on a.id = d.agency_id
        where d.status in ('new', 'accepted', 'processing', 'supplementation', 'financial', 'stopped', 'done') and a.path <@ $4::ltree`;
      const groupedParameters = [officer.id, now, soon, agency.path];
      const groupedCount = await explain(pool, 'one grouped count (alternative)', grouped, groupedParameters);
      const { rows } = await pool.query<Record<string, number>>(grouped, groupedParameters);
      const groupedCountsEqual = inboxTabs.every((t) => rows[0]?.[t] === allCounts[t]);
      await logging.destroy().catch(() => undefined);
      return { serial, queriesPerRequest, queriesWhileKept, plans, groupedCount, groupedCountsEqual };
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  return {
    info: {
      appBase: `http://127.0.0.1:${app.port}`,
      rawBase: `http://127.0.0.1:${raw.port}`,
      cookie,
      officerId: officer.id,
      agency: { id: agency.id, code: agency.code ?? AGENCY, path: agency.path },
      dossiers,
      agencyDossiers,
      engineVersion: await engineVersion(db),
      loginMs,
      migrationsApplied: applied,
      inboxIndexes: (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'dossier' order by 1`.execute(db)).rows.map((r) => r.name),
    } satisfies ChildInfo,
    calls: { diagnose: () => diagnose() },
    async close() {
      await app.app.close();
      await raw.app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Parent: checks, diagnosis, load, report.

interface Round {
  target: string;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  loadAvg1: number;
}

async function measure(base: string, pathAndQuery: string, cookie: string | undefined, seconds: number): Promise<Omit<Round, 'target' | 'round'>> {
  const times: number[] = [];
  const instance = autocannon({
    url: base,
    connections: settings.connections,
    duration: seconds,
    pipelining: 1,
    requests: [{ method: 'GET', path: pathAndQuery, ...(cookie ? { headers: { cookie } } : {}) }],
  });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const result = await instance;
  times.sort((a, b) => a - b);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    reqPerSec: result.duration > 0 ? Math.round((result.requests.total / result.duration) * 10) / 10 : 0,
    p50Ms: round2(percentile(times, 50)),
    p95Ms: round2(percentile(times, 95)),
    p99Ms: round2(percentile(times, 99)),
    requests: result.requests.total,
    seconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
    loadAvg1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

function summarize(rounds: Round[], target: string) {
  const mine = rounds.filter((r) => r.target === target);
  return {
    reqPerSec: Math.round(median(mine.map((r) => r.reqPerSec))),
    p50Ms: median(mine.map((r) => r.p50Ms)),
    p95Ms: median(mine.map((r) => r.p95Ms)),
    p99Ms: median(mine.map((r) => r.p99Ms)),
    requests: mine.reduce((s, r) => s + r.requests, 0),
    non2xx: mine.reduce((s, r) => s + r.non2xx, 0),
    errors: mine.reduce((s, r) => s + r.errors, 0),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { database: { type: 'string', default: DEFAULT_DATABASE }, drop: { type: 'boolean', default: false } } });
  const serverUrl = env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL (the PostgreSQL server the generated database is on) is required');
  const name = values.database;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--database: "${name}" is not a plain lower-case identifier`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  await admin.end();
  if (!exists) throw new Error(`database ${name} does not exist: run bench/inbox/generate.ts first`);

  const stamp = new Date();
  const startedAt = Date.now();
  const code = codeState();
  console.log(
    `inbox benchmark — database ${name}; ${settings.connections} connections, pool ${settings.poolSize}, warm-up ${settings.warmupSeconds} s, ${settings.rounds} × ${settings.durationSeconds} s per target; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; code ${code.commit}${code.uncommittedSrc.length ? ` + ${code.uncommittedSrc.length} uncommitted files in src/` : ''}`,
  );
  const target: Target = { engine: 'postgres', url: databaseUrl(serverUrl, name), name };
  const rounds: Round[] = [];
  let info!: ChildInfo;
  let diagnosis!: Diagnosis;
  let checks: Record<string, unknown> = {};
  await withCleanup(async (addCleanup) => {
    if (values.drop) {
      addCleanup(async () => {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
        console.log(`database ${name} dropped`);
      });
    }
    const child = await forkChild<ChildInfo>(thisFile, target, 300_000);
    addCleanup(() => child.stop());
    info = child.info;
    if (info.migrationsApplied.length) console.log(`migrations applied to ${name}: ${info.migrationsApplied.join(', ')}`);
    console.log(`indexes on dossier: ${info.inboxIndexes.join(', ')}`);
    console.log(
      `PostgreSQL ${info.engineVersion}; ${info.dossiers.toLocaleString('en')} dossiers, ${info.agencyDossiers.toLocaleString('en')} at ${info.agency.code}; officer ${info.officerId} (reception) logged in with TOTP in ${(info.loginMs / 1000).toFixed(1)} s`,
    );

    const inboxAll = '/api/v1/inbox?tab=all&page=1';
    const inboxOverdue = '/api/v1/inbox?tab=overdue&page=1';
    const get = async (url: string, cookie?: string) => {
      const response = await fetch(url, cookie ? { headers: { cookie } } : {});
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const all = await get(`${info.appBase}${inboxAll}`, info.cookie);
    const overdue = await get(`${info.appBase}${inboxOverdue}`, info.cookie);
    const anonymous = await get(`${info.appBase}${inboxAll}`);
    const raw = await get(`${info.rawBase}/bench/inbox`);
    if (all.status !== 200 || overdue.status !== 200) throw new Error(`GET /api/v1/inbox answered ${all.status}/${overdue.status}: ${JSON.stringify(all.body).slice(0, 300)}`);
    if (anonymous.status !== 401) throw new Error(`GET /api/v1/inbox without the session answered ${anonymous.status}, expected 401`);
    if (raw.status !== 200) throw new Error(`baseline answered ${raw.status}`);
    const items = (b: Record<string, unknown>) => (b.items as unknown[]).length;
    checks = { counts: all.body.counts, allItems: items(all.body), overdueItems: items(overdue.body), baselineItems: items(raw.body), inboxBytes: JSON.stringify(all.body).length, baselineBytes: JSON.stringify(raw.body).length, withoutSession: anonymous.status };
    console.log(`checks: tab=all → 200, ${items(all.body)} items (${checks.inboxBytes as number} bytes), counts ${JSON.stringify(all.body.counts)}; tab=overdue → 200, ${items(overdue.body)} items; without the cookie → 401; baseline → 200, ${items(raw.body)} rows`);

    console.log('\none request at a time (child process, no other load from this run):');
    diagnosis = await child.call<Diagnosis>('diagnose');
    for (const [label, s] of Object.entries(diagnosis.serial)) console.log(`  ${label.padEnd(42)} mean ${s.meanMs.toFixed(2).padStart(7)} ms  p95 ${s.p95Ms.toFixed(2).padStart(7)} ms  (${s.n} calls)`);
    const countPlans = diagnosis.plans.filter((p) => p.label.startsWith('count'));
    console.log(`  statements per inbox request on the dossier table: ${diagnosis.queriesPerRequest} (${countPlans.length} for the counts, 1 for the page), then ${diagnosis.queriesWhileKept} while the counts are kept (10 s, or until a dossier of the agency changes), besides the one statement for the session and grants`);
    console.log('\nEXPLAIN ANALYZE of what listInbox sends (warm cache):');
    for (const p of diagnosis.plans) console.log(`  ${p.label.padEnd(24)} execution ${p.executionMs.toFixed(2).padStart(7)} ms  planning ${p.planningMs.toFixed(2).padStart(5)} ms  rows ${p.rows}`);
    const sumCounts = countPlans.reduce((s, p) => s + p.executionMs, 0);
    console.log(`  the counts as listInbox sends them: ${sumCounts.toFixed(2)} ms of execution in ${countPlans.length} statement(s); one grouped count over the active dossiers only: ${diagnosis.groupedCount.executionMs.toFixed(2)} ms (same numbers: ${diagnosis.groupedCountsEqual})`);
    const slowest = [...diagnosis.plans].sort((a, b) => b.executionMs - a.executionMs)[0];
    if (slowest) {
      console.log(`\nslowest statement (${slowest.label}):\n  ${slowest.sql.replace(/\s+/g, ' ')}`);
      for (const line of slowest.nodes) console.log(`    ${line}`);
    }
    console.log(`\nplan of one grouped count over the active dossiers only (for comparison):`);
    for (const line of diagnosis.groupedCount.nodes) console.log(`    ${line}`);

    const targets = [
      { name: 'baseline', base: info.rawBase, path: '/bench/inbox', cookie: undefined },
      { name: 'inbox-all', base: info.appBase, path: inboxAll, cookie: info.cookie },
      { name: 'inbox-overdue', base: info.appBase, path: inboxOverdue, cookie: info.cookie },
    ];
    console.log('');
    if (settings.warmupSeconds > 0) for (const t of targets) await measure(t.base, t.path, t.cookie, settings.warmupSeconds);
    for (let round = 1; round <= settings.rounds; round++) {
      for (const t of targets) {
        const r: Round = { target: t.name, round, ...(await measure(t.base, t.path, t.cookie, settings.durationSeconds)) };
        rounds.push(r);
        const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
        console.log(`  round ${round} ${t.name.padEnd(13)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p95 ${r.p95Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  non-2xx ${r.non2xx}  errors ${r.errors}  [${codes}]  load ${r.loadAvg1}`);
      }
    }
    await child.stop();
  });

  const baseline = summarize(rounds, 'baseline');
  const inboxAll = summarize(rounds, 'inbox-all');
  const inboxOverdue = summarize(rounds, 'inbox-overdue');
  const ratio = (x: { reqPerSec: number }) => Math.round((x.reqPerSec / baseline.reqPerSec) * 1000) / 1000;
  const goals = {
    all: { goal: `inbox tab=all p95 < ${GOAL_P95_MS} ms`, value: inboxAll.p95Ms, pass: inboxAll.p95Ms < GOAL_P95_MS },
    overdue: { goal: `inbox tab=overdue p95 < ${GOAL_P95_MS} ms`, value: inboxOverdue.p95Ms, pass: inboxOverdue.p95Ms < GOAL_P95_MS },
    clean: { goal: 'no non-2xx and no errors', value: baseline.non2xx + baseline.errors + inboxAll.non2xx + inboxAll.errors + inboxOverdue.non2xx + inboxOverdue.errors, pass: false },
  };
  goals.clean.pass = goals.clean.value === 0;

  console.log(`\nmedian of ${settings.rounds} rounds × ${settings.durationSeconds} s, ${settings.connections} connections, ${info.dossiers.toLocaleString('en')} dossiers`);
  console.log('| target        | req/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | ratio |');
  console.log('|---------------|------:|-------:|-------:|-------:|--------:|-------:|------:|');
  for (const [label, s] of [['baseline', baseline], ['inbox-all', inboxAll], ['inbox-overdue', inboxOverdue]] as const) {
    console.log(
      `| ${label.padEnd(13)} | ${String(s.reqPerSec).padStart(5)} | ${s.p50Ms.toFixed(1).padStart(6)} | ${s.p95Ms.toFixed(1).padStart(6)} | ${s.p99Ms.toFixed(1).padStart(6)} | ${String(s.non2xx).padStart(7)} | ${String(s.errors).padStart(6)} | ${label === 'baseline' ? '     ' : ratio(s).toFixed(3)} |`,
    );
  }
  for (const g of Object.values(goals)) console.log(`${g.pass ? 'PASS' : 'MISS'}  ${g.goal} (measured ${g.value})`);

  const file = writeResults('inbox', stamp, {
    benchmark: 'inbox',
    at: stamp.toISOString(),
    wallSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: { ...machine(), postgres: info.engineVersion, loadAvgAtEnd: os.loadavg() },
    code,
    database: name,
    settings: { ...settings, serverProcess: 'app and baseline in one child process (same Database object); autocannon in the parent' },
    data: { dossiers: info.dossiers, agency: info.agency.code, agencyDossiers: info.agencyDossiers, dossierIndexes: info.inboxIndexes, migrationsApplied: info.migrationsApplied },
    checks,
    diagnosis,
    rounds,
    median: { baseline, inboxAll, inboxOverdue },
    ratio: { inboxAll: ratio(inboxAll), inboxOverdue: ratio(inboxOverdue) },
    goals,
  });
  console.log(`\nresults written to ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - startedAt) / 1000)} s in all)${values.drop ? '' : `; database ${name} left in place`}`);
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
