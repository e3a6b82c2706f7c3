import type { ColumnType, Generated } from 'kysely';

export type AccountKind = 'citizen' | 'business' | 'officer';
import type { Role } from '../../platform/access/access.js';
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = ColumnType<string, string, string>;

export interface AccountTable {
  id: Generated<number>;
  kind: AccountKind;
  fullName: string;
  idNumber: string | null;
  taxCode: string | null;
  legalRepName: string | null;
  legalRepIdNumber: string | null;
  email: string | null;
  emailVerifiedAt: Timestamp | null;
  phone: string | null;
  passwordHash: string | null;
  nationalSubject: string | null;
  techId: string | null;
  birthDate: DateColumn | null;
  sex: string | null;
  address: string | null;
  locale: Generated<'vi' | 'en'>;
  failedLogins: Generated<number>;
  lockedUntil: Timestamp | null;
  disabledAt: Timestamp | null;
  totpSecret: string | null;
  totpConfirmedAt: Timestamp | null;
  totpLastStep: number | null;
  createdBy: number | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface BusinessLinkTable {
  businessId: number;
  citizenId: number;
  role: 'representative' | 'delegate';
  createdAt: Generated<Date>;
  revokedAt: Timestamp | null;
}

export interface SessionTable {
  id: string;
  accountId: number;
  actingBusinessId: number | null;
  mfaPassed: Generated<boolean>;
  createdAt: Generated<Date>;
  lastSeenAt: Generated<Date>;
  expiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface EmailTokenTable {
  tokenHash: string;
  accountId: number;
  purpose: 'verify-email' | 'reset-password' | 'set-password';
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
}

export interface RoleAssignmentTable {
  id: Generated<number>;
  accountId: number;
  role: Role;
  agencyId: number;
  grantedBy: number | null;
  grantedAt: Generated<Date>;
  revokedBy: number | null;
  revokedAt: Timestamp | null;
}

export interface RecoveryCodeTable {
  accountId: number;
  codeHash: string;
  usedAt: Timestamp | null;
}

export interface OidcPendingTable {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string | null;
  createdAt: Generated<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  tokenHash: string;
  prefix: string;
  scopes: string[];
  agencyId: number | null;
  /** A personal token acts for this citizen or business account (migration 20261128T1500_dossier). */
  accountId: ColumnType<number | null, number | null | undefined, number | null>;
  createdBy: number | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
  lastUsedAt: Timestamp | null;
}
