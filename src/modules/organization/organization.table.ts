import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { GovernmentLevel, Provenance } from '../catalog/catalog.table.js';

export type UnitLevel = 'province' | 'district' | 'commune';
type DateColumn = ColumnType<string, string, string>;

export interface AdminUnitTable {
  id: Generated<number>;
  gsoCode: string;
  name: string;
  unitType: string;
  level: UnitLevel;
  parentId: number | null;
  path: string;
  validFrom: DateColumn;
  validTo: DateColumn | null;
  provenance: JSONColumnType<Provenance, Provenance | string, Provenance | string>;
}

export interface AdminUnitSuccessionTable {
  predecessorId: number;
  successorId: number;
  effectiveOn: DateColumn;
}

export interface AgencyTable {
  id: Generated<number>;
  code: string | null;
  codeVerified: Generated<boolean>;
  name: string;
  nameEn: string | null;
  shortName: string | null;
  level: GovernmentLevel;
  kind: string;
  parentId: number | null;
  path: string;
  adminUnitId: number | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  validFrom: DateColumn;
  validTo: DateColumn | null;
  provenance: JSONColumnType<Provenance, Provenance | string, Provenance | string>;
}

export interface AgencySuccessionTable {
  predecessorId: number;
  successorId: number;
  effectiveOn: DateColumn;
}
