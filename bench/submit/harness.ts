// Shared by bench/submit/run.ts and bench/track/run.ts: the engines (a fresh PostgreSQL database
// or a PGlite folder per run), the server child process (the real app built with buildApp plus a
// minimal raw Fastify server on the same Database object, so on the same pg pool or the same
// PGlite instance), the bench citizen with a personal API token, the autocannon rounds and the
// report. Not part of `npm test`; nothing here asserts on time.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database, type Engine } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { DB } from '../../src/db/schema.js';
import { seedDemo } from '../../src/db/seed.js';
import { createJobDefinitions } from '../../src/jobs.js';
import { exportCatalog, importCatalog, type ProcedureRecord } from '../../src/modules/catalog/catalog.service.js';
import { createDiskStorage, noScanner, storageTempDir } from '../../src/modules/document/document.service.js';
import type { DossierDeps } from '../../src/modules/dossier/dossier.service.js';
import type { Actor } from '../../src/platform/access/access.js';
import { createJobRegistry } from '../../src/platform/outbox/registry.js';
import { hashToken, randomToken } from '../../src/platform/security/secrets.js';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// autocannon has no bundled types; the few fields used here are declared locally.
export interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  total: number;
}
export interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Called before each request is sent; here it gives every request its own dossier and key. */
  setupRequest?: (request: LoadRequest) => LoadRequest;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  maxOverallRequests?: number;
  requests: LoadRequest[];
}
const requireCjs = createRequire(import.meta.url);
const autocannon = requireCjs('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

// ---------------------------------------------------------------------------------------------
// Settings

export interface Settings {
  engines: Engine[];
  /** Server (admin) connection on which each run creates and drops its own database. */
  serverUrl: string | undefined;
  warmupSeconds: number;
  rounds: number;
  durationSeconds: number;
  connections: number;
  poolSize: number;
}

export function readSettings(defaults: { connections: number }): Settings {
  const env = process.env;
  const serverUrl = env.DATABASE_URL || undefined;
  const wanted = (env.BENCH_ENGINES || (serverUrl ? 'postgres,pglite' : 'pglite')).split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of wanted) if (e !== 'postgres' && e !== 'pglite') throw new Error(`BENCH_ENGINES: unknown engine "${e}" (postgres, pglite)`);
  if (wanted.includes('postgres') && !serverUrl) throw new Error('BENCH_ENGINES names postgres but DATABASE_URL is not set');
  return {
    engines: wanted as Engine[],
    serverUrl,
    warmupSeconds: Number(env.BENCH_WARMUP_S || 2),
    rounds: Number(env.BENCH_ROUNDS || 3),
    durationSeconds: Number(env.BENCH_DURATION_S || 5),
    connections: Number(env.BENCH_CONNECTIONS || defaults.connections),
    poolSize: Number(env.BENCH_POOL_SIZE || 10),
  };
}

// ---------------------------------------------------------------------------------------------
// Engines: a fresh database per run and engine, removed at the end.

export type Target = { engine: 'postgres'; url: string; name: string } | { engine: 'pglite'; dir: string };

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates the run's database, as test/helpers/database.ts does: a new database on the server
 *  named by DATABASE_URL, or a PGlite folder in the temporary directory. */
