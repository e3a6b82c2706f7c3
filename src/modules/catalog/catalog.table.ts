import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type GovernmentLevel = 'central' | 'province' | 'district' | 'commune';
export type ProcedureStatus = 'draft' | 'published' | 'retired';
export type Confidence = 'high' | 'medium' | 'low';

/** Where a record came from: the sources it was gathered from and how far they can be trusted. */
export interface Provenance {
  sources?: string[];
  confidence?: Confidence;
  note?: string;
  [key: string]: unknown;
}

export interface FeeLine {
  name: string;
  /** Integer VND. */
  amountVnd: number;
  note?: string;
  /** Paid online with the submission (level 4), rather than asked for later by the officer (status 6). */
  dueAtSubmission?: boolean;
}

export interface RequiredDocument {
  name: string;
  form: 'original' | 'copy' | 'original-or-copy' | 'present';
  quantity: number;
  note?: string;
  /** Path of a downloadable template (mẫu đơn, tờ khai), when the procedure has one. */
  template?: string;
}

type DateColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface FieldTable {
  code: string;
  name: string;
  nameEn: string;
  sortOrder: Generated<number>;
}

export interface OnlineLevelRuleTable {
  scheme: string;
  level: string;
  name: string;
  nameEn: string;
  description: string;
  rank: number;
  legacyEquivalent: string | null;
  effectiveFrom: DateColumn;
  effectiveTo: DateColumn | null;
  legalBasis: string;
  /** Whether people may submit online at this level (migration 20261128T1500_dossier). */
  acceptsOnline: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ProcedureTable {
  id: Generated<number>;
  code: string;
  version: number;
  status: ProcedureStatus;
  name: string;
  nameEn: string | null;
  fieldCode: string;
  levelOfGovernment: GovernmentLevel;
  onlineLevelScheme: string;
  onlineLevel: string;
  processingDays: number | null;
  processingNote: string | null;
  fees: JSONColumnType<FeeLine[], string, string>;
  feesNote: string | null;
  documents: JSONColumnType<RequiredDocument[], string, string>;
  resultType: string | null;
  legalBasis: JSONColumnType<string[], string, string>;
  formSchema: JSONColumnType<Record<string, unknown>, string, string>;
  workflow: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  provenance: JSONColumnType<Provenance, string, string>;
  searchText: ColumnType<string, never, never>;
  createdAt: Generated<Date>;
  publishedAt: Timestamp | null;
  retiredAt: Timestamp | null;
}

export interface ProcedureAgencyTable {
  procedureId: number;
  agencyId: number;
}
