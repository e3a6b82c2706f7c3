// The notify module's one table: dev_mail, the developer inbox. When SMTP_URL is unset the email
// job writes each message here instead of sending it, and /dev/hop-thu shows them to testers.
// The table exists on every installation (migrations are the same everywhere); in production,
// where SMTP_URL is required, it stays empty.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // message_id is the Message-ID the job derives from the outbox payload: a job that runs
    // twice (delivery is at least once) stores its message once.
    sql`create table dev_mail (
          id bigint generated always as identity primary key,
          created_at timestamptz not null default now(),
          message_id text not null unique,
          to_address text not null,
          subject text not null,
          text text not null,
          html text not null)`,
    sql`create index dev_mail_created_idx on dev_mail (created_at desc, id desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
