// Kysely queries of the notify module. `withTables` declares dev_mail locally, so the module
// compiles before (and after) DevMailTable is added to the DB interface of src/db/schema.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DevMailTable } from './notify.table.js';

type NotifyTables = { devMail: DevMailTable };

export interface DevMailInput {
  messageId: string;
  toAddress: string;
  subject: string;
  text: string;
  html: string;
}

export interface DevMailSummary {
  id: number;
  createdAt: Date;
  toAddress: string;
  subject: string;
}

export interface DevMail extends DevMailSummary {
  messageId: string;
  text: string;
  html: string;
}

/** Stores a captured message; a second call with the same Message-ID keeps the first. Returns its id. */
export async function insertDevMail(db: Kysely<DB>, mail: DevMailInput): Promise<number> {
  const inserted = await db
    .withTables<NotifyTables>()
    .insertInto('devMail')
    .values(mail)
    .onConflict((oc) => oc.column('messageId').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return Number(inserted.id);
  const existing = await db.withTables<NotifyTables>().selectFrom('devMail').select('id').where('messageId', '=', mail.messageId).executeTakeFirstOrThrow();
  return Number(existing.id);
}

/** Newest first. */
export async function listDevMail(db: Kysely<DB>, options: { limit: number; offset: number }): Promise<{ items: DevMailSummary[]; total: number }> {
  const scoped = db.withTables<NotifyTables>();
  const [items, count] = await Promise.all([
    scoped
      .selectFrom('devMail')
      .select(['id', 'createdAt', 'toAddress', 'subject'])
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    scoped.selectFrom('devMail').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((row) => ({ ...row, id: Number(row.id) })), total: Number(count.total) };
}

export async function findDevMail(db: Kysely<DB>, id: number): Promise<DevMail | undefined> {
  const row = await db
    .withTables<NotifyTables>()
    .selectFrom('devMail')
    .select(['id', 'createdAt', 'messageId', 'toAddress', 'subject', 'text', 'html'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

/** The newest message to an address: what a browser journey needs to click a verification link. */
export async function findLatestDevMailTo(db: Kysely<DB>, toAddress: string): Promise<DevMail | undefined> {
  const row = await db
    .withTables<NotifyTables>()
    .selectFrom('devMail')
    .select(['id', 'createdAt', 'messageId', 'toAddress', 'subject', 'text', 'html'])
    .where('toAddress', '=', toAddress)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}
