// Gives each test file a fresh, migrated database: an in-memory PGlite by default, or a new
// PostgreSQL database on the server named by DATABASE_URL (dropped again by close()).
//
// Building one (PGlite's initdb, every migration, the demo province) costs seconds per file, so
// `npm test` (scripts/run-tests.ts) builds it once per run with prepareTestTemplates() and tells
// the test processes where it is through TEST_TEMPLATES_ENV: on PGlite each database then starts
// from a dump of the template's data folder, on PostgreSQL it is `create database … template …`.
// Either way every test still gets its own copy. A test file run on its own (node --test <file>)
// finds no templates and builds its database from scratch, as the templates themselves are built.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../src/db/seed.js';

export interface TestDatabase extends Database {
  /** The connection string of the fresh database, on PostgreSQL; undefined on PGlite. */
  readonly url: string | undefined;
}

/** What a fresh database holds besides the schema: nothing, or the demo province (seedDemo). */
export type TestSeed = 'none' | 'demo';
const SEEDS: readonly TestSeed[] = ['none', 'demo'];

/** The variable through which the runner hands the templates to the test processes (JSON). */
export const TEST_TEMPLATES_ENV = 'MOTCUA_TEST_TEMPLATES';

interface Templates {
  engine: 'pglite' | 'postgres';
  /** Per seed: the dump file (PGlite) or the template database's name (PostgreSQL). */
  seeds: Record<TestSeed, string>;
}

function templatesFor(engine: Templates['engine']): Templates | undefined {
  const raw = process.env[TEST_TEMPLATES_ENV];
  if (!raw) return undefined;
  const templates = JSON.parse(raw) as Templates;
  // A template of the other engine (a stale variable) is ignored rather than misused.
  return templates.engine === engine ? templates : undefined;
}

/** Database names are ours (never user input), but are checked before going into DDL. */
function identifier(name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return name;
}

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Migrates, and seeds when asked: how every template, and every database without one, is built. */
async function fill(database: Database, seed: TestSeed): Promise<void> {
  await migrateToLatest(database.db);
  if (seed === 'demo') await seedDemo(database.db);
}

export async function createTestDatabase(options: { seed?: TestSeed } = {}): Promise<TestDatabase> {
  const seed = options.seed ?? 'none';
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dump = templatesFor('pglite')?.seeds[seed];
    if (dump) {
      const database = await openDatabase({ pgliteDump: new Blob([await fs.promises.readFile(dump)]) });
      return { ...database, url: undefined };
    }
    const database = await openDatabase({ pgliteDir: 'memory://' });
    await fill(database, seed);
    return { ...database, url: undefined };
  }
  const name = `mc_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = templatesFor('postgres')?.seeds[seed];
  await onServer(serverUrl, (admin) => admin.query(`create database ${name}${template ? ` template ${identifier(template)}` : ''}`));
  const url = databaseUrl(serverUrl, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 8 });
  if (!template) await fill(database, seed);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await onServer(serverUrl, (dropper) => dropper.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export interface PreparedTemplates {
  /** Variables to hand to the test processes. */
  env: Record<string, string>;
  /** Removes the templates (dump folder or template databases); safe to call more than once. */
  cleanup(): Promise<void>;
}

// Template databases of a run that was killed outright (so never cleaned up) are swept by a later
// run once this old: no run lasts that long, and a run in progress elsewhere is left alone.
const STALE_TEMPLATE_MS = 24 * 60 * 60 * 1000;
const TEMPLATE_PREFIX = 'mc_tpl_';

/**
 * Builds the templates afresh for one run of the suite (never reused across runs, so the
 * migrations under test are always the current ones): a migrated database, then the same with the
 * demo province. On PGlite: dumps in a temporary folder; on PostgreSQL: template databases that no
 * one may connect to (a connection would block every copy).
 */
export async function prepareTestTemplates(serverUrl: string | undefined): Promise<PreparedTemplates> {
  return serverUrl ? preparePostgresTemplates(serverUrl) : preparePGliteTemplates();
}

// A dump folder is named after the process that made it, so a later run can tell a folder whose
// run was killed outright (never cleaned up) from one still in use.
const DUMP_PREFIX = 'motcua-test-templates-';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sweepStaleDumps(): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const pid = Number(/^motcua-test-templates-(\d+)-/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isRunning(pid)) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

async function preparePGliteTemplates(): Promise<PreparedTemplates> {
  sweepStaleDumps();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${DUMP_PREFIX}${process.pid}-`));
  const cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    const seeds = {} as Record<TestSeed, string>;
    try {
      let built: TestSeed | undefined;
      for (const seed of SEEDS) {
        // 'none' then 'demo': each builds on the one before.
        if (built === undefined) await migrateToLatest(database.db);
        if (seed === 'demo') await seedDemo(database.db);
        built = seed;
        const file = path.join(dir, `${seed}.tar`);
        if (!database.dump) throw new Error('PGlite gave no dump of its data folder');
        fs.writeFileSync(file, Buffer.from(await (await database.dump()).arrayBuffer()));
        seeds[seed] = file;
      }
    } finally {
      await database.close();
    }
    const templates: Templates = { engine: 'pglite', seeds };
    return { env: { [TEST_TEMPLATES_ENV]: JSON.stringify(templates) }, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function preparePostgresTemplates(serverUrl: string): Promise<PreparedTemplates> {
  const stamp = Date.now();
  const base = `${TEMPLATE_PREFIX}${stamp.toString(36)}_${randomBytes(4).toString('hex')}`;
  const seeds = Object.fromEntries(SEEDS.map((seed) => [seed, `${base}_${seed}`])) as Record<TestSeed, string>;
  const cleanup = () =>
    onServer(serverUrl, async (admin) => {
      for (const name of Object.values(seeds)) await admin.query(`drop database if exists ${identifier(name)} with (force)`);
    });
  await sweepStaleTemplates(serverUrl, stamp);
  try {
    for (const seed of SEEDS) {
      const name = identifier(seeds[seed]);
      await onServer(serverUrl, (admin) => admin.query(`create database ${name}`));
      const database = await openDatabase({ databaseUrl: databaseUrl(serverUrl, name), poolSize: 2 });
      try {
        await fill(database, seed);
      } finally {
        await database.close();
      }
      await onServer(serverUrl, (admin) => admin.query(`alter database ${name} allow_connections false`));
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { env: { [TEST_TEMPLATES_ENV]: JSON.stringify({ engine: 'postgres', seeds } satisfies Templates) }, cleanup };
}

async function sweepStaleTemplates(serverUrl: string, now: number): Promise<void> {
  await onServer(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like '${TEMPLATE_PREFIX}%'`);
    for (const { datname } of rows) {
      const made = parseInt(datname.slice(TEMPLATE_PREFIX.length).split('_')[0] ?? '', 36);
      if (Number.isFinite(made) && now - made > STALE_TEMPLATE_MS) await admin.query(`drop database if exists ${identifier(datname)} with (force)`);
    }
  });
}
