// The back office's workflow state on a dossier: the step it is at, who holds it, since when and
// until when; the status a pause interrupted; the one apology; how the result went back. Events
// carry the step and its due instant, so the control slip (form 05) is read from them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table dossier add column workflow_step text`,
    sql`alter table dossier add column assignee_account_id integer references account(id)`,
    sql`alter table dossier add column step_started_at timestamptz`,
    sql`alter table dossier add column step_due_at timestamptz`,
    sql`alter table dossier add column accepted_at timestamptz`,
    sql`alter table dossier add column paused_from text`,
    sql`alter table dossier add column apologized_at timestamptz`,
    sql`alter table dossier add column supplement_items jsonb`,
    sql`alter table dossier add column result_delivery text check (result_delivery in ('in_person', 'post', 'online'))`,
    sql`alter table dossier add column received_by integer references account(id)`,
    sql`alter table dossier_event add column step text`,
    sql`alter table dossier_event add column step_due_at timestamptz`,
    sql`alter table dossier_event add column to_account_id integer references account(id)`,
    sql`alter table dossier_event add column details jsonb`,
    sql`create index dossier_inbox_idx on dossier (agency_id, status, due_at)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
