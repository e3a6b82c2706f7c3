// Tracking benchmark: GET /api/v1/track/{code} (public, anonymous) on the real app (buildApp,
// production config) over submitted dossiers, beside a raw baseline in the same run: a bare
// Fastify route doing one `select * from dossier where code = $1` and answering the row as JSON,
// on the same Database object (same pg pool, or the same PGlite instance). Not part of `npm test`.
//
//   npx tsx bench/track/run.ts                        (PGlite only)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/track/run.ts
//                                                     (PostgreSQL, then PGlite)
//
// Goal: ≥ 0.6 × the baseline's req/s.
//
// Environment (all optional): DATABASE_URL, BENCH_ENGINES, BENCH_WARMUP_S, BENCH_ROUNDS,
// BENCH_DURATION_S, BENCH_POOL_SIZE as in bench/submit/run.ts, and
//   BENCH_CONNECTIONS     autocannon connections (default 50, as bench/search)
//   BENCH_DOSSIERS        dossiers created and submitted through createDraft + submitDossier
//                         before the clock starts (default 800). Each takes about 30 ms on this
//                         2-core machine (the submission is the slow part: see bench/README.md),
//                         so 2000 would take a minute per engine before the clock starts; a
//                         lookup by a unique key costs the same over 800 rows or 2000.
//
// The tracking route is limited per client address (TRACK_LOOKUPS_PER_MINUTE, 30 by default);
// all load here comes from one address, so the limit is off (TRACK_LOOKUPS_PER_MINUTE=0) for the
// measurement. Every request asks for another code, in turn over all of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Engine } from '../../src/db/database.js';
import { createDraft, submitDossier } from '../../src/modules/dossier/dossier.service.js';
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
} from '../submit/harness.js';

const thisFile = fileURLToPath(import.meta.url);
const settings = readSettings({ connections: 50 });
const dossierCount = Number(process.env.BENCH_DOSSIERS || 800);
const goals = { ratio: 0.6 };

interface ChildInfo {
  appBase: string;
  rawBase: string;
  codes: string[];
  seedMs: number;
  engineVersion: string;
  prepareMs: number;
}

// ---------------------------------------------------------------------------------------------
// Child: database, submitted dossiers, servers.

