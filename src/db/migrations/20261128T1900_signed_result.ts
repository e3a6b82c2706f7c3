// Signed electronic results (decision 009): the certificates and sealed private keys the platform
// signs with, one active per agency, the certification authorities it trusts, and every result it
// issued with its detached CMS signature, so that /verify/{id} can check the document years later.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // kind 'ca': a certification authority whose certificate verification trusts (a root). The
    // platform's own issuing CA (the demo CA) also holds its sealed key; one imported from a real
    // CA holds none. kind 'agency': an agency's signing certificate with its sealed key and the
    // intermediate certificates between it and a trusted CA (DER, in order).
    sql`create table signing_certificate (
          id integer generated always as identity primary key,
          kind text not null check (kind in ('ca', 'agency')),
          agency_id integer references agency(id),
          subject text not null,
          issuer text not null,
          serial_number text not null,
          fingerprint text not null unique check (fingerprint ~ '^[0-9a-f]{64}$'),
          not_before timestamptz not null,
          not_after timestamptz not null,
          certificate bytea not null,
          chain bytea[] not null default '{}',
          sealed_key text,
          created_at timestamptz not null default now(),
          retired_at timestamptz,
          check ((kind = 'agency') = (agency_id is not null)),
          check (kind = 'ca' or sealed_key is not null),
          check (not_after > not_before))`,
    // One signing certificate in use per agency; the ones it replaced stay, for the signatures
    // they made.
    sql`create unique index signing_certificate_agency_active_idx on signing_certificate (agency_id) where kind = 'agency' and retired_at is null`,
    // One issuing CA (the one that holds a key) at a time.
    sql`create unique index signing_certificate_issuing_ca_idx on signing_certificate ((true)) where kind = 'ca' and sealed_key is not null and retired_at is null`,

    sql`create table signed_result (
          id uuid primary key,
          dossier_id uuid references dossier(id),
          agency_id integer not null references agency(id),
          title text not null check (length(title) between 1 and 300),
          source text not null check (source in ('template', 'upload')),
          sha256 text not null references stored_file(sha256),
          file_name text not null,
          size bigint not null check (size > 0),
          signature bytea not null,
          signing_certificate_id integer not null references signing_certificate(id),
          signer_certificate bytea not null,
          signed_at timestamptz not null,
          issued_by integer not null references account(id),
          owner_account_id integer references account(id),
          created_at timestamptz not null default now())`,
    sql`create index signed_result_dossier_idx on signed_result (dossier_id) where dossier_id is not null`,
    sql`create index signed_result_sha256_idx on signed_result (sha256)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
