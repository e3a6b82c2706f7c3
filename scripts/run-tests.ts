// npm test: the whole suite on PGlite, then again on PostgreSQL when DATABASE_URL is set.
// Node 20's test runner takes no globs, so the files are found here.
//
// Before each engine's run, the migrated (and demo-seeded) template databases are built once
// (test/helpers/database.ts: prepareTestTemplates) and every test file gets a copy of one instead
// of migrating and seeding its own. They are built afresh each run, so the migrations under test
// are always the current ones, and removed when the run ends, passed, failed or interrupted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { prepareTestTemplates, type PreparedTemplates } from '../test/helpers/database.js';

const root = path.resolve(import.meta.dirname, '..');

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return /\.test\.tsx?$/.test(entry.name) ? [path.relative(root, full)] : [];
  });
}

const filter = process.argv.slice(2);
const files = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))]
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

// What an interrupted run must still undo: the templates of the engine running, and its runner.
let templates: PreparedTemplates | undefined;
let child: ReturnType<typeof spawn> | undefined;
let interrupted: NodeJS.Signals | undefined;

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function runFiles(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise<number>((resolve) => {
    const runner = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
      cwd: root,
      env: { ...env, NODE_ENV: 'test', LOG_LEVEL: env.LOG_LEVEL ?? 'silent' },
      stdio: 'inherit',
    });
    child = runner;
    runner.on('error', () => resolve(1));
    runner.on('exit', (code) => resolve(code ?? 1));
  }).finally(() => {
    child = undefined;
  });
}

async function run(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(`\n=== ${label}: ${files.length} test files ===\n`);
  const started = Date.now();
  try {
    templates = await prepareTestTemplates(env.DATABASE_URL);
  } catch (error) {
    // A migration that fails here would fail in every file: say it once.
    process.stderr.write(`${label}: the template database could not be built: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`${label}: template databases built in ${seconds(started)}\n`);
  try {
    if (interrupted) return 1;
    return await runFiles({ ...env, ...templates.env });
  } finally {
    await templates.cleanup().catch((error: unknown) => process.stderr.write(`${label}: could not remove the templates: ${String(error)}\n`));
    templates = undefined;
    process.stdout.write(`=== ${label}: ${seconds(started)} ===\n`);
  }
}

// Ctrl-C reaches the test runner too (same process group); a plain kill of this process is passed
// on. Either way the runner is awaited and the templates removed before exiting.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    child?.kill(signal);
  });
}

const { DATABASE_URL, ...withoutUrl } = process.env;
// Both engines run even when the first fails, so one run shows every failure.
const results = [await run('PGlite', withoutUrl)];
if (DATABASE_URL && !interrupted) results.push(await run('PostgreSQL', { ...withoutUrl, DATABASE_URL }));
process.exit(interrupted || results.some((code) => code !== 0) ? 1 : 0);
