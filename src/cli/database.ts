// What every command does first: open the configured database (PGlite in the data folder, or
// PostgreSQL), apply the migrations and load the versioned rules; and the demo data for `start`
// and `seed`. Kept apart from the portal itself so that a short command loads only what it uses.
import path from 'node:path';
import type { pino } from 'pino';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { isDemoSeeded, loadRules, seedDemo } from '../db/seed.js';

export function openFor(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite'), poolSize: config.databasePoolSize });
}

export async function prepare(config: Config, log: pino.Logger): Promise<Database> {
  const database = await openFor(config);
  const applied = await migrateToLatest(database.db);
  if (applied?.length) log.info({ migrations: applied?.map((m) => m.migrationName) }, 'migrations applied');
  await database.db.transaction().execute((trx) => loadRules(trx));
  return database;
}

export async function seedIfEmpty(database: Database, log: pino.Logger): Promise<void> {
  if (await isDemoSeeded(database.db)) return;
  const started = Date.now();
  const summary = await seedDemo(database.db);
  log.info(
    { fields: summary.fields, adminUnits: summary.adminUnits, agencies: summary.agencies, procedures: summary.procedures.created, ms: Date.now() - started },
    'demo data loaded',
  );
}
