import type { ColumnType, Generated } from 'kysely';

/** A message captured by the development mail driver (migration 20261128T1320_notify). */
export interface DevMailTable {
  id: Generated<number>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  /** The RFC 5322 Message-ID, angle brackets included; unique, so a retried job stores once. */
  messageId: string;
  toAddress: string;
  subject: string;
  text: string;
  html: string;
}
