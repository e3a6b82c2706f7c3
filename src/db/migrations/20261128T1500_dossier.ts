// Online submission (level 3): dossiers and their event log, attachments stored once by SHA-256,
// the citizen's personal e-repository (Decree 45/2020, art. 11), the versioned dossier-code rule
// and the per-agency daily serials it draws from.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // Whether a service level lets people submit online is part of the level's rule (Decree
    // 42/2022 art. 11: "một phần" and "toàn trình" do; "cung cấp thông tin" does not).
    sql`alter table online_level_rule add column accepts_online boolean not null default false`,

    // The dossier-code format is law that changes (Circular 01/2018, then a 2025 circular), so it
    // is data with effective dates; `format` names the code that builds it.
    sql`create table dossier_code_rule (
          id text primary key,
          format text not null,
          description text not null,
          legal_basis text not null,
          effective_from date not null,
          effective_to date,
          check (effective_to is null or effective_to >= effective_from))`,

    // A serial per agency per day, taken with a row lock inside the submitting transaction: a
    // rollback gives the number back, so serials have neither duplicates nor gaps.
    sql`create table dossier_serial (
          agency_id integer not null references agency(id),
          day date not null,
          last_serial integer not null check (last_serial > 0),
          primary key (agency_id, day))`,

    sql`create table stored_file (
          sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
          size bigint not null check (size > 0),
          media_type text not null,
          created_at timestamptz not null default now())`,

    sql`create table dossier (
          id uuid primary key,
          code text unique,
          procedure_id integer not null references procedure(id),
          agency_id integer references agency(id),
          owner_account_id integer not null references account(id),
          business_id integer references account(id),
          channel smallint not null default 2 check (channel in (1, 2, 3)),
          status text not null default 'draft',
          data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
          current_step integer not null default 0,
          notify_email boolean not null default true,
          notify_sms boolean not null default false,
          applicant_name text,
          applicant_id_number text,
          applicant_phone text,
          applicant_email text,
          rule_versions jsonb,
          submit_key text,
          submitted_at timestamptz,
          due_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          version integer not null default 1,
          check ((status = 'draft') = (code is null)),
          check (status = 'draft' or (submitted_at is not null and agency_id is not null)))`,
    sql`create index dossier_owner_idx on dossier (owner_account_id, updated_at desc)`,
    sql`create index dossier_agency_status_idx on dossier (agency_id, status)`,

    // Every change of status is an event, appended in the transaction that changes the status.
    sql`create table dossier_event (
          id bigint generated always as identity primary key,
          dossier_id uuid not null references dossier(id),
          at timestamptz not null default now(),
          actor_type text not null,
          actor_id text,
          agency_id integer references agency(id),
          action text not null,
          from_status text,
          to_status text not null,
          reason text,
          idempotency_key text,
          unique (dossier_id, idempotency_key))`,
    sql`create index dossier_event_dossier_idx on dossier_event (dossier_id, id)`,

    sql`create table dossier_attachment (
          id uuid primary key,
          dossier_id uuid not null references dossier(id),
          slot integer not null check (slot >= 0),
          sha256 text not null references stored_file(sha256),
          file_name text not null,
          media_type text not null,
          size bigint not null,
          added_at timestamptz not null default now(),
          unique (dossier_id, slot, sha256))`,

    // The personal e-repository: every file a person uploaded and every electronic result they
    // received, offered again so that nothing is asked for twice.
    sql`create table repository_item (
          id uuid primary key,
          account_id integer not null references account(id),
          kind text not null check (kind in ('upload', 'result')),
          sha256 text not null references stored_file(sha256),
          file_name text not null,
          media_type text not null,
          size bigint not null,
          title text,
          created_at timestamptz not null default now(),
          unique (account_id, kind, sha256))`,

    // Personal API tokens: a token may act for one citizen or business account.
    sql`alter table api_token add column account_id integer references account(id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
