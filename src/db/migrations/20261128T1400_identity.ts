// Identity and access: accounts (citizens, businesses, officers), server-side sessions, one-use
// email tokens, agency-scoped role assignments, officers' TOTP recovery codes, API tokens for
// machine clients. Secrets are stored only as hashes (tokens) or encrypted (TOTP seeds).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table account (
          id integer generated always as identity primary key,
          kind text not null check (kind in ('citizen', 'business', 'officer')),
          full_name text not null,
          id_number text,
          tax_code text,
          legal_rep_name text,
          legal_rep_id_number text,
          email text,
          email_verified_at timestamptz,
          phone text,
          password_hash text,
          national_subject text,
          tech_id text,
          birth_date date,
          sex text,
          address text,
          locale text not null default 'vi' check (locale in ('vi', 'en')),
          failed_logins integer not null default 0,
          locked_until timestamptz,
          disabled_at timestamptz,
          totp_secret text,
          totp_confirmed_at timestamptz,
          totp_last_step bigint,
          created_by integer references account(id),
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          check (kind <> 'citizen' or id_number is not null or national_subject is not null),
          check (kind <> 'business' or tax_code is not null))`,
    sql`create unique index account_email_idx on account (lower(email))`,
    sql`create unique index account_id_number_idx on account (id_number) where kind = 'citizen' and id_number is not null`,
    sql`create unique index account_tax_code_idx on account (tax_code) where kind = 'business'`,
    sql`create unique index account_national_subject_idx on account (national_subject) where national_subject is not null`,

    // A citizen acts for a business it is linked to (the legal representative, or someone the
    // business authorised).
    sql`create table business_link (
          business_id integer not null references account(id),
          citizen_id integer not null references account(id),
          role text not null check (role in ('representative', 'delegate')),
          created_at timestamptz not null default now(),
          revoked_at timestamptz,
          primary key (business_id, citizen_id))`,

    sql`create table session (
          id text primary key,
          account_id integer not null references account(id),
          acting_business_id integer references account(id),
          mfa_passed boolean not null default false,
          created_at timestamptz not null default now(),
          last_seen_at timestamptz not null default now(),
          expires_at timestamptz not null,
          ip text,
          user_agent text)`,
    sql`create index session_account_idx on session (account_id)`,

    sql`create table email_token (
          token_hash text primary key,
          account_id integer not null references account(id),
          purpose text not null check (purpose in ('verify-email', 'reset-password', 'set-password')),
          created_at timestamptz not null default now(),
          expires_at timestamptz not null,
          used_at timestamptz)`,
    sql`create index email_token_account_idx on email_token (account_id, purpose)`,

    sql`create table role_assignment (
          id integer generated always as identity primary key,
          account_id integer not null references account(id),
          role text not null check (role in ('reception', 'specialist', 'leader', 'agency_admin', 'province_admin', 'auditor')),
          agency_id integer not null references agency(id),
          granted_by integer references account(id),
          granted_at timestamptz not null default now(),
          revoked_by integer references account(id),
          revoked_at timestamptz)`,
    sql`create unique index role_assignment_active_idx on role_assignment (account_id, role, agency_id) where revoked_at is null`,

    sql`create table recovery_code (
          account_id integer not null references account(id),
          code_hash text not null,
          used_at timestamptz,
          primary key (account_id, code_hash))`,

    sql`create table oidc_pending (
          state text primary key,
          nonce text not null,
          code_verifier text not null,
          return_to text,
          created_at timestamptz not null default now())`,

    sql`create table api_token (
          id integer generated always as identity primary key,
          name text not null,
          token_hash text not null unique,
          prefix text not null,
          scopes text[] not null,
          agency_id integer references agency(id),
          created_by integer references account(id),
          created_at timestamptz not null default now(),
          expires_at timestamptz not null,
          revoked_at timestamptz,
          last_used_at timestamptz)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
