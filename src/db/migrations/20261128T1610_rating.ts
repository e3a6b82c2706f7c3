// The applicant's rating of how a dossier was handled (Decision 766/QĐ-TTg, satisfaction), once,
// after the result is returned; the criteria version it was given under is kept with it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table dossier_rating (
      dossier_id uuid primary key references dossier(id),
      criteria_version text not null,
      ratings jsonb not null check (jsonb_typeof(ratings) = 'object'),
      dissatisfied boolean not null,
      comment text check (comment is null or length(comment) <= 2000),
      created_at timestamptz not null default now())`.execute(db);
}
