// The database interface: one entry per table, each table's columns declared by its module.
import type { ColumnType, JSONColumnType } from 'kysely';
import type {
  FieldTable,
  OnlineLevelRuleTable,
  ProcedureAgencyTable,
  ProcedureTable,
} from '../modules/catalog/catalog.table.js';
import type {
  AdminUnitSuccessionTable,
  AdminUnitTable,
  AgencySuccessionTable,
  AgencyTable,
} from '../modules/organization/organization.table.js';
import type {
  AccountTable,
  ApiTokenTable,
  BusinessLinkTable,
  EmailTokenTable,
  OidcPendingTable,
  RecoveryCodeTable,
  RoleAssignmentTable,
  SessionTable,
} from '../modules/identity/identity.table.js';
import type { OutboxJobTable } from '../platform/outbox/outbox.table.js';
import type { CalendarYearTable } from '../modules/calendar/calendar.table.js';
import type { AuditLogTable } from '../platform/audit/audit.table.js';
import type { DevMailTable } from '../modules/notify/notify.table.js';
import type {
  DossierAttachmentTable,
  DossierCodeRuleTable,
  DossierEventTable,
  DossierSerialTable,
  DossierTable,
  DossierRatingTable,
  RepositoryItemTable,
  StoredFileTable,
} from '../modules/dossier/dossier.table.js';
import type { PaymentEventTable, PaymentObligationTable, PaymentSerialTable, PaymentTable } from '../modules/payment/payment.table.js';
import type { SignedResultTable, SigningCertificateTable } from '../modules/signature/signature.table.js';

export interface SystemStateTable {
  key: string;
  value: JSONColumnType<Record<string, unknown>, string, string>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  systemState: SystemStateTable;
  adminUnit: AdminUnitTable;
  adminUnitSuccession: AdminUnitSuccessionTable;
  field: FieldTable;
  agency: AgencyTable;
  agencySuccession: AgencySuccessionTable;
  onlineLevelRule: OnlineLevelRuleTable;
  procedure: ProcedureTable;
  procedureAgency: ProcedureAgencyTable;
  outboxJob: OutboxJobTable;
  account: AccountTable;
  businessLink: BusinessLinkTable;
  session: SessionTable;
  emailToken: EmailTokenTable;
  roleAssignment: RoleAssignmentTable;
  recoveryCode: RecoveryCodeTable;
  oidcPending: OidcPendingTable;
  apiToken: ApiTokenTable;
  calendarYear: CalendarYearTable;
  auditLog: AuditLogTable;
  devMail: DevMailTable;
  dossierCodeRule: DossierCodeRuleTable;
  dossierSerial: DossierSerialTable;
  storedFile: StoredFileTable;
  dossier: DossierTable;
  dossierEvent: DossierEventTable;
  dossierAttachment: DossierAttachmentTable;
  repositoryItem: RepositoryItemTable;
  dossierRating: DossierRatingTable;
  paymentObligation: PaymentObligationTable;
  paymentSerial: PaymentSerialTable;
  payment: PaymentTable;
  paymentEvent: PaymentEventTable;
  signingCertificate: SigningCertificateTable;
  signedResult: SignedResultTable;
}
