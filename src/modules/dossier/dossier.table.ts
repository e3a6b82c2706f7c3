// Tables of the dossier module (migration 20261128T1500_dossier).
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { DossierStatus } from './dossier-status.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = ColumnType<string, string, string>;

/** The rule versions a dossier was received under (ARCHITECTURE.md convention 9). */
export interface RuleVersions {
  procedureVersion: number;
  onlineLevel: string;
  dossierCodeRule: string;
  [key: string]: unknown;
}

export interface DossierCodeRuleTable {
  id: string;
  format: string;
  description: string;
  legalBasis: string;
  effectiveFrom: DateColumn;
  effectiveTo: DateColumn | null;
}

export interface DossierSerialTable {
  agencyId: number;
  day: DateColumn;
  lastSerial: number;
}

export interface StoredFileTable {
  sha256: string;
  size: ColumnType<number, number, number>;
  mediaType: string;
  createdAt: Generated<Date>;
}

export interface DossierTable {
  id: string;
  code: string | null;
  procedureId: number;
  agencyId: number | null;
  ownerAccountId: number;
  businessId: number | null;
  channel: ColumnType<number, number | undefined, number>;
  status: ColumnType<DossierStatus, DossierStatus | undefined, DossierStatus>;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  currentStep: ColumnType<number, number | undefined, number>;
  notifyEmail: ColumnType<boolean, boolean | undefined, boolean>;
  notifySms: ColumnType<boolean, boolean | undefined, boolean>;
  applicantName: string | null;
  applicantIdNumber: string | null;
  applicantPhone: string | null;
  applicantEmail: string | null;
  ruleVersions: JSONColumnType<RuleVersions, string, string> | null;
  submitKey: string | null;
  submittedAt: Timestamp | null;
  dueAt: Timestamp | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  // Back office (migration 20261128T1600_workflow).
  workflowStep: string | null;
  assigneeAccountId: number | null;
  stepStartedAt: Timestamp | null;
  stepDueAt: Timestamp | null;
  acceptedAt: Timestamp | null;
  pausedFrom: DossierStatus | null;
  apologizedAt: Timestamp | null;
  supplementItems: JSONColumnType<{ item: string; reason: string }[], string, string> | null;
  resultDelivery: 'in_person' | 'post' | 'online' | null;
  receivedBy: number | null;
  /** The agency doing a step declared elsewhere (migration 20261128T2000_inter_agency); null: at home. */
  handlingAgencyId: ColumnType<number | null, number | null | undefined, number | null>;
  /** Where the result goes by public post, chosen at submission (migration 20261128T2010_result_by_post). */
  resultPostAddress: JSONColumnType<{ provinceCode: string; communeCode: string; street: string; recipient: string; phone: string }, string | null | undefined, string | null> | null;
  /** The post office's reference of the shipment that carried the result. */
  resultShipmentRef: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DossierEventTable {
  id: Generated<string>;
  dossierId: string;
  at: Timestamp;
  actorType: string;
  actorId: string | null;
  agencyId: number | null;
  action: string;
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus;
  reason: string | null;
  idempotencyKey: string | null;
  step: ColumnType<string | null, string | null | undefined, string | null>;
  stepDueAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  toAccountId: ColumnType<number | null, number | null | undefined, number | null>;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface DossierAttachmentTable {
  id: string;
  dossierId: string;
  slot: number;
  sha256: string;
  fileName: string;
  mediaType: string;
  size: ColumnType<number, number, number>;
  addedAt: Generated<Date>;
}

export interface RepositoryItemTable {
  id: string;
  accountId: number;
  kind: 'upload' | 'result';
  sha256: string;
  fileName: string;
  mediaType: string;
  size: ColumnType<number, number, number>;
  title: string | null;
  createdAt: Generated<Date>;
}

export interface DossierRatingTable {
  dossierId: string;
  criteriaVersion: string;
  ratings: JSONColumnType<Record<string, number>, string, string>;
  dissatisfied: boolean;
  comment: string | null;
  createdAt: Generated<Date>;
}
