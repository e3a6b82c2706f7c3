// Opens the database: PGlite (embedded, in DATA_DIR) when no DATABASE_URL is given, PostgreSQL
// through `pg` otherwise. Both speak the same SQL dialect, so every query runs on either engine.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  /** Answers true when the database takes a query: the basis of /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** PGlite only: the data folder as a tar, to open copies from (`pgliteDump`). */
  dump?(): Promise<Blob>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; absent or 'memory://' keeps the database in memory (tests). */
  pgliteDir?: string | undefined;
  /** A PGlite data-directory dump (`dumpDataDir()`) to start from instead of an empty cluster:
   *  the tests copy one migrated and seeded database rather than building each anew. */
  pgliteDump?: Blob | undefined;
  poolSize?: number;
}

// int8 (counts, bigserial ids) as numbers: our values stay far below 2^53.
// date as its ISO text, never shifted through the server's time zone.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

const plugins = [new CamelCasePlugin({ maintainNestedObjectKeys: true })];

async function openPGlite(dir: string | undefined, dump: Blob | undefined): Promise<Database> {
  const dataDir = dir && dir !== 'memory://' ? dir : undefined;
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(dump ? { loadDataDir: dump } : {}),
    extensions: { ltree, pg_trgm, unaccent },
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v, [NUMERIC]: (v: string) => Number(v) },
  });
  const database = wrap(new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins }), 'pglite');
  return {
    ...database,
    async close() {
      // Kysely leaves a driver that never ran a query alone, and an open PGlite keeps the process up.
      await database.close();
      if (!pglite.closed) await pglite.close();
    },
    async dump() {
      // A checkpoint first, so that a copy starts without replaying the log.
      await pglite.exec('checkpoint');
      return pglite.dumpDataDir('none');
    },
  };
}

function wrap(db: Kysely<DB>, engine: Engine): Database {
  return {
    db,
    engine,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return wrap(new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins }), 'postgres');
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPGlite(options.pgliteDir, options.pgliteDump);
}
