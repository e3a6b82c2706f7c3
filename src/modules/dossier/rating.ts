// Satisfaction (Decision 766/QĐ-TTg): once the result is returned, the applicant rates the
// handling on the criteria in force (data/rules/satisfaction.json) and may comment. One rating
// per dossier; indicators count the dissatisfied.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../platform/access/access.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { localDateOf } from '../calendar/local-date.js';
import type { DossierDeps, RequestMeta } from './dossier-deps.js';
import { getOwnDossier } from './submission.js';

export interface RatingCriteria {
  id: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  criteria: { key: string; name: string; nameEn: string }[];
  levels: { value: number; name: string; nameEn: string }[];
}

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/rules/satisfaction.json');
const versions = (JSON.parse(fs.readFileSync(file, 'utf8')) as { versions: RatingCriteria[] }).versions;

export function ratingCriteria(at: Date = new Date()): RatingCriteria {
  const day = localDateOf(at);
  const version = versions.find((v) => v.effectiveFrom <= day && (v.effectiveTo === null || day <= v.effectiveTo));
  if (!version) throw new Error(`No satisfaction criteria are in force on ${day}; see data/rules/satisfaction.json`);
  return version;
}

export async function findRating(deps: Pick<DossierDeps, 'db'>, dossierId: string) {
  return deps.db.selectFrom('dossierRating').selectAll().where('dossierId', '=', dossierId).executeTakeFirst();
}

export async function rateDossier(deps: DossierDeps, actor: Actor, id: string, input: { ratings: Record<string, number>; comment?: string | undefined }, meta: RequestMeta): Promise<void> {
  const dossier = await getOwnDossier(deps, actor, id);
  if (dossier.status !== 'returned') throw new AppError('conflict', 'dossier.rating.notYet');
  const criteria = ratingCriteria();
  const allowed = new Set(criteria.levels.map((l) => l.value));
  const problems: FieldProblem[] = [];
  for (const c of criteria.criteria) {
    if (!allowed.has(input.ratings[c.key] as number)) problems.push({ name: `rating.${c.key}`, message: { key: 'dossier.rating.choose', params: { name: c.name } } });
  }
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > 2000) problems.push({ name: 'comment', message: { key: 'dossier.rating.comment' } });
  if (problems.length) throw new AppError('unprocessable', 'error.unprocessable', {}, problems);
  const ratings = Object.fromEntries(criteria.criteria.map((c) => [c.key, input.ratings[c.key]!]));
  const lowest = Math.min(...criteria.levels.map((l) => l.value));
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('dossierRating')
      .values({ dossierId: id, criteriaVersion: criteria.id, ratings: JSON.stringify(ratings), dissatisfied: Object.values(ratings).some((v) => v === lowest), comment })
      .onConflict((oc) => oc.column('dossierId').doNothing())
      .returning('dossierId')
      .executeTakeFirst();
    if (!inserted) throw new AppError('conflict', 'dossier.rating.once');
    await appendAudit(trx, { actorType: actor.kind === 'business' ? 'business' : 'citizen', actorId: String(dossier.ownerAccountId), action: 'dossier.rate', objectType: 'dossier', objectId: id, ip: meta.ip ?? null });
  });
}