export async function createTarget(engine: Engine, label: string, serverUrl: string | undefined): Promise<{ target: Target; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `motcua-bench-${label}-pglite-`));
    return { target: { engine, dir: path.join(dir, 'db') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `motcua_bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(serverUrl!, `create database ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return {
    target: { engine, url: url.toString(), name },
    drop: () => adminQuery(serverUrl!, `drop database if exists ${name} with (force)`),
  };
}

export function openTarget(target: Target, poolSize: number): Promise<Database> {
  return target.engine === 'postgres' ? openDatabase({ databaseUrl: target.url, poolSize }) : openDatabase({ pgliteDir: target.dir });
}

export async function engineVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return rows[0]?.v ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Fixtures, inside the server child process.

/** Migrations and the demo data (procedure 1.001193, agency 000.00.51.H20, the communes). */
export async function prepareSchema(db: Kysely<DB>): Promise<void> {
  await migrateToLatest(db);
  await seedDemo(db);
}

export interface Citizen {
  accountId: number;
  tokenId: number;
  /** The personal API token, sent as `Authorization: Bearer …` (no CSRF with a token). */
  token: string;
  actor: Actor;
}

/** A verified citizen account and a personal token with scope dossier:write, written directly
 *  (registration and login are not what is measured). */
export async function createCitizen(db: Kysely<DB>): Promise<Citizen> {
  const account = await db
    .insertInto('account')
    .values({
      kind: 'citizen',
      fullName: 'Nguyễn Thị Hồng Nhung',
      idNumber: '087090001122',
      email: 'bench.citizen@example.vn',
      emailVerifiedAt: new Date(),
      phone: '0912345678',
      passwordHash: 'bench: this account never logs in',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = `mc_${randomToken(32)}`;
  const row = await db
    .insertInto('apiToken')
    .values({
      name: 'bench',
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      scopes: ['dossier:write'],
      accountId: account.id,
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { accountId: account.id, tokenId: row.id, token, actor: { kind: 'api_token', tokenId: row.id, scopes: ['dossier:write'], agencyPath: null, accountId: account.id } };
}

export const BENCH_PROCEDURE = '1.001193';
export const BENCH_AGENCY = '000.00.51.H20';

/**
 * Bench fixture, in the bench's own database only: procedure 1.001193 (birth registration) asks
 * for one file, the birth certificate (slot 1). These benches measure submission without
 * attachments, so that document gets the note "nếu có" (if any), which makes its slot optional
 * (see attachmentSlots in src/modules/dossier/dossier-slots.ts). A published version is never
 * edited (a trigger refuses it), so the change goes through the catalogue import like any other
 * change: version 2 is published and version 1 retired. The form, its validation and the agencies
 * stay as seeded.
 */
export async function makeAttachmentsOptional(db: Kysely<DB>): Promise<void> {
  const original = (await exportCatalog(db)).find((r) => r.code === BENCH_PROCEDURE);
  if (!original) throw new Error(`procedure ${BENCH_PROCEDURE} is not in the demo catalogue`);
  // The name changes too: the import compares a record's nested objects by their `name` only
  // (contentOf in src/modules/catalog/catalog-import.ts), so a changed note alone is "unchanged".
  const changed: ProcedureRecord = {
    ...original,
    documents: original.documents.map((d, index) => (index === 1 ? { ...d, name: `${d.name} (bench)`, note: 'nếu có (bench fixture: no required upload)' } : d)),
  };
  const report = await importCatalog(db, JSON.stringify([changed]), 'json');
  if (!report.ok || report.created !== 1) throw new Error(`bench fixture for ${BENCH_PROCEDURE} not imported: ${JSON.stringify(report.problems.slice(0, 3))}`);
}

export function dossierDeps(database: Database, config: Config): DossierDeps {
  const fileRoot = path.join(config.dataDir, 'files');
  return {
    db: database.db,
    jobs: createJobRegistry(createJobDefinitions({ config, db: database.db })),
    storage: createDiskStorage(fileRoot),
    scanner: noScanner,
    tempDir: storageTempDir(fileRoot),
    publicUrl: config.publicUrl,
    uploadMaxBytes: config.uploadMaxMb * 1024 * 1024,
  };
}

// ---------------------------------------------------------------------------------------------
// Servers, inside the child process.

/** Production settings, as bench/search uses them. SMTP_URL is required in production but no
 *  worker runs here, so queued emails stay in the outbox; DATA_DIR is a temporary folder. */
export function benchConfig(target: Target, dataDir: string, poolSize: number): Config {
  return loadConfig({
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'silent',
    ...(target.engine === 'postgres' ? { DATABASE_URL: target.url } : {}),
    DATABASE_POOL_SIZE: String(poolSize),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    DATA_DIR: dataDir,
    // All load comes from one address; real lookups come from many. The per-address limits on
    // tracking (TRACK_LOOKUPS_PER_MINUTE) and on catalogue lookups are off for the measurement.
    TRACK_LOOKUPS_PER_MINUTE: '0',
    PUBLIC_LOOKUPS_PER_MINUTE: '0',
  });
}

export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/** The real app, built with buildApp on the given database. */
export async function startApp(config: Config, database: Database): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({ config, database, secretKey: randomBytes(32) });
  return { app, port: await listen(app) };
}

/** A bare Fastify server (no plugins, no hooks) for the raw baseline route. */
export async function startRawServer(register: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; port: number }> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  register(app);
  return { app, port: await listen(app) };
}

// ---------------------------------------------------------------------------------------------
// The child process: prepared, listening, answering calls from the parent over IPC.

type Handler = (args: unknown) => Promise<unknown>;

/** Child side: `start` prepares the database and the servers; its answer goes to the parent. */
export function serveChild(start: (target: Target) => Promise<{ info: unknown; calls?: Record<string, Handler>; close(): Promise<void> }>): void {
  const target = JSON.parse(process.argv[3] ?? '') as Target;
  start(target).then(
    ({ info, calls = {}, close }) => {
      process.on('message', (message: { id: number; call: string; args: unknown } | 'stop') => {
        if (message === 'stop') {
          void close().finally(() => process.exit(0));
          return;
        }
        const handler = calls[message.call];
        (handler ? handler(message.args) : Promise.reject(new Error(`unknown call ${message.call}`))).then(
          (result) => process.send?.({ id: message.id, result }),
          (error: unknown) => process.send?.({ id: message.id, error: String(error instanceof Error ? (error.stack ?? error.message) : error) }),
        );
      });
      process.send?.({ ready: info });
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export interface Child<Info> {
  info: Info;
  call<R>(name: string, args?: unknown): Promise<R>;
  stop(): Promise<void>;
}

/** Parent side: forks `file serve <target>` and waits until its servers listen. */
export function forkChild<Info>(file: string, target: Target, timeoutMs = 180_000): Promise<Child<Info>> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(file, ['serve', JSON.stringify(target)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => reject(new Error(`server child did not start in ${timeoutMs / 1000} s`)), timeoutMs);
    const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    let serial = 0;
    child.once('exit', (code) => {
      clearTimeout(timer);
      for (const p of pending.values()) p.reject(new Error(`server child exited with code ${code}`));
      reject(new Error(`server child exited with code ${code}`));
    });
    child.on('message', (message: { ready?: Info; id?: number; result?: unknown; error?: string }) => {
      if (message.ready !== undefined) {
        clearTimeout(timer);
        resolve({
          info: message.ready,
          call: <R>(name: string, args?: unknown) =>
            new Promise<R>((done, fail) => {
              const id = ++serial;
              pending.set(id, { resolve: done as (v: unknown) => void, reject: fail });
              child.send({ id, call: name, args });
            }),
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.send('stop');
            }),
        });
        return;
      }
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Load and report, in the parent.

export interface RoundResult {
  engine: Engine;
  target: string;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  seconds: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The round stopped early because it used every prepared request (e.g. every draft). */
  capped: boolean;
  loadAvg1: number;
}

export async function load(base: string, requests: LoadRequest[], seconds: number, connections: number, maxOverallRequests?: number): Promise<AutocannonResult> {
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    pipelining: 1,
    requests,
    ...(maxOverallRequests !== undefined ? { maxOverallRequests: Math.max(maxOverallRequests, connections) } : {}),
  });
}

export function roundResult(engine: Engine, target: string, round: number, r: AutocannonResult, capped: boolean): RoundResult {
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    engine,
    target,
    round,
    // Completed responses over the run's own duration; autocannon's per-second average would
    // count a partly filled last second.
    reqPerSec: r.duration > 0 ? Math.round((r.requests.total / r.duration) * 10) / 10 : 0,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    seconds: r.duration,
    errors: r.errors,
    non2xx: r.non2xx,
    timeouts: r.timeouts,
    statusCodes,
    capped,
    loadAvg1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function printRound(row: RoundResult): void {
  const codes = Object.entries(row.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
  console.log(
    `  ${row.engine.padEnd(8)} round ${row.round} ${row.target.padEnd(9)} ${row.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${String(row.p50Ms).padStart(3)} ms  p99 ${String(row.p99Ms).padStart(4)} ms  non-2xx ${row.non2xx}  errors ${row.errors}  [${codes}]${row.capped ? '  (stopped early: prepared requests used up)' : ''}  load ${row.loadAvg1}`,
  );
}

export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export interface Summary {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export function summarize(rounds: RoundResult[], engine: Engine, target: string): Summary {
  const mine = rounds.filter((r) => r.engine === engine && r.target === target);
  return {
    reqPerSec: Math.round(median(mine.map((r) => r.reqPerSec))),
    p50Ms: median(mine.map((r) => r.p50Ms)),
    p99Ms: median(mine.map((r) => r.p99Ms)),
    requests: mine.reduce((s, r) => s + r.requests, 0),
    non2xx: mine.reduce((s, r) => s + r.non2xx, 0),
    errors: mine.reduce((s, r) => s + r.errors + r.timeouts, 0),
  };
}

/** The commit measured, and the files under src/ that differed from it (the code is what was on disk). */
export function codeState(): { commit: string; uncommittedSrc: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: benchDir, encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedSrc: git('status', '--porcelain', '--', '../src').split('\n').filter(Boolean) };
  } catch {
    return { commit: 'unknown', uncommittedSrc: [] };
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export function writeResults(name: string, stamp: Date, content: unknown): string {
  const outDir = path.join(benchDir, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}-${stamp.toISOString().slice(0, 16).replace(':', '')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

/** Runs `body`, then `cleanup` once, also on Ctrl-C or SIGTERM. */
export async function withCleanup(body: (addCleanup: (fn: () => Promise<void>) => void) => Promise<void>): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) await fn().catch((e: unknown) => console.error(`cleanup: ${e instanceof Error ? e.message : String(e)}`));
    })());
  const onSignal = () => {
    console.error('\ninterrupted: stopping servers and removing the bench databases');
    process.on('uncaughtException', (error) => console.error(`(while stopping) ${error.message}`));
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await body((fn) => cleanups.push(fn));
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function isEntry(file: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === file;
}
