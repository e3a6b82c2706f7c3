// A procedure's e-form keeps the order its author gave the fields: jsonb stores object keys
// sorted (by length, then bytes), which put an address's street before its province. The json
// type keeps the text as written. (Rows stored before this migration keep the sorted order; a
// re-import of the catalogue restores the authored order.)
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table procedure alter column form_schema type json using form_schema::json`.execute(db);
}
