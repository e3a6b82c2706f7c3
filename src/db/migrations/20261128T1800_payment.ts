// Online payment (DOMAIN.md section 8, decision 008): what is owed (payment_obligation), each
// attempt to pay it at a provider (payment), every state edge of an attempt (payment_event), and
// the per-day serials our provider references are drawn from (payment_serial).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table payment_obligation (
          id uuid primary key,
          kind text not null check (kind in ('fee', 'fine', 'social_insurance', 'health_insurance', 'tax')),
          reference text not null check (length(reference) between 1 and 100),
          description text not null check (length(description) between 1 and 500),
          payer_name text not null check (length(payer_name) between 1 and 200),
          payer_id_number text not null check (payer_id_number ~ '^[0-9A-Z]{6,20}$'),
          agency_id integer not null references agency(id),
          dossier_id uuid references dossier(id),
          lines jsonb not null check (jsonb_typeof(lines) = 'array' and jsonb_array_length(lines) between 1 and 50),
          total bigint not null check (total > 0),
          due_date date,
          status text not null default 'unpaid' check (status in ('unpaid', 'paid', 'cancelled')),
          paid_payment_id uuid,
          paid_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          check ((status = 'paid') = (paid_payment_id is not null and paid_at is not null)),
          check (kind = 'fee' or dossier_id is null))`,
    // A standalone obligation is found by its kind and reference (a fine's decision number...).
    sql`create unique index payment_obligation_reference_idx on payment_obligation (kind, lower(reference)) where kind <> 'fee'`,
    sql`create index payment_obligation_dossier_idx on payment_obligation (dossier_id) where dossier_id is not null`,

    // Taken with a row lock in the transaction that creates the payment, like dossier_serial.
    sql`create table payment_serial (
          provider text not null,
          day date not null,
          last_serial integer not null check (last_serial > 0),
          primary key (provider, day))`,

    sql`create table payment (
          id uuid primary key,
          obligation_id uuid not null references payment_obligation(id),
          provider text not null check (provider in ('vnpay', 'national')),
          txn_ref text not null,
          txn_day date not null,
          amount bigint not null check (amount > 0),
          state text not null default 'created' check (state in ('created', 'pending', 'paid', 'failed', 'expired', 'refunded')),
          redirect_url text,
          provider_ref text,
          bank_code text,
          bank_txn_no text,
          card_type text,
          response_code text,
          provider_status text check (provider_status in ('paid', 'failed', 'pending', 'refunded', 'not_found')),
          provider_amount bigint,
          provider_checked_at timestamptz,
          paid_at timestamptz,
          refund_due boolean not null default false,
          refunded_at timestamptz,
          locale text not null default 'vi' check (locale in ('vi', 'en')),
          expires_at timestamptz not null,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          -- VNPay: vnp_TxnRef is unique per day. Ours starts with the day, so one unique key on
          -- (provider, txn_ref) makes it unique per provider and day, and finds a callback's row.
          check (txn_ref like to_char(txn_day, 'YYYYMMDD') || '%'),
          unique (provider, txn_ref),
          check (state <> 'paid' or paid_at is not null))`,
    sql`create index payment_obligation_idx on payment (obligation_id)`,
    sql`create index payment_day_idx on payment (txn_day)`,
    sql`create index payment_open_idx on payment (created_at) where state in ('created', 'pending')`,
    sql`alter table payment_obligation add constraint payment_obligation_paid_fk foreign key (paid_payment_id) references payment(id)`,

    // Every state edge, written with the state and its audit entry in one transaction.
    sql`create table payment_event (
          id bigint generated always as identity primary key,
          payment_id uuid not null references payment(id),
          at timestamptz not null default now(),
          action text not null,
          from_state text,
          to_state text not null,
          source text not null check (source in ('payer', 'ipn', 'reconciliation', 'officer')),
          actor_type text not null,
          actor_id text,
          details jsonb)`,
    sql`create index payment_event_payment_idx on payment_event (payment_id, id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