async function serve(target: Target) {
  const started = Date.now();
  const database = await openTarget(target, settings.poolSize);
  const db = database.db;
  await prepareSchema(db);
  await makeAttachmentsOptional(db);
  const citizen = await createCitizen(db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-track-data-'));
  const config = benchConfig(target, dataDir, settings.poolSize);
  const deps = dossierDeps(database, config);

  // Created and submitted through the service functions, a few at a time (the submissions queue
  // on the day's serial and the audit chain anyway).
  const seedStarted = Date.now();
  const codes: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < dossierCount; i = next++) {
      const draft = await createDraft(deps, citizen.actor, { procedureCode: BENCH_PROCEDURE, agencyCode: BENCH_AGENCY, data: birthRegistrationData() }, { ip: '127.0.0.1' });
      const submitted = await submitDossier(deps, citizen.actor, draft.id, `seed-${i}`, { ip: '127.0.0.1' });
      codes.push(submitted.code);
    }
  };
  await Promise.all(Array.from({ length: target.engine === 'postgres' ? 4 : 1 }, worker));
  const seedMs = Date.now() - seedStarted;
  await sql`analyze`.execute(db);

  const app = await startApp(config, database);
  const raw = await startRawServer((server) => {
    // The baseline: the dossier row by its code, one query, answered as JSON.
    server.get<{ Params: { code: string } }>('/bench/dossier/:code', async (request, reply) => {
      const { rows } = await sql<Record<string, unknown>>`select * from dossier where code = ${request.params.code}`.execute(db);
      if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
      return rows[0];
    });
  });

  return {
    info: {
      appBase: `http://127.0.0.1:${app.port}`,
      rawBase: `http://127.0.0.1:${raw.port}`,
      codes,
      seedMs,
      engineVersion: await engineVersion(db),
      prepareMs: Date.now() - started,
    } satisfies ChildInfo,
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

interface EngineReport {
  engine: Engine;
  version: string;
  prepareMs: number;
  seedMs: number;
  dossiers: number;
  checks: Record<string, unknown>;
  baseline: ReturnType<typeof summarize>;
  track: ReturnType<typeof summarize>;
  ratio: number;
  goals: Record<string, { goal: string; value: number; pass: boolean }>;
}

/** The same order of codes for every run: a fixed shuffle (so neighbours are not consecutive serials). */
function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  let seed = 20261128;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function benchEngine(engine: Engine, rounds: RoundResult[], addCleanup: (fn: () => Promise<void>) => void): Promise<EngineReport> {
  const { target, drop } = await createTarget(engine, 'track', settings.serverUrl);
  addCleanup(drop);
  console.log(`\n[${engine}] ${target.engine === 'postgres' ? `database ${target.name}` : `PGlite in ${target.dir}`}: migrating, seeding, creating and submitting ${dossierCount} dossiers through the service…`);
  const child = await forkChild<ChildInfo>(thisFile, target, 600_000);
  addCleanup(() => child.stop());
  const info = child.info;
  console.log(`[${engine}] ready in ${(info.prepareMs / 1000).toFixed(1)} s (PostgreSQL ${info.engineVersion}); ${info.codes.length} dossiers created and submitted in ${(info.seedMs / 1000).toFixed(1)} s`);

  const codes = shuffled(info.codes);
  const trackRequests: LoadRequest[] = codes.map((code) => ({ method: 'GET', path: `/api/v1/track/${encodeURIComponent(code)}` }));
  const baselineRequests: LoadRequest[] = codes.map((code) => ({ method: 'GET', path: `/bench/dossier/${encodeURIComponent(code)}` }));

  const tracked = await fetch(`${info.appBase}${trackRequests[0]!.path}`);
  const trackedBody = (await tracked.json()) as Record<string, unknown>;
  if (tracked.status !== 200 || trackedBody.code !== codes[0]) throw new Error(`GET /api/v1/track answered ${tracked.status}: ${JSON.stringify(trackedBody).slice(0, 300)}`);
  const raw = await fetch(`${info.rawBase}${baselineRequests[0]!.path}`);
  const rawBody = (await raw.json()) as Record<string, unknown>;
  if (raw.status !== 200 || rawBody.code !== codes[0]) throw new Error(`baseline answered ${raw.status}`);
  const checks = { track: trackedBody, baselineBytes: JSON.stringify(rawBody).length, trackBytes: JSON.stringify(trackedBody).length };
  console.log(`[${engine}] checks: GET /api/v1/track/${codes[0]} → 200 (${checks.trackBytes} bytes: status ${String(trackedBody.status)}, ${(trackedBody.events as unknown[]).length} event); baseline → 200 (${checks.baselineBytes} bytes)`);

  if (settings.warmupSeconds > 0) {
    await load(info.rawBase, baselineRequests, settings.warmupSeconds, settings.connections);
    await load(info.appBase, trackRequests, settings.warmupSeconds, settings.connections);
  }
  for (let round = 1; round <= settings.rounds; round++) {
    const b = roundResult(engine, 'baseline', round, await load(info.rawBase, baselineRequests, settings.durationSeconds, settings.connections), false);
    rounds.push(b);
    printRound(b);
    const t = roundResult(engine, 'track', round, await load(info.appBase, trackRequests, settings.durationSeconds, settings.connections), false);
    rounds.push(t);
    printRound(t);
  }
  await child.stop();

  const baseline = summarize(rounds, engine, 'baseline');
  const track = summarize(rounds, engine, 'track');
  const ratio = Math.round((track.reqPerSec / baseline.reqPerSec) * 1000) / 1000;
  const clean = track.non2xx + track.errors + baseline.non2xx + baseline.errors;
  return {
    engine,
    version: info.engineVersion,
    prepareMs: info.prepareMs,
    seedMs: info.seedMs,
    dossiers: info.codes.length,
    checks,
    baseline,
    track,
    ratio,
    goals: {
      ratio: { goal: `track ≥ ${goals.ratio} × baseline req/s`, value: ratio, pass: ratio >= goals.ratio },
      non2xx: { goal: 'no non-2xx and no errors', value: clean, pass: clean === 0 },
    },
  };
}

async function main(): Promise<void> {
  const stamp = new Date();
  const startedAt = Date.now();
  const code = codeState();
  console.log(
    `track benchmark — engines ${settings.engines.join(', ')}; ${dossierCount} dossiers, ${settings.connections} connections, pool ${settings.poolSize}, warm-up ${settings.warmupSeconds} s, ${settings.rounds} × ${settings.durationSeconds} s per target; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; code ${code.commit}${code.uncommittedSrc.length ? ` + ${code.uncommittedSrc.length} uncommitted files in src/` : ''}`,
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
    for (const [name, s] of [['baseline', r.baseline], ['track', r.track]] as const) {
      console.log(
        `| ${r.engine.padEnd(8)} | ${name.padEnd(8)} | ${String(s.reqPerSec).padStart(5)} | ${String(s.p50Ms).padStart(6)} | ${String(s.p99Ms).padStart(6)} | ${String(s.non2xx).padStart(7)} | ${String(s.errors).padStart(6)} | ${name === 'track' ? r.ratio.toFixed(3) : '     '} |`,
      );
    }
  }
  for (const r of reports) for (const g of Object.values(r.goals)) console.log(`${r.engine.padEnd(8)} ${g.pass ? 'PASS' : 'MISS'}  ${g.goal} (measured ${g.value})`);
  const file = writeResults('track', stamp, {
    benchmark: 'track',
    at: stamp.toISOString(),
    wallSeconds: Math.round((Date.now() - startedAt) / 1000),
    machine: { ...machine(), loadAvgAtEnd: os.loadavg() },
    code,
    settings: { ...settings, serverUrl: settings.serverUrl ? '(set)' : undefined, dossiers: dossierCount, serverProcess: 'app and baseline in one child process (same Database object); autocannon in the parent' },
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
