// The daily digest to leaders (issue: "one email, not one per dossier"): on each working day,
// once, every leader gets the counts of overdue, due-soon and waiting dossiers in the agencies
// their role covers. A row in system_state makes "once a day" hold across processes and restarts.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { defineJob, type JobDefinition, type JobLogger, type JobRegistry } from '../../platform/outbox/registry.js';
import { formatDate } from '../../platform/text/vietnam-time.js';
import { localDateOf, localMinutesOf } from '../calendar/local-date.js';
import { calendarAround } from '../dossier/dossier.service.js';
import { queueEmail } from '../notify/notify.service.js';

export const WORKFLOW_DIGEST = 'workflow.digest';
/** The digest goes out from 07:00 (the office opens at 07:30). */
const SEND_FROM_MINUTES = 7 * 60;

/** Queues today's digest unless it was already queued; returns whether it did. */
export async function queueDailyDigest(db: Kysely<DB>, registry: JobRegistry, now = new Date()): Promise<boolean> {
  const day = localDateOf(now);
  const calendar = await calendarAround(db, now);
  if (!calendar.isWorkingDay(day) || localMinutesOf(now) < SEND_FROM_MINUTES) return false;
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('systemState')
      .values({ key: `digest:${day}`, value: JSON.stringify({ queuedAt: now.toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return false;
    await registry.enqueue(trx, WORKFLOW_DIGEST, { day, at: now.toISOString() });
    return true;
  });
}

/** Counts for one leader: every agency under their leader grants. */
export async function digestCounts(db: Kysely<DB>, paths: string[], now: Date, dueSoonBefore: Date) {
  const row = await db
    .selectFrom('dossier as d')
    .innerJoin('agency as a', 'a.id', 'd.agencyId')
    .where(sql<boolean>`(${sql.join(paths.map((p) => sql`a.path <@ ${p}::ltree`), sql` or `)})`)
    .select([
      sql<string>`count(*) filter (where d.status in ('new', 'accepted', 'processing') and d.due_at < ${now})`.as('overdue'),
      sql<string>`count(*) filter (where d.status in ('new', 'accepted', 'processing') and d.due_at >= ${now} and d.due_at <= ${dueSoonBefore})`.as('dueSoon'),
      sql<string>`count(*) filter (where d.status = 'new')`.as('waiting'),
    ])
    .executeTakeFirstOrThrow();
  return { overdue: Number(row.overdue), dueSoon: Number(row.dueSoon), waiting: Number(row.waiting) };
}

export function createDigestJobs(options: { db: Kysely<DB>; registry: () => JobRegistry; publicUrl: string }): readonly JobDefinition<never>[] {
  const job = defineJob<unknown>({
    type: WORKFLOW_DIGEST,
    maxAttempts: 5,
    async handle(payload, ctx) {
      const at = new Date(String((payload as { at?: string }).at ?? new Date().toISOString()));
      const calendar = await calendarAround(options.db, at);
      const dueSoonBefore = calendar.addWorkingDays(at, 2);
      const leaders = await options.db
        .selectFrom('roleAssignment as r')
        .innerJoin('account as u', 'u.id', 'r.accountId')
        .innerJoin('agency as a', 'a.id', 'r.agencyId')
        .where('r.role', '=', 'leader')
        .where('r.revokedAt', 'is', null)
        .where('u.disabledAt', 'is', null)
        .where('u.email', 'is not', null)
        .select(['u.id', 'u.fullName', 'u.email', 'u.locale', sql<string>`a.path::text`.as('path')])
        .execute();
      const byLeader = new Map<number, { name: string; email: string; locale: 'vi' | 'en'; paths: string[] }>();
      for (const l of leaders) {
        const entry = byLeader.get(l.id) ?? { name: l.fullName, email: l.email!, locale: l.locale === 'en' ? 'en' : 'vi', paths: [] };
        entry.paths.push(l.path);
        byLeader.set(l.id, entry);
      }
      let sent = 0;
      for (const leader of byLeader.values()) {
        const counts = await digestCounts(options.db, leader.paths, at, dueSoonBefore);
        if (counts.overdue + counts.dueSoon + counts.waiting === 0) continue;
        await options.db.transaction().execute((trx) =>
          queueEmail(options.registry(), trx, { to: leader.email, template: 'workflow.digest', locale: leader.locale, params: { name: leader.name, date: formatDate(leader.locale, at), ...counts, link: `${options.publicUrl}/quan-tri/ho-so?tab=overdue` } }),
        );
        sent += 1;
      }
      ctx.log.info({ leaders: byLeader.size, sent }, 'daily digest queued');
    },
  });
  return [job];
}

/** Checks every 15 minutes whether today's digest is due; returns a stop function. */
export function startDigestScheduler(options: { db: Kysely<DB>; registry: JobRegistry; log: JobLogger; everyMs?: number }): () => void {
  const tick = () => {
    queueDailyDigest(options.db, options.registry).catch((error: unknown) => options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'daily digest not queued'));
  };
  const timer = setInterval(tick, options.everyMs ?? 15 * 60_000);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
