import { randomBytes } from 'node:crypto';
// Search benchmark: GET /api/v1/procedures?q=… on the real app (PostgreSQL, production config)
// against a raw baseline (a minimal Fastify + pg server reading one row by primary key) on the
// same database, in one run. Not part of `npm test`.
//
//   npx tsx bench/search/run.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres);
//                       a fresh database motcua_bench_<ts> is created there and dropped at the end
//   BENCH_PROCEDURES    generated procedures added to the demo catalogue (default 3000)
//   BENCH_WARMUP_S      warm-up per target, excluded from the figures (default 10)
//   BENCH_ROUNDS        measured rounds, each baseline then search (default 3)
//   BENCH_DURATION_S    seconds per measured round and target (default 15)
//   BENCH_CONNECTIONS   autocannon connections (default 50)
//
// Each server runs in its own child process (this file, re-entered with `serve <kind> <url>`), so
// autocannon's CPU use in this process is not mixed into the server's. On a 2-core machine the
// load generator, the server and PostgreSQL still share two cores: the figures are comparable
// side by side (the ratio), not absolute capacity numbers.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CamelCasePlugin, Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { DB } from '../../src/db/schema.js';
import { seedDemo } from '../../src/db/seed.js';
import { exportCatalog, importCatalog, searchProcedures, type ProcedureRecord } from '../../src/modules/catalog/catalog.service.js';

const thisFile = fileURLToPath(import.meta.url);
const benchDir = path.resolve(path.dirname(thisFile), '..');

// ---------------------------------------------------------------------------------------------
// autocannon has no bundled types; the few fields used here are declared locally.
interface Histogram {
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
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  throughput: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests?: { method: 'GET'; path: string }[];
}
const requireCjs = createRequire(import.meta.url);
const autocannon = requireCjs('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

// ---------------------------------------------------------------------------------------------
// Queries people type: with and without diacritics, partial phrases, typos, a national code.
export const searchQueries = [
  'dang ky khai sinh',
  'khai sinh',
  'Đăng ký kết hôn',
  'ket hn',
  'giay phep xay dung',
  'chung thuc',
  'ho kinh doanh',
  'cấp lại giấy chứng nhận quyền sử dụng đất',
  'ly lich tu phap',
  'doi giay phep lai xe',
  'tro cap that nghiep',
  'khai tu',
  'Chứng thực chữ ký',
  'thanh lap cong ty tnhh',
  'karaoke',
  'tach thua dat',
  'xac nhan tinh trang hon nhan',
  'gia han giay phep',
  'nuoi con nuoi',
  'giay chung nhan quyen su dung dat',
  '1.001193',
  'tro cap xa hoi hang thang',
];

// ---------------------------------------------------------------------------------------------
// Generated catalogue: names combined from real verbs and objects of Vietnamese procedures.
const verbs = [
  'Cấp giấy phép',
  'Cấp lại giấy phép',
  'Gia hạn giấy phép',
  'Điều chỉnh giấy phép',
  'Đăng ký',
  'Đăng ký thay đổi',
  'Đăng ký lại',
  'Cấp giấy chứng nhận',
  'Cấp đổi giấy chứng nhận',
  'Thu hồi giấy phép',
  'Xác nhận',
  'Thẩm định',
  'Phê duyệt',
  'Công nhận',
  'Thông báo',
  'Chấp thuận',
  'Hỗ trợ',
  'Giải quyết',
];
const objects = [
  'hoạt động cơ sở bán lẻ thuốc',
  'khai thác nước dưới đất',
  'xả nước thải vào nguồn nước',
  'kinh doanh dịch vụ lữ hành nội địa',
  'hoạt động in xuất bản phẩm',
  'biển hiệu quảng cáo',
  'đủ điều kiện an toàn thực phẩm',
  'kinh doanh khí dầu mỏ hóa lỏng',
  'vận tải hành khách bằng xe ô tô',
  'hộ nghèo, hộ cận nghèo',
  'nhà ở xã hội',
  'cơ sở giáo dục mầm non tư thục',
  'trang trại chăn nuôi',
  'tàu cá',
  'hoạt động bến thủy nội địa',
  'sử dụng vật liệu nổ công nghiệp',
  'đấu nối vào quốc lộ',
  'cơ sở khám bệnh, chữa bệnh',
  'người có công với cách mạng',
  'hợp tác xã nông nghiệp',
  'di tích lịch sử - văn hóa cấp tỉnh',
  'phương án phòng cháy và chữa cháy',
  'kế hoạch bảo vệ môi trường',
  'chuyển mục đích sử dụng rừng',
  'cắt tỉa, di dời cây xanh đô thị',
  'lễ hội truyền thống',
  'câu lạc bộ thể thao cơ sở',
  'giống cây trồng',
  'nhập khẩu thuốc thú y',
  'trung tâm ngoại ngữ, tin học',
];
const qualifiers = [
  '',
  '',
  '',
  ' cho tổ chức',
  ' cho cá nhân',
  ' trên địa bàn tỉnh',
  ' do cơ quan cấp huyện thực hiện',
  ' có yếu tố nước ngoài',
  ' trong khu công nghiệp',
  ' (trường hợp bị mất, hỏng)',
];
const documentNames = [
  'Đơn đề nghị theo mẫu',
  'Bản sao giấy chứng nhận đăng ký doanh nghiệp',
  'Bản vẽ mặt bằng, sơ đồ vị trí',
  'Báo cáo đánh giá điều kiện hoạt động',
  'Giấy tờ tùy thân của người đề nghị',
  'Văn bản ủy quyền (nếu có)',
  'Bản sao văn bằng, chứng chỉ chuyên môn',
];

/** A small deterministic PRNG (mulberry32), so that every run benchmarks the same catalogue. */
function randomFrom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, int };
}

