// Loads the reference rules and the demo province (data/) into an empty database, in one
// transaction: a failure leaves the database as it was. A marker in system_state records that
// the demo was loaded, so a second start reuses the data instead of loading it again.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { importCatalogWithin, loadFields, loadOnlineLevelRules, type FieldInput, type ImportReport, type OnlineLevelRuleInput } from '../modules/catalog/catalog.service.js';
import { loadDossierCodeRules, type DossierCodeRuleInput } from '../modules/dossier/dossier.service.js';
import { loadAdminUnits, loadAgencies, type AdminUnitFile, type AgencyFile } from '../modules/organization/organization.service.js';

export const dataDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data');

const SEED_MARKER = 'demo_seed';

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(path.join(dataDirectory, file), 'utf8')) as T;
}

export async function loadRules(trx: Transaction<DB>): Promise<void> {
  const rules = await readJson<{ levels: OnlineLevelRuleInput[] }>('rules/online-levels.json');
  await loadOnlineLevelRules(trx, rules.levels);
  const codeRules = await readJson<{ rules: DossierCodeRuleInput[] }>('rules/dossier-code.json');
  await loadDossierCodeRules(trx, codeRules.rules);
}

export async function isDemoSeeded(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('systemState').select('key').where('key', '=', SEED_MARKER).executeTakeFirst();
  return row !== undefined;
}

export interface SeedSummary {
  fields: number;
  adminUnits: number;
  agencies: number;
  procedures: ImportReport;
}

export async function seedDemo(db: Kysely<DB>): Promise<SeedSummary> {
  const [fields, units, agencies, procedures] = await Promise.all([
    readJson<FieldInput[]>('demo/fields.json'),
    readJson<AdminUnitFile>('demo/admin-units.json'),
    readJson<AgencyFile>('demo/agencies.json'),
    fs.readFile(path.join(dataDirectory, 'demo/procedures.json'), 'utf8'),
  ]);
  return db.transaction().execute(async (trx) => {
    await loadRules(trx);
    await loadFields(trx, fields);
    const unitIds = await loadAdminUnits(trx, units);
    const agencyIds = await loadAgencies(trx, agencies, unitIds);
    const report = await importCatalogWithin(trx, procedures, 'json');
    await trx
      .insertInto('systemState')
      .values({ key: SEED_MARKER, value: JSON.stringify({ at: new Date().toISOString(), procedures: report.created }) })
      .execute();
    await sql`analyze`.execute(trx);
    return { fields: fields.length, adminUnits: unitIds.size, agencies: agencyIds.size, procedures: report };
  });
}
