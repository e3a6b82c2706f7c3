// The working calendar a province configures per year: its days off (public holidays arranged
// for the year, days in lieu, swapped days) and its swap working days (làm bù), with the text it
// is based on. A year without a row falls back to the announced schedule in
// data/rules/holidays.json, then to the defaults computed from the Labour Code in force.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // One row per year: a year's calendar is published and replaced as a whole. The application
    // checks the days (dates inside the year, no duplicates, swap days on a weekend); the
    // database keeps the shape it relies on.
    sql`create table calendar_year (
          year integer primary key check (year between 1900 and 2199),
          holidays jsonb not null default '[]'::jsonb check (jsonb_typeof(holidays) = 'array'),
          swap_workdays jsonb not null default '[]'::jsonb check (jsonb_typeof(swap_workdays) = 'array'),
          source text not null check (length(btrim(source)) > 0),
          updated_at timestamptz not null default now())`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
