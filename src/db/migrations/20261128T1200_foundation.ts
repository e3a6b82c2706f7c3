// Foundation: extensions, the administrative tree, agencies, fields, the service-level rule
// scheme, the versioned catalogue of procedures, the outbox and a small key-value state table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create extension if not exists unaccent`,
    sql`create extension if not exists pg_trgm`,
    sql`create extension if not exists ltree`,
    // unaccent() is only STABLE; search columns and indexes need an IMMUTABLE wrapper that names
    // its dictionary explicitly so the result cannot depend on search_path.
    sql`create or replace function mc_unaccent(text) returns text
        language sql immutable parallel safe strict
        as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`,
    // The one search normaliser of the database: lower case, no diacritics (đ → d), every run of
    // punctuation or space folded to one space. Queries go through the same function.
    sql`create or replace function mc_search_norm(text) returns text
        language sql immutable parallel safe strict
        as $$ select btrim(regexp_replace(lower(mc_unaccent($1)), '[^a-z0-9]+', ' ', 'g')) $$`,

    sql`create table system_state (
          key text primary key,
          value jsonb not null,
          updated_at timestamptz not null default now())`,

    // Administrative units (GSO codes). District level is optional: after 1/7/2025 communes hang
    // directly under the province (Resolution 202/2025/QH15). Units carry validity dates so that
    // old dossiers still resolve; succession maps merged units to the ones that replaced them.
    sql`create table admin_unit (
          id integer generated always as identity primary key,
          gso_code text not null,
          name text not null,
          unit_type text not null,
          level text not null check (level in ('province', 'district', 'commune')),
          parent_id integer references admin_unit(id),
          path ltree not null,
          valid_from date not null,
          valid_to date,
          provenance jsonb not null default '{}'::jsonb,
          unique (gso_code, valid_from),
          check (valid_to is null or valid_to > valid_from))`,
    sql`create index admin_unit_path_idx on admin_unit using gist (path)`,
    sql`create index admin_unit_parent_idx on admin_unit (parent_id)`,
    sql`create table admin_unit_succession (
          predecessor_id integer not null references admin_unit(id),
          successor_id integer not null references admin_unit(id),
          effective_on date not null,
          primary key (predecessor_id, successor_id))`,

    sql`create table field (
          code text primary key,
          name text not null,
          name_en text not null,
          sort_order integer not null default 0)`,

    // Agencies: an N-level tree (central, province, district, commune). code is the electronic
    // identifier of Decision 20/2020/QĐ-TTg (QCVN 102:2016), validated by the application.
    sql`create table agency (
          id integer generated always as identity primary key,
          code text unique,
          code_verified boolean not null default false,
          name text not null,
          name_en text,
          short_name text,
          level text not null check (level in ('central', 'province', 'district', 'commune')),
          kind text not null,
          parent_id integer references agency(id),
          path ltree not null,
          admin_unit_id integer references admin_unit(id),
          address text,
          phone text,
          email text,
          website text,
          valid_from date not null,
          valid_to date,
          provenance jsonb not null default '{}'::jsonb,
          check (valid_to is null or valid_to > valid_from))`,
    sql`create index agency_path_idx on agency using gist (path)`,
    sql`create index agency_parent_idx on agency (parent_id)`,
    sql`create table agency_succession (
          predecessor_id integer not null references agency(id),
          successor_id integer not null references agency(id),
          effective_on date not null,
          primary key (predecessor_id, successor_id))`,

    // Online service levels are law, and law changes: Decree 43/2011 (levels 1-4) and
    // Decree 42/2022 (partial / full-process). Each level row knows its scheme's dates.
    sql`create table online_level_rule (
          scheme text not null,
          level text not null,
          name text not null,
          name_en text not null,
          description text not null,
          rank integer not null,
          legacy_equivalent text,
          effective_from date not null,
          effective_to date,
          legal_basis text not null,
          primary key (scheme, level))`,

    // The catalogue. A published version is never edited: a change makes a new version.
    sql`create table procedure (
          id integer generated always as identity primary key,
          code text not null,
          version integer not null,
          status text not null check (status in ('draft', 'published', 'retired')),
          name text not null,
          name_en text,
          field_code text not null references field(code),
          level_of_government text not null check (level_of_government in ('central', 'province', 'district', 'commune')),
          online_level_scheme text not null,
          online_level text not null,
          processing_days integer check (processing_days is null or processing_days >= 0),
          processing_note text,
          fees jsonb not null default '[]'::jsonb,
          fees_note text,
          documents jsonb not null default '[]'::jsonb,
          result_type text,
          legal_basis jsonb not null default '[]'::jsonb,
          form_schema jsonb not null,
          workflow jsonb,
          provenance jsonb not null default '{}'::jsonb,
          search_text text generated always as (mc_search_norm(coalesce(name, '') || ' ' || code)) stored,
          created_at timestamptz not null default now(),
          published_at timestamptz,
          retired_at timestamptz,
          foreign key (online_level_scheme, online_level) references online_level_rule(scheme, level),
          unique (code, version))`,
    // The law on published catalogues: a published version is never edited in place, only
    // retired when a new version replaces it. The database enforces it for every writer.
    sql`create or replace function mc_procedure_guard() returns trigger language plpgsql as $$
        begin
          if old.status in ('published', 'retired') then
            if (to_jsonb(new) - 'status' - 'retired_at' - 'search_text')
               is distinct from (to_jsonb(old) - 'status' - 'retired_at' - 'search_text') then
              raise exception 'procedure % version % is %, and cannot be edited', old.code, old.version, old.status;
            end if;
            if new.status <> old.status and not (old.status = 'published' and new.status = 'retired') then
              raise exception 'procedure % version % cannot go from % to %', old.code, old.version, old.status, new.status;
            end if;
          end if;
          return new;
        end $$`,
    sql`create trigger procedure_guard before update on procedure for each row execute function mc_procedure_guard()`,
    sql`create unique index procedure_one_published_idx on procedure (code) where status = 'published'`,
    sql`create index procedure_search_trgm_idx on procedure using gin (search_text gin_trgm_ops)`,
    sql`create index procedure_field_idx on procedure (field_code)`,
    sql`create table procedure_agency (
          procedure_id integer not null references procedure(id) on delete cascade,
          agency_id integer not null references agency(id),
          primary key (procedure_id, agency_id))`,
    sql`create index procedure_agency_agency_idx on procedure_agency (agency_id)`,

    // The transactional outbox: jobs are written in the same transaction as the change that
    // causes them, and claimed by workers with FOR UPDATE SKIP LOCKED.
    sql`create table outbox_job (
          id bigint generated always as identity primary key,
          type text not null,
          payload jsonb not null,
          status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
          attempts integer not null default 0,
          max_attempts integer not null default 8,
          run_at timestamptz not null default now(),
          locked_by text,
          locked_at timestamptz,
          last_error text,
          created_at timestamptz not null default now(),
          finished_at timestamptz)`,
    sql`create index outbox_job_due_idx on outbox_job (run_at) where status = 'pending'`,
    sql`create index outbox_job_running_idx on outbox_job (locked_at) where status = 'running'`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
