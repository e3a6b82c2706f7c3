// The officer's inbox (listInbox in src/modules/workflow/workflow.service.ts) only ever reads an
// agency's active dossiers (statuses 1, 2, 4, 5, 6, 8, 9), a few per cent of the table once the
// returned ones pile up. dossier_inbox_idx (agency_id, status, due_at) finds them, but every
// count and the page then read one heap page per active dossier: with 1,000,000 dossiers, 2,837
// active at the largest commune, that was ~5 ms per statement and nine statements per request
// (bench/inbox). This partial index holds the active dossiers only (about 4 MB for a million
// dossiers), ordered as the inbox sorts them, and carries every column the inbox reads, so the
// counts and the page become index-only scans, and a page for one agency (agency_id = …) can
// stop after its 20 rows.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossier_inbox_active_idx on dossier (agency_id, due_at, submitted_at)
      include (status, procedure_id, assignee_account_id, workflow_step, id, code, channel, applicant_name)
      where status in ('new', 'accepted', 'processing', 'supplementation', 'financial', 'stopped', 'done')`.execute(db);
}
