// Return of the result by public post (bưu chính công ích, Decision 45/2016/QĐ-TTg): the applicant
// chooses it at submission with the address to send to, and reception records the shipment's
// reference when it hands the result to the post office.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossier add column result_post_address jsonb check (result_post_address is null or jsonb_typeof(result_post_address) = 'object')`.execute(db);
  await sql`alter table dossier add column result_shipment_ref text check (result_shipment_ref is null or length(result_shipment_ref) between 6 and 40)`.execute(db);
}
