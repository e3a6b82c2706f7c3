// Maps the claims of the national portal / VNeID (DOMAIN.md §11) to the identity MộtCửa keeps.
// Accounts are matched on the 12-digit identity number (Law on Identification 2023, art. 12: the
// personal identification number is the citizen's lifelong key), so a missing or malformed one
// refuses the login; every other claim is optional and becomes undefined when absent or unusable.
import { VneidLoginError } from './vneid-error.js';

/** The claims the national provider releases for scope `openid`, in its own (Vietnamese) names. */
export const vneidClaimNames = [
  'TechID',
  'SoDinhDanh',
  'HoVaTen',
  'NgayThangNamSinh',
  'GioiTinh',
  'SoDienThoai',
  'ThuDienTu',
  'ThuongTru',
  'NoiOHienNay',
  'LoaiTaiKhoan',
  'MaSoDoanhNghiep',
  'TenDoanhNghiep',
] as const;

export type NationalIdAccountType = 'citizen' | 'business';

export interface NationalIdIdentity {
  /** `sub`: the provider's subject for this client. */
  subject: string;
  /** `TechID`: kept because the national portal attributes synced dossiers with it. */
  techId: string | undefined;
  /** `SoDinhDanh`: the 12-digit personal identification number; the key accounts are matched on. */
  idNumber: string;
  /** `HoVaTen`, Unicode NFC so that the same name always compares equal. */
  fullName: string | undefined;
  /** `NgayThangNamSinh` (yyyyMMdd) as an ISO date `YYYY-MM-DD`. */
  birthDate: string | undefined;
  /** `GioiTinh`, as the provider sends it. */
  sex: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  /** `ThuongTru`: the permanent residence address. */
  permanentAddress: string | undefined;
  /** `NoiOHienNay`: where the person lives now. */
  currentAddress: string | undefined;
  /** `LoaiTaiKhoan`: 1 a citizen, 2 a business (then taxCode and businessName are expected). */
  accountType: NationalIdAccountType | undefined;
  /** `MaSoDoanhNghiep`: the enterprise code (tax code). */
  taxCode: string | undefined;
  /** `TenDoanhNghiep`. */
  businessName: string | undefined;
}

const ID_NUMBER = /^\d{12}$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  // Providers have been seen sending decomposed (NFD) Vietnamese; NFC keeps one spelling per name.
  const cleaned = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

/** yyyyMMdd → YYYY-MM-DD, only for a real calendar date. */
export function parseCompactDate(value: unknown): string | undefined {
  const raw = text(value);
  const match = raw ? COMPACT_DATE.exec(raw) : null;
  if (!match) return undefined;
  const { 1: y = '', 2: m = '', 3: d = '' } = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const valid =
    date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
  return valid && Number(y) >= 1900 ? `${y}-${m}-${d}` : undefined;
}

function accountType(value: unknown): NationalIdAccountType | undefined {
  switch (text(value)) {
    case '1':
      return 'citizen';
    case '2':
      return 'business';
    default:
      return undefined;
  }
}

/**
 * Throws VneidLoginError('claims_invalid') without echoing any value: the values are personal data.
 */
export function mapVneidClaims(claims: Readonly<Record<string, unknown>>): NationalIdIdentity {
  const subject = text(claims.sub);
  if (!subject) throw new VneidLoginError('claims_invalid', 'sub_missing');
  const idNumber = text(claims.SoDinhDanh);
  if (!idNumber) throw new VneidLoginError('claims_invalid', 'SoDinhDanh_missing');
  // A number claim would already have lost the leading zero of most province codes (001 Hà Nội…),
  // so only the exact 12 digits are accepted, never padded.
  if (!ID_NUMBER.test(idNumber)) throw new VneidLoginError('claims_invalid', 'SoDinhDanh_malformed');
  return {
    subject,
    techId: text(claims.TechID),
    idNumber,
    fullName: text(claims.HoVaTen),
    birthDate: parseCompactDate(claims.NgayThangNamSinh),
    sex: text(claims.GioiTinh),
    phone: text(claims.SoDienThoai),
    email: text(claims.ThuDienTu),
    permanentAddress: text(claims.ThuongTru),
    currentAddress: text(claims.NoiOHienNay),
    accountType: accountType(claims.LoaiTaiKhoan),
    taxCode: text(claims.MaSoDoanhNghiep),
    businessName: text(claims.TenDoanhNghiep),
  };
}
