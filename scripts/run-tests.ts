// npm test: the whole suite on PGlite, then again on PostgreSQL when DATABASE_URL is set.
// Node 20's test runner takes no globs, so the files are found here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

function run(label: string, env: NodeJS.ProcessEnv): number {
  process.stdout.write(`\n=== ${label}: ${files.length} test files ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
    cwd: root,
    env: { ...env, NODE_ENV: 'test', LOG_LEVEL: env.LOG_LEVEL ?? 'silent' },
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

const { DATABASE_URL, ...withoutUrl } = process.env;
// Both engines run even when the first fails, so one run shows every failure.
const results = [run('PGlite', withoutUrl)];
if (DATABASE_URL) results.push(run('PostgreSQL', { ...withoutUrl, DATABASE_URL }));
process.exit(results.some((code) => code !== 0) ? 1 : 0);
