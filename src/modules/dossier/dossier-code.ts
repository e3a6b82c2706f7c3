// Dossier codes. The format is law that changes (Circular 01/2018/TT-VPCP; a 2025 circular
// replaced it with a format not yet confirmed), so each rule version is data with effective dates
// (data/rules/dossier-code.json) and names one of the formats below. A dossier records the rule
// id it was coded under.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { localDateOf, type LocalDate } from '../calendar/local-date.js';

export interface CodeParts {
  agencyCode: string;
  /** The day of receipt in Vietnam (UTC+7). */
  day: LocalDate;
  serial: number;
}

/** The formats the code knows; a rule names one. */
export const codeFormats: Record<string, (parts: CodeParts) => string> = {
  // Circular 01/2018: <agency identifier>-<YYMMDD>-<serial of the day for that agency, 4 digits>,
  // e.g. 000.00.00.H49-250312-0007. Past 9999 a day the serial keeps counting with more digits
  // rather than repeat a code.
  'agency-yymmdd-serial4': ({ agencyCode, day, serial }) =>
    `${agencyCode}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(serial).padStart(4, '0')}`,
};

export interface DossierCodeRule {
  id: string;
  format: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** The rule in force on a day; the rule table must cover every day (an uncovered day is a
 *  configuration error, not something a citizen caused). */
export function ruleInForce(rules: readonly DossierCodeRule[], day: LocalDate): DossierCodeRule {
  const rule = rules.find((r) => r.effectiveFrom <= day && (r.effectiveTo === null || day <= r.effectiveTo));
  if (!rule) throw new Error(`No dossier-code rule is in force on ${day}; add one to data/rules/dossier-code.json`);
  if (!(rule.format in codeFormats)) throw new Error(`Dossier-code rule ${rule.id} names an unknown format "${rule.format}"`);
  return rule;
}

export function formatDossierCode(rule: DossierCodeRule, parts: CodeParts): string {
  const format = codeFormats[rule.format];
  if (!format) throw new Error(`Dossier-code rule ${rule.id} names an unknown format "${rule.format}"`);
  return format(parts);
}

/**
 * Takes the next serial of the day for an agency. The upsert holds the row lock until the
 * caller's transaction ends, so concurrent submissions queue on it; a rollback returns the
 * number. Serials are therefore unique and without gaps.
 */
export async function takeDailySerial(trx: Transaction<DB>, agencyId: number, day: LocalDate): Promise<number> {
  const row = await trx
    .insertInto('dossierSerial')
    .values({ agencyId, day, lastSerial: 1 })
    .onConflict((oc) => oc.columns(['agencyId', 'day']).doUpdateSet({ lastSerial: sql`dossier_serial.last_serial + 1` }))
    .returning('lastSerial')
    .executeTakeFirstOrThrow();
  return row.lastSerial;
}

export async function loadCodeRules(trx: Transaction<DB>): Promise<DossierCodeRule[]> {
  const rows = await trx.selectFrom('dossierCodeRule').select(['id', 'format', sql<string>`effective_from::text`.as('effectiveFrom'), sql<string | null>`effective_to::text`.as('effectiveTo')]).orderBy('effectiveFrom').execute();
  return rows;
}

/**
 * Assigns the code of a dossier received now by an agency, within the receiving transaction.
 * One statement takes the serial and reads the rules: the serial's row lock is held from here
 * to the commit and every submission to the agency that day queues on it, so the caller takes
 * the code as late as it can (after its checks and reads) and this step is one round trip.
 * A day without a rule fails after the serial was taken; the transaction's rollback returns it.
 */
export async function assignDossierCode(trx: Transaction<DB>, agency: { id: number; code: string }, receivedAt: Date): Promise<{ code: string; ruleId: string }> {
  const day = localDateOf(receivedAt);
  const { rows } = await sql<{ serial: number; rules: DossierCodeRule[] | string }>`
    with taken as (
      insert into dossier_serial (agency_id, day, last_serial) values (${agency.id}, ${day}, 1)
      on conflict (agency_id, day) do update set last_serial = dossier_serial.last_serial + 1
      returning last_serial)
    select taken.last_serial as serial,
           (select coalesce(json_agg(json_build_object('id', r.id, 'format', r.format, 'effectiveFrom', r.effective_from::text,
                                                       'effectiveTo', r.effective_to::text) order by r.effective_from), '[]'::json)
            from dossier_code_rule r) as rules
    from taken`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('assignDossierCode: the serial statement returned no row');
  const rules = typeof row.rules === 'string' ? (JSON.parse(row.rules) as DossierCodeRule[]) : row.rules;
  const rule = ruleInForce(rules, day);
  return { code: formatDossierCode(rule, { agencyCode: agency.code, day, serial: row.serial }), ruleId: rule.id };
}

export interface DossierCodeRuleInput extends DossierCodeRule {
  description: string;
  legalBasis: string;
}

/** Loads the rule file; the file is the authority, so a known rule is replaced by its version. */
export async function loadDossierCodeRules(trx: Transaction<DB>, rules: DossierCodeRuleInput[]): Promise<void> {
  for (const rule of rules) {
    if (!(rule.format in codeFormats)) throw new Error(`Dossier-code rule ${rule.id} names an unknown format "${rule.format}"`);
    const values = { id: rule.id, format: rule.format, description: rule.description, legalBasis: rule.legalBasis, effectiveFrom: rule.effectiveFrom, effectiveTo: rule.effectiveTo };
    await trx.insertInto('dossierCodeRule').values(values).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  }
}
