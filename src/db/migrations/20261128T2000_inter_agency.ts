// One-stop inter-agency handling (một cửa liên thông): while a step declared with another agency
// runs, the dossier is held there. handling_agency_id names that agency (null: at its own agency),
// so that the other agency's officers see it in their inbox and act on it, and the hand-over
// events record where it went and came back from.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossier add column handling_agency_id integer references agency(id)`.execute(db);
  // Few dossiers are away at a time: a small partial index finds them for the holding agency's inbox.
  await sql`create index dossier_handling_agency_idx on dossier (handling_agency_id, due_at) where handling_agency_id is not null`.execute(db);
}