export function generateProcedures(count: number, seeded: ProcedureRecord[], fieldCodes: string[]): ProcedureRecord[] {
  const r = randomFrom(20251128);
  const records: ProcedureRecord[] = [];
  const names = new Set<string>();
  for (let i = 0; records.length < count; i++) {
    let name = `${r.pick(verbs)} ${r.pick(objects)}${r.pick(qualifiers)}`;
    if (names.has(name)) name = `${name} (lần ${i})`;
    names.add(name);
    const model = r.pick(seeded);
    const fee = r.int(0, 3);
    records.push({
      code: `9.${String(100000 + records.length).padStart(6, '0')}`,
      status: 'published',
      name,
      nameEn: null,
      fieldCode: r.pick(fieldCodes),
      levelOfGovernment: model.levelOfGovernment,
      onlineLevelScheme: '2022',
      onlineLevel: r.next() < 0.4 ? 'full' : 'partial',
      processingDays: r.int(1, 30),
      processingNote: null,
      fees: fee === 0 ? [] : [{ name: `Phí thẩm định ${name.toLowerCase()}`, amountVnd: fee * 50_000 }],
      feesNote: null,
      documents: Array.from({ length: r.int(2, 5) }, (_, k) => ({ name: documentNames[(i + k) % documentNames.length] as string, form: 'original' as const, quantity: 1 })),
      resultType: 'Giấy phép / văn bản chấp thuận',
      legalBasis: ['Nghị định 63/2010/NĐ-CP', 'Nghị định 92/2017/NĐ-CP'],
      agencyCodes: model.agencyCodes,
      formSchema: model.formSchema,
      provenance: { confidence: 'low', note: 'Sinh tự động cho benchmark / generated for the benchmark' },
    });
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Child process: one server, told its database by argv, answering its port over IPC.

async function serve(kind: string, url: string): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (kind === 'app' || kind === 'app-uncached') {
    // Production settings; SMTP_URL is required there but search sends no mail, and DATA_DIR (keys,
    // files) goes to a temporary folder so that the project's ./data is left alone.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: '10',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      DATA_DIR: dataDir,
      // The second app measures the database path alone: every request misses the search cache.
      SEARCH_CACHE_SECONDS: kind === 'app-uncached' ? '0' : '60',
      // All load comes from one address here; real traffic comes from many, so the per-address
      // limit on public lookups is off for the measurement.
      PUBLIC_LOOKUPS_PER_MINUTE: '0',
    });
    const database = await openDatabase({ databaseUrl: url, poolSize: config.databasePoolSize });
    const app = await buildApp({ config, database, secretKey: randomBytes(32) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    close = async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  } else {
    const { default: Fastify } = await import('fastify');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const app = Fastify({ logger: false });
    app.get<{ Params: { id: string } }>('/procedure/:id', async (request, reply) => {
      const { rows } = await pool.query('select id, code, name from procedure where id = $1', [Number(request.params.id)]);
      if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
      return rows[0];
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    close = async () => {
      await app.close();
      await pool.end();
    };
  }
  process.on('message', (message) => {
    if (message === 'stop') void close().finally(() => process.exit(0));
  });
  process.send?.({ port });
}

interface Server {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

function startServer(kind: 'app' | 'app-uncached' | 'baseline', url: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = fork(thisFile, ['serve', kind, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start in 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
    child.once('message', (message) => {
      clearTimeout(timer);
      const { port } = message as { port: number };
      resolve({
        child,
        base: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

const env = process.env;
const settings = {
  adminUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  procedures: Number(env.BENCH_PROCEDURES || 3000),
  warmupSeconds: Number(env.BENCH_WARMUP_S || 10),
  rounds: Number(env.BENCH_ROUNDS || 3),
  durationSeconds: Number(env.BENCH_DURATION_S || 15),
  connections: Number(env.BENCH_CONNECTIONS || 50),
};

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: settings.adminUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

export async function prepareDatabase(url: string) {
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    await migrateToLatest(database.db);
    let started = Date.now();
    const seed = await seedDemo(database.db);
    console.log(`  seeded demo: ${seed.procedures.created} procedures, ${seed.agencies} agencies (${Date.now() - started} ms)`);
    const seeded = await exportCatalog(database.db);
    const fields = await database.db.selectFrom('field').select('code').execute();
    const generated = generateProcedures(settings.procedures, seeded, fields.map((f) => f.code));
    started = Date.now();
    const report = await importCatalog(database.db, JSON.stringify(generated), 'json');
    if (!report.ok) throw new Error(`generated catalogue rejected: ${JSON.stringify(report.problems.slice(0, 5))}`);
    console.log(`  imported ${report.created} generated procedures through importCatalog (${Date.now() - started} ms)`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('analyze');
      const { rows } = await client.query<{ n: number; ids: number[] }>(
        `select count(*)::int as n, (array_agg(id order by random()))[1:20] as ids from procedure where status = 'published'`,
      );
      return { published: rows[0]!.n, sampleIds: rows[0]!.ids, seeded: seed.procedures.created, generated: report.created };
    } finally {
      await client.end();
    }
  } finally {
    await database.close();
  }
}

/** Top result of every query through the project's own service, so a reader sees what was measured. */
async function checkAnswers(url: string) {
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    const answers: { q: string; total: number; first: string | null }[] = [];
    for (const q of searchQueries) {
      const page = await searchProcedures(database.db, { q, pageSize: 20 });
      answers.push({ q, total: page.total, first: page.items[0]?.name ?? null });
    }
    return answers;
  } finally {
    await database.close();
  }
}

const PLAN_KEYS = /Scan|Join|Sort|WindowAgg|Limit|Aggregate|Recheck|Rows Removed|Heap Blocks|Buffers|Planning Time|Execution Time|Filter/;

/** EXPLAIN ANALYZE of the exact SQL the service sends (captured through Kysely's log hook). */
async function explainSearch(url: string, queries: string[]) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  const plans: { q: string; executionMs: number; planningMs: number; keyLines: string[]; plan: string[]; sql: string }[] = [];
  try {
    for (const q of queries) {
      captured.length = 0;
      await searchProcedures(db, { q, pageSize: 20 });
      const run = captured.filter((c) => /from "procedure"/.test(c.sql) || /from "procedure_agency"/.test(c.sql));
      if (run.length === 0) throw new Error(`no search query captured for "${q}"`);
      // Every statement one search runs (the phrase pass, the typo pass when it is needed, the
      // agencies of the page), each twice: the first run warms the cache; the second is reported.
      let executionMs = 0;
      let planningMs = 0;
      const plan: string[] = [];
      for (const query of run) {
        await pool.query(`explain (analyze, buffers) ${query.sql}`, query.parameters as unknown[]);
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.sql}`, query.parameters as unknown[]);
        const lines = rows.map((r) => r['QUERY PLAN']);
        const time = (label: string) => Number(lines.find((l) => l.startsWith(label))?.match(/([\d.]+) ms/)?.[1] ?? NaN);
        executionMs += time('Execution Time');
        planningMs += time('Planning Time');
        plan.push(...lines, '');
      }
      plans.push({ q, executionMs, planningMs, keyLines: plan.filter((l) => PLAN_KEYS.test(l)), plan, sql: run.map((r) => r.sql).join(';\n') });
    }
  } finally {
    await db.destroy();
  }
  return plans;
}

type Target = 'baseline' | 'search' | 'search-uncached';

interface RoundResult {
  target: Target;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  /** 1-minute load average after the round: other work on the machine shows up here. */
  loadAvg1: number;
}

async function load(base: string, paths: string[], seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: base,
    connections: settings.connections,
    duration: seconds,
    pipelining: 1,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

async function main(): Promise<void> {
  const stamp = new Date();
  const dbName = `motcua_bench_${stamp.getTime()}`;
  const url = new URL(settings.adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  const servers: Server[] = [];
  // One cleanup, shared: a signal and main's own `finally` both wait for the same drop.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const s of servers) await s.stop().catch(() => undefined);
      await adminQuery(`drop database if exists ${dbName} with (force)`).catch((e) => console.error(`could not drop ${dbName}: ${e}`));
    })());
  const onSignal = () => {
    console.error('\ninterrupted: stopping servers and dropping the bench database');
    // Dropping the database ends this process's own open connections; their errors are expected now.
    process.on('uncaughtException', (error) => console.error(`(while stopping) ${error.message}`));
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  console.log(`search benchmark — ${settings.procedures} generated procedures, ${settings.connections} connections, warm-up ${settings.warmupSeconds} s, ${settings.rounds} × ${settings.durationSeconds} s`);
  try {
    await adminQuery(`create database ${dbName}`);
    console.log(`database ${dbName}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
    const data = await prepareDatabase(dbUrl);
    const pgVersion = await (async () => {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? 'unknown';
      } finally {
        await c.end();
      }
    })();

    const answers = await checkAnswers(dbUrl);
    const plans = await explainSearch(dbUrl, searchQueries);

    const baseline = await startServer('baseline', dbUrl);
    servers.push(baseline);
    const app = await startServer('app', dbUrl);
    servers.push(app);
    const uncached = await startServer('app-uncached', dbUrl);
    servers.push(uncached);

    const searchPaths = searchQueries.map((q) => `/api/v1/procedures?q=${encodeURIComponent(q)}`);
    const baselinePaths = data.sampleIds.map((id) => `/procedure/${id}`);
    // Both targets answer before the clock starts.
    for (const [base, p] of [[baseline.base, baselinePaths[0]], [app.base, searchPaths[0]], [uncached.base, searchPaths[0]]] as const) {
      const response = await fetch(`${base}${p}`);
      if (!response.ok) throw new Error(`${base}${p} answered ${response.status}`);
    }

    if (settings.warmupSeconds > 0) {
      console.log(`warm-up ${settings.warmupSeconds} s per target (excluded)…`);
      await load(baseline.base, baselinePaths, settings.warmupSeconds);
      await load(app.base, searchPaths, settings.warmupSeconds);
      await load(uncached.base, searchPaths, settings.warmupSeconds);
    }

    const rounds: RoundResult[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [target, base, paths] of [
        ['baseline', baseline.base, baselinePaths],
        ['search', app.base, searchPaths],
        ['search-uncached', uncached.base, searchPaths],
      ] as const) {
        const r = await load(base, paths, settings.durationSeconds);
        const row: RoundResult = {
          target,
          round,
          reqPerSec: r.requests.average,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          requests: r.requests.total,
          errors: r.errors,
          non2xx: r.non2xx,
          timeouts: r.timeouts,
          loadAvg1: Math.round(os.loadavg()[0]! * 100) / 100,
        };
        rounds.push(row);
        console.log(`  round ${round} ${target.padEnd(15)} ${row.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  errors ${row.errors}  non-2xx ${row.non2xx}  load ${row.loadAvg1}`);
      }
    }

    const summary = (target: Target) => {
      const mine = rounds.filter((r) => r.target === target);
      return {
        reqPerSec: Math.round(median(mine.map((r) => r.reqPerSec))),
        p50Ms: median(mine.map((r) => r.p50Ms)),
        p99Ms: median(mine.map((r) => r.p99Ms)),
        errors: mine.reduce((s, r) => s + r.errors + r.non2xx + r.timeouts, 0),
      };
    };
    const base = summary('baseline');
    const search = summary('search');
    const searchUncached = summary('search-uncached');
    const ratio = Math.round((search.reqPerSec / base.reqPerSec) * 1000) / 1000;
    const ratioUncached = Math.round((searchUncached.reqPerSec / base.reqPerSec) * 1000) / 1000;
    const goal = { reqPerSec: 2000, p99Ms: 20 };
    const goalMet = search.reqPerSec >= goal.reqPerSec && search.p99Ms < goal.p99Ms;

    console.log('\nmedian of rounds');
    console.log('| target          | req/s | p50 ms | p99 ms | errors |');
    console.log('|-----------------|------:|-------:|-------:|-------:|');
    for (const [name, s] of [['baseline', base], ['search', search], ['search-uncached', searchUncached]] as const) {
      console.log(`| ${name.padEnd(15)} | ${String(s.reqPerSec).padStart(5)} | ${String(s.p50Ms).padStart(6)} | ${String(s.p99Ms).padStart(6)} | ${String(s.errors).padStart(6)} |`);
    }
    console.log(`search / baseline throughput: ${ratio}; uncached search / baseline: ${ratioUncached}`);
    console.log(`goal (≥ ${goal.reqPerSec} req/s, p99 < ${goal.p99Ms} ms): ${goalMet ? 'met' : 'NOT met'}`);

    console.log('\nEXPLAIN ANALYZE of the search query (second run, warm cache):');
    for (const p of plans) console.log(`  ${p.q.padEnd(42)} execution ${p.executionMs.toFixed(2)} ms, planning ${p.planningMs.toFixed(2)} ms`);
    const slowest = [...plans].sort((a, b) => b.executionMs - a.executionMs)[0];
    if (slowest) {
      console.log(`\nslowest plan ("${slowest.q}"):`);
      for (const line of slowest.plan) console.log(`  ${line}`);
    }

    const outDir = path.join(benchDir, 'results');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `search-${stamp.toISOString().slice(0, 16).replace(':', '')}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: 'search',
          at: stamp.toISOString(),
          machine: { ...machine(), postgres: pgVersion, loadAvgAtEnd: os.loadavg() },
          settings: { ...settings, adminUrl: undefined, serverProcess: 'each server in its own child process; autocannon in the parent' },
          data,
          queries: searchQueries,
          answers,
          rounds,
          median: { baseline: base, search, searchUncached },
          ratio,
          ratioUncached,
          goal: { ...goal, met: goalMet },
          explain: plans.map(({ sql: _sql, ...p }) => p),
          searchSql: plans[0]?.sql,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === thisFile;
if (isEntry && process.argv[2] === 'serve') {
  serve(process.argv[3] ?? '', process.argv[4] ?? '').catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (isEntry) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
