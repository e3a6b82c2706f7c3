// Builds the demo data set (data/demo/*.json and data/demo/README.md) from the gathered public data in
// ../shared/data/catalog-sources.json. Run: npx tsx scripts/build-demo-data.ts
//
// Rules this generator keeps:
// - every record carries its provenance (sources, confidence, notes) from the source file; nothing is
//   dropped and no source is invented; facts the generator adds itself are labelled as such;
// - output is deterministic (fixed ordering, no timestamps), pretty-printed JSON with a trailing newline;
// - the output is validated before anything is written; any inconsistency throws with a clear message.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// ajv and ajv-formats are CommonJS: under NodeNext the default import is module.exports, whose `default`
// property is the class (resp. the plugin) both at run time and in the type declarations.
const Ajv2020Class = Ajv2020.default;
const addFormatsPlugin = addFormats.default;

// ---------------------------------------------------------------------------------------------------------
// Source types (the shape of catalog-sources.json) and a few runtime checks on it
// ---------------------------------------------------------------------------------------------------------

type Confidence = 'high' | 'medium' | 'low';
type SourceLevel = 'commune' | 'district' | 'province';

interface SourceFee {
  name: string;
  amountVnd: number;
  note?: string;
}
interface SourceDocument {
  name: string;
  form: 'original' | 'copy' | 'either';
  quantity: number;
  note?: string;
}
interface SourceProcedure {
  code: string | null;
  name: string;
  nameEn: string;
  field: string;
  fieldGroup: string;
  level: SourceLevel;
  processingDays: number | null;
  processingNote: string | null;
  fees: SourceFee[] | null;
  feesNote?: string | null;
  documents: SourceDocument[];
  legalBasis: string[];
  onlineLevel: 'full' | 'partial' | null;
  resultType: string | null;
  sources: string[];
  confidence: Confidence;
  note?: string | null;
}
interface SourceCommune {
  gsoCode: string;
  name: string;
  type: string;
}
interface SourceDistrict {
  gsoCode: string;
  name: string;
  type: string;
  agencyCode: string | null;
  communes: SourceCommune[];
}
interface SourceDepartment {
  name: string;
  agencyCode: string | null;
  verified: boolean;
  sourceNote: string;
  website?: string;
  sources?: string[];
}
interface SourceNewCommune {
  gsoCode: string;
  name: string;
  type: string;
  formedFrom: string;
  codeInheritedFromFormerProvince: string;
}
interface SourceData {
  meta: { compiledOn: string; purpose: string; procedureCount: number; fieldGroups: Record<string, string> };
  procedures: SourceProcedure[];
  province: {
    before_2025_07_01: {
      name: string;
      gsoCode: string;
      provincialPeoplesCommittee: {
        name: string;
        agencyCode: string;
        agencyCodeNote: string;
        sources: string[];
        capital: string;
        capitalNote: string;
      };
      systemsSeenInOpenCPSCode: string[];
      departments: SourceDepartment[];
      districtLevelUnits: SourceDistrict[];
      districtCount: number;
      communeCount: number;
      sources: string[];
    };
    after_2025_07_01: {
      name: string;
      gsoCode: string;
      formedFrom: string;
      government: string;
      seat: string;
      seatNote: string;
      communeLevelArrangement: string;
      communeLevelUnits: SourceNewCommune[];
      communeLevelCount: number;
      sources: string[];
    };
  };
  holidays: unknown;
  notes: string[];
}

class DemoDataError extends Error {
  override name = 'DemoDataError';
}

function fail(message: string): never {
  throw new DemoDataError(message);
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

function checkSource(data: SourceData): void {
  check(data && typeof data === 'object', 'catalog-sources.json: not a JSON object');
  check(data.meta && data.meta.fieldGroups, 'catalog-sources.json: meta.fieldGroups missing');
  check(Array.isArray(data.procedures), 'catalog-sources.json: procedures is not an array');
  check(
    data.procedures.length === data.meta.procedureCount,
    `catalog-sources.json: meta.procedureCount is ${data.meta.procedureCount} but ${data.procedures.length} procedures are listed`,
  );
  data.procedures.forEach((p, i) => {
    const where = `procedures[${i}] (${p.code ?? p.name})`;
    check(typeof p.name === 'string' && p.name.length > 0, `${where}: name missing`);
    check(typeof p.nameEn === 'string' && p.nameEn.length > 0, `${where}: nameEn missing`);
    check(p.fieldGroup in data.meta.fieldGroups, `${where}: unknown fieldGroup ${p.fieldGroup}`);
    check(['commune', 'district', 'province'].includes(p.level), `${where}: unknown level ${p.level}`);
    check(['high', 'medium', 'low'].includes(p.confidence), `${where}: unknown confidence ${p.confidence}`);
    check(Array.isArray(p.sources), `${where}: sources is not an array`);
    check(Array.isArray(p.documents) && p.documents.length > 0, `${where}: no documents`);
    check(Array.isArray(p.legalBasis), `${where}: legalBasis is not an array`);
    check(p.fees === null || Array.isArray(p.fees), `${where}: fees must be null or an array`);
    check(p.onlineLevel === null || p.onlineLevel === 'full' || p.onlineLevel === 'partial', `${where}: onlineLevel ${String(p.onlineLevel)}`);
    check(
      p.processingDays === null || (Number.isInteger(p.processingDays) && p.processingDays >= 0),
      `${where}: processingDays must be null or a non-negative integer`,
    );
    for (const d of p.documents) {
      check(['original', 'copy', 'either'].includes(d.form), `${where}: document "${d.name}" has unknown form ${d.form}`);
    }
  });
  const before = data.province.before_2025_07_01;
  const after = data.province.after_2025_07_01;
  check(before.districtLevelUnits.length === before.districtCount, 'province.before: districtCount does not match the list');
  const communeTotal = before.districtLevelUnits.reduce((n, d) => n + d.communes.length, 0);
  check(communeTotal === before.communeCount, `province.before: communeCount ${before.communeCount} but ${communeTotal} listed`);
  check(after.communeLevelUnits.length === after.communeLevelCount, 'province.after: communeLevelCount does not match the list');
}

// ---------------------------------------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------------------------------------

interface Provenance {
  sources: string[];
  confidence: Confidence;
  note?: string;
  [key: string]: unknown;
}

interface FieldOut {
  code: string;
  name: string;
  nameEn: string;
  sortOrder: number;
}

type UnitLevel = 'province' | 'district' | 'commune';
interface AdminUnitOut {
  key: string;
  gsoCode: string;
  name: string;
  unitType: string;
  level: UnitLevel;
  parentKey: string | null;
  validFrom: string;
  validTo: string | null;
  provenance: Provenance;
}
interface AdminSuccessionOut {
  predecessorKey: string;
  successorKey: string;
  effectiveOn: string;
  note?: string;
}

type AgencyKind = 'peoples_committee' | 'department' | 'office';
interface AgencyOut {
  code: string;
  codeVerified: boolean;
  name: string;
  nameEn?: string;
  shortName?: string;
  level: UnitLevel;
  kind: AgencyKind;
  parentCode: string | null;
  adminUnitKey: string | null;
  address?: string;
  phone?: string;
  website?: string;
  validFrom: string;
  validTo: string | null;
  provenance: Provenance;
}
interface AgencySuccessionOut {
  predecessorCode: string;
  successorCode: string;
  effectiveOn: string;
  note?: string;
}

type JsonSchema = { [key: string]: unknown };

interface ProcedureOut {
  code: string;
  status: 'published';
  name: string;
  nameEn: string;
  fieldCode: string;
  levelOfGovernment: SourceLevel;
  onlineLevelScheme: '2022';
  onlineLevel: 'partial' | 'full' | 'info';
  processingDays: number | null;
  processingNote: string | null;
  fees: { name: string; amountVnd: number; note?: string }[];
  feesNote: string | null;
  documents: {
    name: string;
    form: 'original' | 'copy' | 'original-or-copy' | 'present';
    quantity: number;
    note?: string;
    template?: string;
  }[];
  resultType: string | null;
  legalBasis: string[];
  agencyCodes: string[];
  formSchema: JsonSchema;
  provenance: Provenance;
}

// ---------------------------------------------------------------------------------------------------------
// Constants and small helpers
// ---------------------------------------------------------------------------------------------------------

const MERGER_DATE = '2025-07-01';
const LAST_DAY_BEFORE_MERGER = '2025-06-30';
/** Lower bound used for units and agencies whose start date the source does not give. */
const LOWER_BOUND = '2008-01-01';
const LOWER_BOUND_NOTE =
  'validFrom 2008-01-01 là cận dưới quy ước của dữ liệu demo, không phải ngày thành lập (nguồn không cho ngày thành lập).';
const ILLUSTRATIVE_CODE_NOTE = 'mã minh họa, chưa đối chiếu nguồn';
const AGENCY_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
/** X1X2 of Đồng Tháp in the electronic identifiers seen in the source (000.00.00.H20). */
const PROVINCE_SUFFIX = 'H20';

const FIELD_NAMES_EN: Record<string, string> = {
  ho_tich: 'Civil status',
  chung_thuc: 'Certification and attestation',
  ly_lich_tu_phap: 'Judicial records',
  dang_ky_kinh_doanh: 'Business registration',
  dat_dai: 'Land',
  xay_dung: 'Construction',
  giao_thong: 'Transport',
  lao_dong: 'Labour and employment',
  giao_duc: 'Education',
  y_te: 'Health',
  van_hoa: 'Culture',
  thue_tai_chinh: 'Tax and finance',
  bao_tro_xa_hoi: 'Social protection',
  tu_phap_khac: 'Other justice matters',
  nong_nghiep: 'Agriculture',
};

function collapseSpaces(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** First letter to lower case: "Thành phố Cao Lãnh" → "thành phố Cao Lãnh" (used inside longer names). */
function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);
}

const OLD_STYLE_TONES: Array<[RegExp, string]> = [
  [/oà/g, 'òa'], [/oá/g, 'óa'], [/oả/g, 'ỏa'], [/oã/g, 'õa'], [/oạ/g, 'ọa'],
  [/oè/g, 'òe'], [/oé/g, 'óe'], [/oẻ/g, 'ỏe'], [/oẽ/g, 'õe'], [/oẹ/g, 'ọe'],
  [/uỳ/g, 'ùy'], [/uý/g, 'úy'], [/uỷ/g, 'ủy'], [/uỹ/g, 'ũy'], [/uỵ/g, 'ụy'],
];
const QUI_TO_QUY: Record<string, string> = { i: 'y', í: 'ý', ì: 'ỳ', ỉ: 'ỷ', ĩ: 'ỹ', ị: 'ỵ' };

/**
 * Key for matching place names written in different spellings of the same name: case, spacing, old/new
 * tone-mark placement ("Hoà"/"Hòa") and final i/y after "qu" ("Mỹ Quí"/"Mỹ Quý"). Diacritics are kept:
 * "Bình Tân" and "Bình Tấn" are different places.
 */
function placeKey(name: string): string {
  let s = collapseSpaces(name).toLocaleLowerCase('vi');
  s = s.replace(/qu([iíìỉĩị])(?=\s|$)/g, (_m, v: string) => `qu${QUI_TO_QUY[v] ?? v}`);
  for (const [re, to] of OLD_STYLE_TONES) s = s.replace(re, to);
  return s;
}

function byGso<T extends { gsoCode: string }>(a: T, b: T): number {
  return Number(a.gsoCode) - Number(b.gsoCode) || a.gsoCode.localeCompare(b.gsoCode);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------------------

function buildFields(src: SourceData): FieldOut[] {
  return Object.entries(src.meta.fieldGroups).map(([code, name], i) => {
    const nameEn = FIELD_NAMES_EN[code] ?? fail(`No English name for field group ${code}: add it to FIELD_NAMES_EN`);
    return { code, name, nameEn, sortOrder: i + 1 };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Administrative units and their succession across 1/7/2025
// ---------------------------------------------------------------------------------------------------------

interface OldCommuneRef {
  key: string;
  gsoCode: string;
  name: string;
  districtKey: string;
  districtName: string;
  districtGso: string;
}

interface FormedFromItem {
  newKey: string;
  newName: string;
  newGso: string;
  raw: string;
  baseName: string;
  districtQualifier: string | null;
  remainder: boolean;
  status: 'matched' | 'external' | 'unresolved' | 'pending';
  method?: 'qualified' | 'unique-name' | 'exclusion' | 'code-anchor';
  candidates: OldCommuneRef[];
  match?: OldCommuneRef;
  reason?: string;
}

interface MatchReport {
  itemsTotal: number;
  matched: number;
  matchedByMethod: Record<string, number>;
  external: number;
  unresolved: FormedFromItem[];
  oldCommunesTotal: number;
  oldCommunesWithSuccessor: number;
  oldCommunesWithoutSuccessor: OldCommuneRef[];
  oldCommunesSplit: Array<{ old: OldCommuneRef; successors: string[] }>;
  newCommunesTotal: number;
  newCommunesWithPredecessorInData: number;
  newCommunesWithoutPredecessorInData: number;
  tgNameCollisions: string[];
  normalizedSpellings: string[];
}

/** Splits "A (x), B, C (y) (z)" at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map(collapseSpaces).filter((p) => p.length > 0);
}

function parseFormedFromItem(raw: string): { baseName: string; district: string | null; remainder: boolean } {
  const m = /^(.*?)((?:\s*\([^()]*\))*)$/.exec(raw);
  if (!m) fail(`formedFrom: cannot parse "${raw}"`);
  const baseName = collapseSpaces(m[1] ?? '');
  let district: string | null = null;
  let remainder = false;
  for (const g of (m[2] ?? '').matchAll(/\(([^()]*)\)/g)) {
    const inner = collapseSpaces(g[1] ?? '');
    if (/^(thành phố|huyện|thị xã|quận)\s+\S/i.test(inner)) {
      if (district) fail(`formedFrom: two district qualifiers in "${raw}"`);
      district = inner;
    } else if (/^phần còn lại/i.test(inner)) remainder = true;
    else fail(`formedFrom: unknown qualifier "(${inner})" in "${raw}" — teach parseFormedFromItem about it`);
  }
  check(baseName.length > 0, `formedFrom: empty unit name in "${raw}"`);
  return { baseName, district, remainder };
}

interface AdminUnitsResult {
  units: AdminUnitOut[];
  successions: AdminSuccessionOut[];
  report: MatchReport;
  oldProvinceKey: string;
  newProvinceKey: string;
  oldDistricts: Array<{ key: string; src: SourceDistrict }>;
  oldCommunes: OldCommuneRef[];
  newCommunes: Array<{ key: string; src: SourceNewCommune }>;
}

function buildAdminUnits(src: SourceData): AdminUnitsResult {
  const before = src.province.before_2025_07_01;
  const after = src.province.after_2025_07_01;
  const units: AdminUnitOut[] = [];

  // --- before 1/7/2025: province → 12 district-level units → 141 communes ---
  const oldProvinceKey = before.gsoCode;
  const oldNote = `${LOWER_BOUND_NOTE} Tên, loại và mã đơn vị theo dữ liệu dvhcvn (data_date 01/03/2025); các thay đổi trước đó (ví dụ nâng cấp thị xã lên thành phố) không được mô hình hóa.`;
  units.push({
    key: oldProvinceKey,
    gsoCode: before.gsoCode,
    name: before.name,
    unitType: 'Tỉnh',
    level: 'province',
    parentKey: null,
    validFrom: LOWER_BOUND,
    validTo: LAST_DAY_BEFORE_MERGER,
    provenance: {
      sources: [...before.sources],
      confidence: 'high',
      note: `${oldNote} Từ ${MERGER_DATE} hợp nhất vào tỉnh Đồng Tháp mới (mã ${after.gsoCode}).`,
      districtCount: before.districtCount,
      communeCount: before.communeCount,
      capital: before.provincialPeoplesCommittee.capital,
      capitalNote: before.provincialPeoplesCommittee.capitalNote,
    },
  });

  const oldDistricts: Array<{ key: string; src: SourceDistrict }> = [];
  const oldCommunes: OldCommuneRef[] = [];
  for (const d of [...before.districtLevelUnits].sort(byGso)) {
    const dKey = `${oldProvinceKey}/${d.gsoCode}`;
    oldDistricts.push({ key: dKey, src: d });
    units.push({
      key: dKey,
      gsoCode: d.gsoCode,
      name: collapseSpaces(d.name),
      unitType: d.type,
      level: 'district',
      parentKey: oldProvinceKey,
      validFrom: LOWER_BOUND,
      validTo: LAST_DAY_BEFORE_MERGER,
      provenance: {
        sources: [...before.sources],
        confidence: 'high',
        note: `${oldNote} Cấp huyện bị bỏ từ ${MERGER_DATE}: không có đơn vị kế thừa cùng cấp; các xã, phường của đơn vị này có quan hệ kế thừa riêng.`,
      },
    });
    for (const c of [...d.communes].sort(byGso)) {
      const cleanName = collapseSpaces(c.name);
      const cKey = `${dKey}/${c.gsoCode}`;
      oldCommunes.push({ key: cKey, gsoCode: c.gsoCode, name: cleanName, districtKey: dKey, districtName: collapseSpaces(d.name), districtGso: d.gsoCode });
      units.push({
        key: cKey,
        gsoCode: c.gsoCode,
        name: cleanName,
        unitType: c.type,
        level: 'commune',
        parentKey: dKey,
        validFrom: LOWER_BOUND,
        validTo: LAST_DAY_BEFORE_MERGER,
        provenance: {
          sources: [...before.sources],
          confidence: 'high',
          note: cleanName === c.name ? oldNote : `${oldNote} Tên trong nguồn có khoảng trắng thừa ("${c.name}"), đã chuẩn hóa.`,
        },
      });
    }
  }

  // --- from 1/7/2025: province → 102 communes (no district level) ---
  const newProvinceKey = after.gsoCode;
  units.push({
    key: newProvinceKey,
    gsoCode: after.gsoCode,
    name: after.name,
    unitType: 'Tỉnh',
    level: 'province',
    parentKey: null,
    validFrom: MERGER_DATE,
    validTo: null,
    provenance: {
      sources: [...after.sources],
      confidence: 'high',
      formedFrom: after.formedFrom,
      government: after.government,
      communeLevelArrangement: after.communeLevelArrangement,
      seat: after.seat,
      seatNote: after.seatNote,
    },
  });
  const newCommunes: Array<{ key: string; src: SourceNewCommune }> = [];
  for (const c of [...after.communeLevelUnits].sort(byGso)) {
    const key = `${newProvinceKey}/${c.gsoCode}`;
    newCommunes.push({ key, src: c });
    units.push({
      key,
      gsoCode: c.gsoCode,
      name: collapseSpaces(c.name),
      unitType: c.type,
      level: 'commune',
      parentKey: newProvinceKey,
      validFrom: MERGER_DATE,
      validTo: null,
      provenance: {
        sources: [...after.sources],
        confidence: 'medium',
        note: `Danh sách, mã và thành phần hợp nhất theo các nguồn trong sources (chủ yếu bản thu thập sapnhap.bando.com.vn trong kho thanglequoc); số lượng ${after.communeLevelCount} đơn vị khớp communeLevelArrangement của nguồn (${after.communeLevelArrangement}). Chưa đối chiếu trực tiếp văn bản nghị quyết; mức tin cậy do bộ sinh dữ liệu đánh giá.`,
        formedFrom: c.formedFrom,
        codeInheritedFromFormerProvince: c.codeInheritedFromFormerProvince,
      },
    });
  }

  const { successions, report } = matchSuccessions(oldCommunes, oldDistricts, newCommunes);
  successions.unshift({
    predecessorKey: oldProvinceKey,
    successorKey: newProvinceKey,
    effectiveOn: MERGER_DATE,
    note: `Tỉnh mới hình thành từ ${after.formedFrom} (nguồn: province.after_2025_07_01.formedFrom).`,
  });
  return { units, successions, report, oldProvinceKey, newProvinceKey, oldDistricts, oldCommunes, newCommunes };
}

/**
 * Matches each name in a new commune's `formedFrom` to an old Đồng Tháp commune, and only when the match is
 * unambiguous:
 *  1. "qualified": the text names the old district ("Xã Tân Hội (thành phố Hồng Ngự)") → that district;
 *     a district outside Đồng Tháp (Mỹ Tho, Cái Bè...) → not in our data;
 *  2. an unqualified name inside a new commune whose code comes from former Tiền Giang names a Tiền Giang
 *     unit (the arrangement of NQ 1663 lists each former province's units under the new unit that keeps one
 *     of their codes) → not in our data; the check below proves no Đồng Tháp commune is left without a
 *     successor because of this rule;
 *  3. "unique-name": the name (spelling-normalised, see placeKey) belongs to exactly one old commune;
 *  4. "exclusion": several old communes share the name, but all except one are already named, with their
 *     district, in another new commune's list;
 *  5. "code-anchor": several still share the name, and exactly one lies in the old district of the unit
 *     whose GSO code the new commune keeps (e.g. Phường Cao Lãnh keeps 29869 = Phường 1, TP Cao Lãnh).
 * Anything else stays unresolved and gets no succession.
 */
function matchSuccessions(
  oldCommunes: OldCommuneRef[],
  oldDistricts: Array<{ key: string; src: SourceDistrict }>,
  newCommunes: Array<{ key: string; src: SourceNewCommune }>,
): { successions: AdminSuccessionOut[]; report: MatchReport } {
  const byNameKey = new Map<string, OldCommuneRef[]>();
  for (const c of oldCommunes) {
    const k = placeKey(c.name);
    byNameKey.set(k, [...(byNameKey.get(k) ?? []), c]);
  }
  const districtByKey = new Map(oldDistricts.map((d) => [placeKey(d.src.name), d]));
  const oldByGso = new Map(oldCommunes.map((c) => [c.gsoCode, c]));

  const items: FormedFromItem[] = [];
  const tgNameCollisions: string[] = [];
  for (const { key, src } of newCommunes) {
    const scope = src.codeInheritedFromFormerProvince;
    check(
      scope === 'Đồng Tháp (cũ)' || scope === 'Tiền Giang (cũ)',
      `${src.name}: unknown codeInheritedFromFormerProvince "${scope}"`,
    );
    for (const raw of splitTopLevel(src.formedFrom)) {
      const parsed = parseFormedFromItem(raw);
      const item: FormedFromItem = {
        newKey: key,
        newName: src.name,
        newGso: src.gsoCode,
        raw,
        baseName: parsed.baseName,
        districtQualifier: parsed.district,
        remainder: parsed.remainder,
        status: 'pending',
        candidates: [],
      };
      const sameName = byNameKey.get(placeKey(parsed.baseName)) ?? [];
      if (parsed.district) {
        const district = districtByKey.get(placeKey(parsed.district));
        if (!district) {
          item.status = 'external';
          item.reason = `${parsed.district} không thuộc tỉnh Đồng Tháp cũ`;
        } else {
          item.candidates = sameName.filter((c) => c.districtKey === district.key);
          if (item.candidates.length === 1) {
            item.status = 'matched';
            item.method = 'qualified';
            item.match = item.candidates[0];
          } else {
            item.status = 'unresolved';
            item.reason = `${item.candidates.length} đơn vị tên "${parsed.baseName}" trong ${parsed.district}`;
          }
        }
      } else if (scope === 'Tiền Giang (cũ)') {
        item.status = 'external';
        item.reason = 'đơn vị của tỉnh Tiền Giang cũ (không có trong dữ liệu)';
        if (sameName.length > 0) tgNameCollisions.push(`"${raw}" trong formedFrom của ${src.name} (cùng tên với ${sameName.map((c) => `${c.name}, ${c.districtName}`).join(' và ')})`);
      } else {
        item.candidates = sameName;
        if (sameName.length === 0) {
          item.status = 'unresolved';
          item.reason = 'không tìm thấy tên trong tỉnh Đồng Tháp cũ';
        } else if (sameName.length === 1) {
          item.status = 'matched';
          item.method = 'unique-name';
          item.match = sameName[0];
        }
      }
      items.push(item);
    }
  }

  // Passes 4 and 5 until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const item of items.filter((i) => i.status === 'pending')) {
      const claimedElsewhere = new Set(
        items.filter((o) => o.status === 'matched' && !o.remainder && o.newKey !== item.newKey).map((o) => o.match!.key),
      );
      const left = item.candidates.filter((c) => !claimedElsewhere.has(c.key));
      if (left.length === 1) {
        item.status = 'matched';
        item.method = 'exclusion';
        item.match = left[0];
        item.reason = `trùng tên với ${item.candidates.filter((c) => c !== left[0]).map((c) => `${c.name} (${c.districtName})`).join(', ')} — đơn vị đó đã có trong formedFrom của xã/phường khác`;
        changed = true;
        continue;
      }
      if (left.length === 0) {
        item.status = 'unresolved';
        item.reason = 'mọi đơn vị cùng tên đã được xã/phường khác nhận';
        changed = true;
        continue;
      }
      const anchor = oldByGso.get(item.newGso);
      if (anchor) {
        const inAnchorDistrict = left.filter((c) => c.districtKey === anchor.districtKey);
        if (inAnchorDistrict.length === 1) {
          item.status = 'matched';
          item.method = 'code-anchor';
          item.match = inAnchorDistrict[0];
          item.reason = `trùng tên với ${left.filter((c) => c !== inAnchorDistrict[0]).map((c) => `${c.name} (${c.districtName})`).join(', ')}; chọn đơn vị thuộc ${anchor.districtName}, nơi có ${anchor.name} (mã ${anchor.gsoCode}) mà ${item.newName} giữ mã`;
          changed = true;
        }
      }
    }
  }
  for (const item of items.filter((i) => i.status === 'pending')) {
    item.status = 'unresolved';
    item.reason = `không phân biệt được giữa ${item.candidates.map((c) => `${c.name} (${c.districtName})`).join(', ')}`;
  }

  // Consistency: one old commune goes wholly to one new commune, unless the text says it was split.
  const matched = items.filter((i) => i.status === 'matched');
  const claimsByOld = new Map<string, FormedFromItem[]>();
  for (const i of matched) claimsByOld.set(i.match!.key, [...(claimsByOld.get(i.match!.key) ?? []), i]);
  for (const [oldKey, claims] of claimsByOld) {
    const whole = claims.filter((c) => !c.remainder);
    check(whole.length <= 1, `Succession conflict: ${oldKey} is claimed wholly by ${whole.map((c) => c.newName).join(' and ')}`);
    if (claims.some((c) => c.remainder)) {
      check(whole.length === 1, `Succession: ${oldKey} is only named as a remainder ("phần còn lại") — the other part is missing`);
    }
  }
  // Consistency: a new commune that keeps an old Đồng Tháp code lists that old commune.
  for (const { key, src } of newCommunes) {
    const anchor = oldByGso.get(src.gsoCode);
    if (anchor && src.codeInheritedFromFormerProvince === 'Đồng Tháp (cũ)') {
      check(
        matched.some((i) => i.newKey === key && i.match!.key === anchor.key),
        `Succession: ${src.name} keeps code ${src.gsoCode} of ${anchor.name} (${anchor.districtName}) but its formedFrom did not match it`,
      );
    }
  }

  const normalizedSpellings: string[] = [];
  const successions: AdminSuccessionOut[] = matched.map((i) => {
    const m = i.match!;
    const parts: string[] = [`formedFrom của ${i.newName}: "${i.raw}"`];
    if (i.method === 'qualified') parts.push('khớp tên và đơn vị cấp huyện nêu trong văn bản');
    if (i.method === 'unique-name') parts.push('tên duy nhất trong tỉnh Đồng Tháp cũ');
    if (i.reason) parts.push(i.reason);
    if (collapseSpaces(i.baseName) !== m.name) {
      parts.push(`khớp sau chuẩn hóa chính tả ("${i.baseName}" ~ "${m.name}")`);
      normalizedSpellings.push(`"${i.baseName}" ~ "${m.name}" (${m.districtName})`);
    }
    const claims = claimsByOld.get(m.key) ?? [];
    if (claims.length > 1) {
      const others = claims.filter((c) => c !== i).map((c) => c.newName);
      parts.push(
        i.remainder
          ? `đơn vị bị tách: phần còn lại về ${i.newName}, phần kia về ${others.join(', ')}`
          : `đơn vị bị tách: một phần về ${i.newName}, phần còn lại về ${others.join(', ')}`,
      );
    }
    return { predecessorKey: m.key, successorKey: i.newKey, effectiveOn: MERGER_DATE, note: `${parts.join('; ')}.` };
  });
  successions.sort((a, b) => compareStrings(a.predecessorKey, b.predecessorKey) || compareStrings(a.successorKey, b.successorKey));

  const withSuccessor = new Set(matched.map((i) => i.match!.key));
  const withPredecessor = new Set(matched.map((i) => i.newKey));
  const matchedByMethod: Record<string, number> = {};
  for (const i of matched) matchedByMethod[i.method!] = (matchedByMethod[i.method!] ?? 0) + 1;
  const report: MatchReport = {
    itemsTotal: items.length,
    matched: matched.length,
    matchedByMethod,
    external: items.filter((i) => i.status === 'external').length,
    unresolved: items.filter((i) => i.status === 'unresolved'),
    oldCommunesTotal: oldCommunes.length,
    oldCommunesWithSuccessor: withSuccessor.size,
    oldCommunesWithoutSuccessor: oldCommunes.filter((c) => !withSuccessor.has(c.key)),
    oldCommunesSplit: [...claimsByOld.entries()]
      .filter(([, claims]) => claims.length > 1)
      .map(([oldKey, claims]) => ({ old: oldCommunes.find((c) => c.key === oldKey)!, successors: claims.map((c) => c.newName) })),
    newCommunesTotal: newCommunes.length,
    newCommunesWithPredecessorInData: withPredecessor.size,
    newCommunesWithoutPredecessorInData: newCommunes.length - withPredecessor.size,
    tgNameCollisions,
    normalizedSpellings,
  };
  return { successions, report };
}

// ---------------------------------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------------------------------

interface DepartmentInfo {
  nameEn: string;
  shortName: string;
  kind: AgencyKind;
}

/** English names and short names, keyed by the source's department names (a new name in the source must be added here). */
const DEPARTMENT_INFO: Record<string, DepartmentInfo> = {
  'Văn phòng Ủy ban nhân dân tỉnh': { nameEn: "Office of the Đồng Tháp Provincial People's Committee", shortName: 'VP UBND tỉnh', kind: 'office' },
  'Sở Nội vụ tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Home Affairs', shortName: 'Sở Nội vụ', kind: 'department' },
  'Sở Tư pháp tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Justice', shortName: 'Sở Tư pháp', kind: 'department' },
  'Sở Kế hoạch và Đầu tư tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Planning and Investment', shortName: 'Sở KH&ĐT', kind: 'department' },
  'Sở Tài chính tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Finance', shortName: 'Sở Tài chính', kind: 'department' },
  'Sở Công Thương tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Industry and Trade', shortName: 'Sở Công Thương', kind: 'department' },
  'Sở Nông nghiệp và Phát triển nông thôn tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Agriculture and Rural Development', shortName: 'Sở NN&PTNT', kind: 'department' },
  'Sở Giao thông vận tải tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Transport', shortName: 'Sở GTVT', kind: 'department' },
  'Sở Xây dựng tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Construction', shortName: 'Sở Xây dựng', kind: 'department' },
  'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Natural Resources and Environment', shortName: 'Sở TN&MT', kind: 'department' },
  'Sở Thông tin và Truyền thông tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Information and Communications', shortName: 'Sở TT&TT', kind: 'department' },
  'Sở Lao động - Thương binh và Xã hội tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Labour, Invalids and Social Affairs', shortName: 'Sở LĐ-TB&XH', kind: 'department' },
  'Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Culture, Sports and Tourism', shortName: 'Sở VH-TT&DL', kind: 'department' },
  'Sở Khoa học và Công nghệ tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Science and Technology', shortName: 'Sở KH&CN', kind: 'department' },
  'Sở Giáo dục và Đào tạo tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Education and Training', shortName: 'Sở GD&ĐT', kind: 'department' },
  'Sở Y tế tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Health', shortName: 'Sở Y tế', kind: 'department' },
  'Thanh tra tỉnh': { nameEn: 'Đồng Tháp Provincial Inspectorate', shortName: 'Thanh tra tỉnh', kind: 'department' },
  'Sở Ngoại vụ tỉnh Đồng Tháp': { nameEn: 'Đồng Tháp Department of Foreign Affairs', shortName: 'Sở Ngoại vụ', kind: 'department' },
};

/**
 * Level-2 groups (Y1Y2) of the electronic identifier. The source verifies 14 (Sở TT&TT) and mentions 01 as an
 * ambiguous second code of the provincial committee; departments take 01–29, the pre-2025 district committees
 * 31–42, the post-2025 commune committees (directly under the province) 51–99.
 */
const DISTRICT_GROUP_START = 31;
const NEW_COMMUNE_GROUP_START = 51;
const NEW_COMMUNE_GROUP_END = 99;

/** The pre-2025 communes of Thành phố Cao Lãnh that get a committee (GSO codes). */
const OLD_CAO_LANH_COMMUNES = ['29869', '29881', '29884', '29887', '29888', '29892'];
const CAO_LANH_CITY_GSO = '866';
/**
 * Post-2025 communes that get a committee: the successors of the six above are added automatically; these
 * add a spread over the former districts of Đồng Tháp and four seats of former Tiền Giang.
 */
const EXTRA_NEW_COMMUNES = [
  '28261', // Phường Mỹ Tho (former Tiền Giang; the new provincial centre is in that area)
  '28306', // Phường Gò Công
  '28360', // Xã Cái Bè
  '28439', // Phường Cai Lậy
  '29905', // Phường Sa Đéc
  '29926', // Xã Tân Hồng
  '29955', // Phường Hồng Ngự
  '29971', // Xã Thường Phước
  '30001', // Xã Tràm Chim
  '30037', // Xã Tháp Mười
  '30076', // Xã Mỹ Thọ
  '30130', // Xã Thanh Bình
  '30169', // Xã Lấp Vò
  '30226', // Xã Lai Vung
  '30244', // Xã Phú Hựu
];

const UNIT_TYPE_EN: Record<string, string> = {
  'Thành phố': 'City',
  Huyện: 'District',
  'Thị xã': 'Town',
  Phường: 'Ward',
  Xã: 'Commune',
  'Thị trấn': 'Township',
};

function englishUnitName(name: string, unitType: string): string {
  const typeEn = UNIT_TYPE_EN[unitType] ?? fail(`No English name for unit type ${unitType}`);
  check(name.startsWith(`${unitType} `), `Unit "${name}" does not start with its type "${unitType}"`);
  const base = name.slice(unitType.length + 1);
  return /^\d+$/.test(base) ? `${typeEn} ${base}` : `${base} ${typeEn}`;
}

function agencyCode(level2: number, level3 = 0, level4 = 0): string {
  check(level2 >= 0 && level2 <= 99 && level3 >= 0 && level3 <= 99 && level4 >= 0 && level4 <= 999, 'agency code group out of range');
  return `${String(level4).padStart(3, '0')}.${String(level3).padStart(2, '0')}.${String(level2).padStart(2, '0')}.${PROVINCE_SUFFIX}`;
}

interface AgenciesResult {
  agencies: AgencyOut[];
  successions: AgencySuccessionOut[];
  provinceCommitteeCode: string;
  departmentCodeByName: Map<string, string>;
  currentCommuneCommitteeCodes: string[];
}

function buildAgencies(src: SourceData, au: AdminUnitsResult): AgenciesResult {
  const before = src.province.before_2025_07_01;
  const ppc = before.provincialPeoplesCommittee;
  const agencies: AgencyOut[] = [];

  // --- provincial People's Committee (valid across the merger) ---
  check(AGENCY_CODE_RE.test(ppc.agencyCode) && ppc.agencyCode === agencyCode(0), `Provincial committee code ${ppc.agencyCode} is not 000.00.00.${PROVINCE_SUFFIX}`);
  const provinceCommitteeCode = ppc.agencyCode;
  agencies.push({
    code: provinceCommitteeCode,
    codeVerified: true,
    name: ppc.name,
    nameEn: "Đồng Tháp Provincial People's Committee",
    shortName: 'UBND tỉnh Đồng Tháp',
    level: 'province',
    kind: 'peoples_committee',
    parentCode: null,
    adminUnitKey: au.newProvinceKey,
    validFrom: LOWER_BOUND,
    validTo: null,
    provenance: {
      sources: [...ppc.sources],
      confidence: 'high',
      note: `${LOWER_BOUND_NOTE} Dữ liệu demo coi UBND tỉnh là liên tục qua sáp nhập 01/7/2025; adminUnitKey trỏ tới tỉnh hiện hành (${au.newProvinceKey}), trước 01/7/2025 địa bàn là đơn vị ${au.oldProvinceKey} (xem successions của admin-units). Nguồn không tìm thấy mã định danh mới của các cơ quan tỉnh Đồng Tháp sau sáp nhập, nên mã cũ được giữ.`,
      agencyCodeNote: ppc.agencyCodeNote,
      systemsSeenInOpenCPSCode: [...before.systemsSeenInOpenCPSCode],
    },
  });

  // --- departments (names as in the source) ---
  const departmentCodeByName = new Map<string, string>();
  const verifiedGroups = new Set<number>();
  for (const d of before.departments) {
    if (d.agencyCode) {
      check(AGENCY_CODE_RE.test(d.agencyCode), `Department ${d.name}: source code ${d.agencyCode} is malformed`);
      verifiedGroups.add(Number(d.agencyCode.split('.')[2]));
    }
  }
  // 01 is seen in the source but its owner is ambiguous (see agencyCodeNote): used for the Office, unverified.
  const AMBIGUOUS_GROUP = 1;
  let nextGroup = 2;
  const takeGroup = (): number => {
    while (verifiedGroups.has(nextGroup) || nextGroup === AMBIGUOUS_GROUP) nextGroup++;
    check(nextGroup < DISTRICT_GROUP_START, 'Too many departments for the level-2 range 01–30');
    return nextGroup++;
  };
  for (const d of before.departments) {
    const info = DEPARTMENT_INFO[d.name] ?? fail(`Department "${d.name}" is not in DEPARTMENT_INFO: add its English and short name`);
    let code: string;
    let codeVerified: boolean;
    let codeNote: string | undefined;
    if (d.agencyCode) {
      code = d.agencyCode;
      codeVerified = true;
    } else if (info.kind === 'office') {
      code = agencyCode(AMBIGUOUS_GROUP);
      codeVerified = false;
      codeNote = `${ILLUSTRATIVE_CODE_NOTE}: ${code} có xuất hiện trong nguồn nhưng gắn nhãn UBND tỉnh, không rõ là UBND hay Văn phòng UBND tỉnh (xem agencyCodeNote của UBND tỉnh); gán cho Văn phòng UBND tỉnh để minh họa.`;
    } else {
      code = agencyCode(takeGroup());
      codeVerified = false;
      codeNote = ILLUSTRATIVE_CODE_NOTE;
    }
    departmentCodeByName.set(d.name, code);
    const notes = [
      ...(codeNote ? [codeNote.endsWith('.') ? codeNote : `${codeNote}.`] : []),
      LOWER_BOUND_NOTE,
      'Tên giữ theo nguồn (cơ cấu sở trước đợt sắp xếp năm 2025); nguồn không cho tên sở sau 01/7/2025, nên dữ liệu demo để validTo = null và adminUnitKey trỏ tới tỉnh hiện hành.',
    ];
    agencies.push({
      code,
      codeVerified,
      name: d.name,
      nameEn: info.nameEn,
      shortName: info.shortName,
      level: 'province',
      kind: info.kind,
      parentCode: provinceCommitteeCode,
      adminUnitKey: au.newProvinceKey,
      ...(d.website ? { website: d.website } : {}),
      validFrom: LOWER_BOUND,
      validTo: null,
      provenance: {
        sources: [...(d.sources ?? [])],
        confidence: d.verified ? 'high' : 'medium',
        note: notes.join(' '),
        verified: d.verified,
        sourceNote: d.sourceNote,
      },
    });
  }

  // --- People's Committees of the 12 pre-2025 district-level units ---
  const districtCommitteeCode = new Map<string, string>();
  au.oldDistricts.forEach(({ key, src: d }, i) => {
    const code = agencyCode(DISTRICT_GROUP_START + i);
    districtCommitteeCode.set(d.gsoCode, code);
    const name = collapseSpaces(d.name);
    agencies.push({
      code,
      codeVerified: false,
      name: `Ủy ban nhân dân ${lowerFirst(name)}`,
      nameEn: `People's Committee of ${englishUnitName(name, d.type)}`,
      shortName: `UBND ${lowerFirst(name)}`,
      level: 'district',
      kind: 'peoples_committee',
      parentCode: provinceCommitteeCode,
      adminUnitKey: key,
      validFrom: LOWER_BOUND,
      validTo: LAST_DAY_BEFORE_MERGER,
      provenance: {
        sources: [...before.sources],
        confidence: 'medium',
        note: `${ILLUSTRATIVE_CODE_NOTE}. Cơ quan suy ra từ đơn vị hành chính cấp huyện trong nguồn (nguồn ghi agencyCode = null). ${LOWER_BOUND_NOTE} Cấp huyện chấm dứt từ ${MERGER_DATE}; không ghi cơ quan kế thừa vì thẩm quyền được chia cho UBND cấp xã và các sở, không có một cơ quan kế thừa duy nhất.`,
      },
    });
  });

  // --- People's Committees of six pre-2025 communes of Thành phố Cao Lãnh ---
  const caoLanh = au.oldDistricts.find((d) => d.src.gsoCode === CAO_LANH_CITY_GSO) ?? fail('Thành phố Cao Lãnh (866) missing in the source');
  const caoLanhCommunes = au.oldCommunes.filter((c) => c.districtGso === CAO_LANH_CITY_GSO);
  const oldCommuneCommitteeByUnitKey = new Map<string, string>();
  for (const gso of OLD_CAO_LANH_COMMUNES) {
    const index = caoLanhCommunes.findIndex((c) => c.gsoCode === gso);
    check(index >= 0, `Commune ${gso} is not in Thành phố Cao Lãnh in the source`);
    const c = caoLanhCommunes[index]!;
    const srcCommune = caoLanh.src.communes.find((x) => x.gsoCode === gso)!;
    const code = agencyCode(DISTRICT_GROUP_START + au.oldDistricts.indexOf(caoLanh), index + 1);
    oldCommuneCommitteeByUnitKey.set(c.key, code);
    agencies.push({
      code,
      codeVerified: false,
      name: `Ủy ban nhân dân ${lowerFirst(c.name)}, ${lowerFirst(c.districtName)}`,
      nameEn: `People's Committee of ${englishUnitName(c.name, srcCommune.type)}, ${englishUnitName(c.districtName, caoLanh.src.type)}`,
      shortName: `UBND ${lowerFirst(c.name)}, TP Cao Lãnh`,
      level: 'commune',
      kind: 'peoples_committee',
      parentCode: districtCommitteeCode.get(CAO_LANH_CITY_GSO)!,
      adminUnitKey: c.key,
      validFrom: LOWER_BOUND,
      validTo: LAST_DAY_BEFORE_MERGER,
      provenance: {
        sources: [...before.sources],
        confidence: 'medium',
        note: `${ILLUSTRATIVE_CODE_NOTE}. Cơ quan suy ra từ đơn vị hành chính cấp xã trong nguồn. ${LOWER_BOUND_NOTE}`,
      },
    });
  }

  // --- People's Committees of current communes (from 1/7/2025, directly under the province) ---
  const successorKeys = au.successions.filter((s) => oldCommuneCommitteeByUnitKey.has(s.predecessorKey)).map((s) => s.successorKey);
  const wanted = new Set<string>([...successorKeys, ...EXTRA_NEW_COMMUNES.map((g) => `${au.newProvinceKey}/${g}`)]);
  const chosen = au.newCommunes.filter((c) => wanted.has(c.key)); // already sorted by GSO code
  check(chosen.length === wanted.size, `Some chosen current communes are not in the source: ${[...wanted].filter((k) => !chosen.some((c) => c.key === k)).join(', ')}`);
  check(chosen.length >= 12, `At least 12 current commune committees are required, got ${chosen.length}`);
  check(NEW_COMMUNE_GROUP_START + chosen.length - 1 <= NEW_COMMUNE_GROUP_END, 'Too many current communes for the level-2 range 51–99');
  const newCommuneCommitteeByUnitKey = new Map<string, string>();
  chosen.forEach(({ key, src: c }, i) => {
    const code = agencyCode(NEW_COMMUNE_GROUP_START + i);
    newCommuneCommitteeByUnitKey.set(key, code);
    const name = collapseSpaces(c.name);
    agencies.push({
      code,
      codeVerified: false,
      name: `Ủy ban nhân dân ${lowerFirst(name)}, tỉnh Đồng Tháp`,
      nameEn: `People's Committee of ${englishUnitName(name, c.type)}, Đồng Tháp Province`,
      shortName: `UBND ${lowerFirst(name)}`,
      level: 'commune',
      kind: 'peoples_committee',
      parentCode: provinceCommitteeCode,
      adminUnitKey: key,
      validFrom: MERGER_DATE,
      validTo: null,
      provenance: {
        sources: [...src.province.after_2025_07_01.sources],
        confidence: 'medium',
        note: `${ILLUSTRATIVE_CODE_NOTE}. Cơ quan suy ra từ đơn vị hành chính cấp xã sau 01/7/2025 trong nguồn; nguồn không có mã định danh điện tử mới. Xã, phường trực thuộc tỉnh (không còn cấp huyện) nên dùng nhóm mã cấp 2 từ ${NEW_COMMUNE_GROUP_START} trở đi; chỉ có 99 mã cấp 2 nên dữ liệu demo chỉ tạo cơ quan cho một số xã, phường.`,
      },
    });
  });

  // --- successions: old commune committee → committee of the successor commune ---
  const successions: AgencySuccessionOut[] = [];
  for (const s of au.successions) {
    const from = oldCommuneCommitteeByUnitKey.get(s.predecessorKey);
    if (!from) continue;
    const to = newCommuneCommitteeByUnitKey.get(s.successorKey) ?? fail(`No committee for successor ${s.successorKey} of ${s.predecessorKey}`);
    successions.push({
      predecessorCode: from,
      successorCode: to,
      effectiveOn: s.effectiveOn,
      note: `Theo kế thừa đơn vị hành chính ${s.predecessorKey} → ${s.successorKey} (xem admin-units.json).`,
    });
  }
  successions.sort((a, b) => compareStrings(a.predecessorCode, b.predecessorCode) || compareStrings(a.successorCode, b.successorCode));

  return {
    agencies,
    successions,
    provinceCommitteeCode,
    departmentCodeByName,
    currentCommuneCommitteeCodes: [...newCommuneCommitteeByUnitKey.values()],
  };
}

// ---------------------------------------------------------------------------------------------------------
// E-form building blocks (JSON Schema 2020-12 subset; conventions of the app's form renderer)
// ---------------------------------------------------------------------------------------------------------

interface FormField {
  name: string;
  schema: JsonSchema;
  required: boolean;
}
interface FormStep {
  title: string;
  fields: FormField[];
}

const req = (name: string, schema: JsonSchema): FormField => ({ name, schema, required: true });
const opt = (name: string, schema: JsonSchema): FormField => ({ name, schema, required: false });
const step = (title: string, ...fields: Array<FormField | FormField[]>): FormStep => ({ title, fields: fields.flat() });

const PATTERN_CCCD = '^\\d{12}$';
const PATTERN_PHONE = '^0\\d{9}$';
const PATTERN_MONTH_YEAR = '^(0[1-9]|1[0-2])/\\d{4}$';
const PATTERN_TAX_CODE = '^\\d{10}(-\\d{3})?$';
const PATTERN_SOCIAL_INSURANCE = '^\\d{10}$';
const PATTERN_VSIC = '^\\d{4}$';
const PATTERN_YEAR = '^\\d{4}$';

function str(title: string, maxLength = 200, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', title, maxLength, ...extra };
}
function textarea(title: string, maxLength = 2000, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', title, maxLength, 'x-widget': 'textarea', ...extra };
}
function date(title: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', format: 'date', title, ...extra };
}
function int(title: string, minimum = 0, extra: JsonSchema = {}): JsonSchema {
  return { type: 'integer', title, minimum, ...extra };
}
function num(title: string, minimum = 0, extra: JsonSchema = {}): JsonSchema {
  return { type: 'number', title, minimum, ...extra };
}
function choice(title: string, options: Array<[string, string]>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', title, oneOf: options.map(([value, label]) => ({ const: value, title: label })), ...extra };
}
function yesNo(title: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'boolean', title, ...extra };
}
function address(title: string, extra: JsonSchema = {}): JsonSchema {
  return {
    type: 'object',
    title,
    'x-widget': 'address',
    properties: {
      provinceCode: { type: 'string', title: 'Tỉnh, thành phố' },
      communeCode: { type: 'string', title: 'Xã, phường, đặc khu' },
      street: { type: 'string', title: 'Số nhà, đường, thôn, ấp', maxLength: 200 },
    },
    required: ['provinceCode', 'communeCode'],
    ...extra,
  };
}
function group(title: string, fields: FormField[], maxItems: number, minItems?: number, extra: JsonSchema = {}): JsonSchema {
  const properties: JsonSchema = {};
  for (const f of fields) {
    check(!(f.name in properties), `group "${title}": duplicate field ${f.name}`);
    properties[f.name] = f.schema;
  }
  return {
    type: 'array',
    title,
    items: { type: 'object', properties, required: fields.filter((f) => f.required).map((f) => f.name) },
    ...(minItems !== undefined ? { minItems } : {}),
    maxItems,
    ...extra,
  };
}
const cccd = (title = 'Số định danh cá nhân (CCCD)'): JsonSchema =>
  str(title, 12, { pattern: PATTERN_CCCD, description: 'Gồm 12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.' });
const anyIdDocument = (title = 'Số giấy tờ tùy thân (CCCD hoặc hộ chiếu)'): JsonSchema =>
  str(title, 20, { description: 'Công dân Việt Nam ghi số định danh cá nhân; người nước ngoài ghi số hộ chiếu.' });
const phone = (title = 'Số điện thoại'): JsonSchema => str(title, 10, { pattern: PATTERN_PHONE, description: 'Gồm 10 chữ số, bắt đầu bằng 0.' });
const email = (title = 'Thư điện tử'): JsonSchema => str(title, 100, { format: 'email' });
const sex = (title = 'Giới tính'): JsonSchema => choice(title, [['nam', 'Nam'], ['nu', 'Nữ']]);
const ethnicity = (title = 'Dân tộc'): JsonSchema => str(title, 50, { description: 'Ví dụ: Kinh, Khmer, Hoa.' });
const nationality = (title = 'Quốc tịch'): JsonSchema => str(title, 50, { default: 'Việt Nam' });
const copies = (title = 'Số bản sao yêu cầu cấp', maximum = 20): JsonSchema =>
  int(title, 0, { maximum, default: 0, description: 'Để 0 nếu không cần bản sao; phí tính theo từng bản.' });
const fullName = (title: string): JsonSchema => str(title, 100);

/** The applicant's common fields, which the citizen's profile pre-fills. */
function applicantFields(options: { emailRequired?: boolean } = {}): FormField[] {
  return [
    req('applicantName', fullName('Họ, chữ đệm và tên người yêu cầu')),
    req('applicantIdNumber', cccd()),
    req('applicantPhone', phone()),
    options.emailRequired ? req('applicantEmail', email()) : opt('applicantEmail', email()),
    req('applicantAddress', address('Nơi cư trú của người yêu cầu')),
  ];
}

interface PersonOptions {
  dob?: boolean;
  sex?: boolean;
  ethnicity?: boolean;
  nationality?: boolean;
  id?: 'cccd' | 'any' | false;
  residence?: 'address' | 'text' | false;
  optional?: boolean;
}

/** A person block: <prefix>FullName, <prefix>DateOfBirth, ... with labels "... của <label>". */
function person(prefix: string, label: string, o: PersonOptions = {}): FormField[] {
  const add = o.optional ? opt : req;
  const fields: FormField[] = [add(`${prefix}FullName`, fullName(`Họ, chữ đệm và tên ${label}`))];
  if (o.dob !== false) fields.push(add(`${prefix}DateOfBirth`, date(`Ngày, tháng, năm sinh ${label}`)));
  if (o.sex) fields.push(add(`${prefix}Sex`, sex(`Giới tính ${label}`)));
  if (o.ethnicity !== false) fields.push(add(`${prefix}Ethnicity`, ethnicity(`Dân tộc ${label}`)));
  if (o.nationality !== false) fields.push(add(`${prefix}Nationality`, nationality(`Quốc tịch ${label}`)));
  if (o.id === 'cccd' || o.id === undefined) fields.push(add(`${prefix}IdNumber`, cccd(`Số định danh cá nhân ${label}`)));
  if (o.id === 'any') fields.push(add(`${prefix}IdNumber`, anyIdDocument(`Số giấy tờ tùy thân ${label} (CCCD hoặc hộ chiếu)`)));
  if (o.residence === 'address' || o.residence === undefined) fields.push(add(`${prefix}Residence`, address(`Nơi cư trú ${label}`)));
  if (o.residence === 'text') fields.push(add(`${prefix}Residence`, str(`Nơi cư trú ${label}`, 300, { description: 'Ghi đầy đủ địa chỉ, kể cả tên nước nếu cư trú ở nước ngoài.' })));
  return fields;
}

function buildForm(title: string, steps: FormStep[]): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const s of steps) {
    for (const f of s.fields) {
      check(!(f.name in properties), `form "${title}": field ${f.name} appears twice`);
      properties[f.name] = f.schema;
      if (f.required) required.push(f.name);
    }
  }
  return {
    type: 'object',
    title,
    properties,
    required,
    'x-steps': steps.map((s) => ({ title: s.title, fields: s.fields.map((f) => f.name) })),
  };
}

// Shared option lists
const REQUESTER_RELATIONSHIP: Array<[string, string]> = [
  ['cha', 'Cha'],
  ['me', 'Mẹ'],
  ['ong_ba', 'Ông, bà'],
  ['nguoi_than', 'Người thân thích khác'],
  ['nguoi_nuoi_duong', 'Cá nhân, tổ chức đang nuôi dưỡng'],
  ['uy_quyen', 'Người được ủy quyền'],
];
const CIVIL_EVENTS: Array<[string, string]> = [
  ['khai_sinh', 'Khai sinh'],
  ['ket_hon', 'Kết hôn'],
  ['khai_tu', 'Khai tử'],
  ['nhan_cha_me_con', 'Nhận cha, mẹ, con'],
  ['giam_ho', 'Giám hộ'],
  ['thay_doi_cai_chinh', 'Thay đổi, cải chính, bổ sung hộ tịch'],
];
const LAND_CERTIFICATE_FIELDS = (): FormField[] => [
  req('certificateSerial', str('Số phát hành (số seri) Giấy chứng nhận', 20, { description: 'Ví dụ: CS 123456, in ở trang 1 của Giấy chứng nhận.' })),
  opt('certificateBookNumber', str('Số vào sổ cấp Giấy chứng nhận', 30)),
  opt('certificateIssuedOn', date('Ngày cấp Giấy chứng nhận')),
];
const LAND_PARCEL_FIELDS = (): FormField[] => [
  req('parcelNumber', str('Thửa đất số', 20)),
  req('mapSheetNumber', str('Tờ bản đồ số', 20)),
  req('landArea', num('Diện tích (m²)', 0, { exclusiveMinimum: 0 })),
  req('landAddress', address('Địa chỉ thửa đất')),
];

// ---------------------------------------------------------------------------------------------------------
// One e-form per procedure (procedures of the same kind share a builder; each fits its procedure)
// ---------------------------------------------------------------------------------------------------------

function birthForm(title: string, o: { foreign?: boolean; reRegistration?: boolean; recognition?: boolean } = {}): JsonSchema {
  const parentId = o.foreign ? 'any' : 'cccd';
  const steps: FormStep[] = [
    step('Thông tin người yêu cầu', applicantFields(), req('relationshipToChild', choice('Quan hệ với người được khai sinh', REQUESTER_RELATIONSHIP))),
    step(
      'Thông tin người được khai sinh',
      req('childFullName', fullName('Họ, chữ đệm và tên người được khai sinh')),
      req('childDateOfBirth', date('Ngày, tháng, năm sinh')),
      req('childSex', sex()),
      req('childPlaceOfBirth', str('Nơi sinh', 300, { description: 'Tên cơ sở y tế nơi sinh; sinh ngoài cơ sở y tế thì ghi địa chỉ nơi sinh.' })),
      req('childEthnicity', ethnicity()),
      req('childNationality', o.foreign ? str('Quốc tịch', 50, { description: 'Theo thỏa thuận của cha, mẹ nếu cha, mẹ khác quốc tịch.' }) : nationality()),
      opt('childHometown', str('Quê quán', 200, { description: 'Theo quê quán của cha hoặc mẹ, theo thỏa thuận.' })),
    ),
    step(
      'Thông tin cha, mẹ',
      person('mother', 'của mẹ', { id: parentId, residence: o.foreign ? 'text' : 'address', optional: false }),
      person('father', 'của cha', { id: parentId, residence: o.foreign ? 'text' : 'address', optional: !o.recognition }),
    ),
  ];
  const last: FormField[] = [];
  if (o.reRegistration) {
    last.push(
      req('originalRegistrationPlace', str('Nơi đã đăng ký khai sinh trước đây', 300)),
      opt('originalRegistrationYear', str('Năm đăng ký khai sinh trước đây', 4, { pattern: PATTERN_YEAR })),
      req('reRegistrationReason', textarea('Lý do đăng ký lại', 1000, { description: 'Ví dụ: sổ hộ tịch và bản chính Giấy khai sinh đều bị mất.' })),
    );
  }
  if (o.recognition) {
    last.push(
      req('recognizingParent', choice('Người nhận con', [['cha', 'Cha nhận con'], ['me', 'Mẹ nhận con']])),
      req('recognitionEvidence', textarea('Chứng cứ chứng minh quan hệ cha, mẹ, con', 2000, { description: 'Nêu văn bản giám định ADN hoặc chứng cứ khác đã nộp kèm hồ sơ.' })),
    );
  }
  last.push(opt('numberOfCopies', copies('Số bản sao Giấy khai sinh yêu cầu cấp')));
  steps.push(step(o.reRegistration ? 'Thông tin đăng ký trước đây và yêu cầu' : 'Yêu cầu khác', last));
  return buildForm(title, steps);
}

function marriageForm(title: string, o: { foreign?: boolean } = {}): JsonSchema {
  const party = (prefix: string, label: string): FormField[] => [
    ...person(prefix, label, { id: o.foreign ? 'any' : 'cccd', residence: o.foreign ? 'text' : 'address' }),
    req(`${prefix}MaritalStatus`, choice(`Tình trạng hôn nhân ${label}`, [['chua_ket_hon', 'Chưa kết hôn'], ['da_ly_hon', 'Đã ly hôn'], ['vo_chong_da_chet', 'Vợ hoặc chồng đã chết']])),
  ];
  return buildForm(title, [
    step('Thông tin người nộp hồ sơ', applicantFields()),
    step('Thông tin bên nữ', party('bride', 'của bên nữ')),
    step('Thông tin bên nam', party('groom', 'của bên nam')),
    step(
      'Cam đoan',
      req('voluntaryDeclaration', yesNo('Hai bên cam đoan kết hôn tự nguyện, đủ điều kiện kết hôn và chịu trách nhiệm về lời khai', { description: 'Hai bên phải có mặt khi nhận Giấy chứng nhận kết hôn.' })),
      opt('preferredRegistrationDate', date('Ngày mong muốn tổ chức trao Giấy chứng nhận kết hôn')),
    ),
  ]);
}

function deathForm(title: string, o: { reRegistration?: boolean } = {}): JsonSchema {
  const last: FormField[] = [];
  if (o.reRegistration) {
    last.push(
      req('originalRegistrationPlace', str('Nơi đã đăng ký khai tử trước đây', 300)),
      opt('originalRegistrationYear', str('Năm đăng ký khai tử trước đây', 4, { pattern: PATTERN_YEAR })),
      req('reRegistrationReason', textarea('Lý do đăng ký lại', 1000)),
    );
  } else {
    last.push(
      req('deathNoticeNumber', str('Số Giấy báo tử hoặc giấy tờ thay thế', 50)),
      req('deathNoticeIssuer', str('Cơ quan cấp Giấy báo tử', 200, { description: 'Ví dụ: bệnh viện, UBND cấp xã, cơ quan công an.' })),
      opt('deathNoticeDate', date('Ngày cấp Giấy báo tử')),
    );
  }
  last.push(opt('numberOfCopies', copies('Số bản sao Trích lục khai tử yêu cầu cấp')));
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields(), req('relationshipToDeceased', str('Quan hệ với người đã chết', 50, { description: 'Ví dụ: con, vợ, chồng, anh, chị, em.' }))),
    step(
      'Thông tin người đã chết',
      person('deceased', 'của người đã chết', { sex: true }),
      req('dateOfDeath', date('Ngày chết')),
      opt('timeOfDeath', str('Giờ, phút chết', 5, { pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Dạng giờ:phút, ví dụ 14:30.' })),
      req('placeOfDeath', str('Nơi chết', 300)),
      opt('causeOfDeath', str('Nguyên nhân chết', 300)),
    ),
    step(o.reRegistration ? 'Thông tin đăng ký trước đây' : 'Giấy báo tử và yêu cầu khác', last),
  ]);
}

function recognitionForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields(), req('recognitionType', choice('Loại yêu cầu', [['cha_nhan_con', 'Cha nhận con'], ['me_nhan_con', 'Mẹ nhận con'], ['con_nhan_cha', 'Con nhận cha'], ['con_nhan_me', 'Con nhận mẹ']]))),
    step('Thông tin người được nhận', person('recognized', 'của người được nhận là cha, mẹ hoặc con', { sex: true })),
    step(
      'Chứng cứ và yêu cầu khác',
      req('evidenceDescription', textarea('Chứng cứ chứng minh quan hệ cha, mẹ, con', 2000, { description: 'Ví dụ: kết quả giám định ADN; hoặc thư từ, phim ảnh kèm văn bản cam đoan và người làm chứng.' })),
      req('bothAlive', yesNo('Cha, mẹ, con đều còn sống tại thời điểm đăng ký')),
      opt('numberOfCopies', copies('Số bản sao Trích lục yêu cầu cấp')),
    ),
  ]);
}

function maritalStatusForm(title: string): JsonSchema {
  return buildForm(title, [
    step(
      'Thông tin người yêu cầu xác nhận',
      applicantFields(),
      req('applicantDateOfBirth', date('Ngày, tháng, năm sinh')),
      req('applicantSex', sex()),
      req('applicantEthnicity', ethnicity()),
      req('applicantNationality', nationality()),
    ),
    step(
      'Tình trạng hôn nhân',
      req('maritalStatus', choice('Tình trạng hôn nhân hiện tại', [['chua_ket_hon', 'Chưa kết hôn với ai'], ['da_ly_hon', 'Đã đăng ký kết hôn nhưng đã ly hôn'], ['vo_chong_da_chet', 'Vợ hoặc chồng đã chết'], ['dang_co_vo_chong', 'Đang có vợ hoặc chồng']])),
      opt('residenceHistory', group('Quá trình cư trú (khi đã cư trú ở nhiều nơi)', [
        req('fromMonth', str('Từ tháng/năm', 7, { pattern: PATTERN_MONTH_YEAR })),
        req('toMonth', str('Đến tháng/năm', 7, { pattern: PATTERN_MONTH_YEAR })),
        req('place', str('Nơi cư trú', 300)),
      ], 20)),
    ),
    step(
      'Mục đích sử dụng',
      req('purpose', choice('Mục đích sử dụng Giấy xác nhận', [['ket_hon', 'Để kết hôn'], ['giao_dich_tai_san', 'Giao dịch tài sản, vay vốn'], ['khac', 'Mục đích khác']])),
      opt('intendedSpouseName', fullName('Họ tên người dự định kết hôn (nếu dùng để kết hôn)')),
      opt('intendedSpouseDateOfBirth', date('Ngày sinh người dự định kết hôn')),
      opt('intendedSpouseNationality', str('Quốc tịch người dự định kết hôn', 50)),
      opt('intendedMarriagePlace', str('Nơi dự định đăng ký kết hôn (cơ quan, quốc gia)', 200)),
      opt('otherPurpose', str('Mục đích khác (ghi rõ)', 300)),
      opt('numberOfCopies', int('Số bản Giấy xác nhận yêu cầu cấp', 1, { maximum: 5, default: 1 })),
    ),
  ]);
}

function civilChangeForm(title: string, o: { ethnicity?: boolean } = {}): JsonSchema {
  const types: Array<[string, string]> = [['thay_doi', 'Thay đổi'], ['cai_chinh', 'Cải chính'], ['bo_sung', 'Bổ sung thông tin']];
  if (o.ethnicity) types.push(['xac_dinh_lai_dan_toc', 'Xác định lại dân tộc']);
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields(), req('relationshipToSubject', str('Quan hệ với người được thay đổi, cải chính', 50, { description: 'Ghi "bản thân" nếu yêu cầu cho chính mình.' }))),
    step(
      'Thông tin hộ tịch cần thay đổi',
      req('subjectFullName', fullName('Họ, chữ đệm và tên người được thay đổi, cải chính')),
      req('subjectDateOfBirth', date('Ngày, tháng, năm sinh')),
      opt('subjectIdNumber', cccd('Số định danh cá nhân của người được thay đổi, cải chính')),
      req('civilEvent', choice('Việc hộ tịch đã đăng ký', CIVIL_EVENTS)),
      req('registrationNumber', str('Số đăng ký (số trên giấy tờ hộ tịch)', 50)),
      req('registrationDate', date('Ngày đăng ký')),
      req('registrationPlace', str('Nơi đăng ký', 300)),
    ),
    step(
      'Nội dung yêu cầu',
      req('changeType', choice('Loại yêu cầu', types)),
      req('changes', group('Nội dung thay đổi', [
        req('item', str('Mục cần thay đổi', 100, { description: 'Ví dụ: họ tên, ngày sinh, dân tộc, quê quán.' })),
        opt('currentValue', str('Nội dung đã đăng ký', 300)),
        req('newValue', str('Nội dung đề nghị', 300)),
      ], 10, 1)),
      req('reason', textarea('Lý do', 1000)),
      opt('numberOfCopies', copies('Số bản sao Trích lục yêu cầu cấp')),
    ),
  ]);
}

function extractCopyForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields(), req('relationshipToSubject', str('Quan hệ với người có tên trong Trích lục', 50, { description: 'Ghi "bản thân" nếu là Trích lục của chính mình.' }))),
    step(
      'Trích lục yêu cầu',
      req('civilEvent', choice('Loại việc hộ tịch', CIVIL_EVENTS)),
      req('subjectFullName', fullName('Họ, chữ đệm và tên người có tên trong giấy tờ hộ tịch')),
      opt('subjectDateOfBirth', date('Ngày, tháng, năm sinh')),
      opt('registrationNumber', str('Số đăng ký (nếu biết)', 50)),
      opt('registrationDate', date('Ngày đăng ký (nếu biết)')),
      req('registrationPlace', str('Nơi đã đăng ký', 300)),
      req('numberOfCopies', int('Số bản sao yêu cầu cấp', 1, { maximum: 20, default: 1 })),
      opt('purpose', str('Mục đích sử dụng', 300)),
    ),
  ]);
}

function guardianshipForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người giám hộ', applicantFields(), req('guardianshipType', choice('Loại giám hộ', [['giam_ho_cu', 'Giám hộ cử'], ['giam_ho_duong_nhien', 'Giám hộ đương nhiên']])), req('relationshipToWard', str('Quan hệ với người được giám hộ', 50))),
    step(
      'Thông tin người được giám hộ',
      person('ward', 'của người được giám hộ', { sex: true }),
      req('guardianshipReason', textarea('Lý do cần giám hộ', 1000, { description: 'Ví dụ: trẻ em mồ côi cả cha và mẹ; người mất năng lực hành vi dân sự.' })),
    ),
  ]);
}

function adoptionForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người nhận con nuôi', applicantFields(), req('adopterDateOfBirth', date('Ngày, tháng, năm sinh')), req('adopterOccupation', str('Nghề nghiệp', 100)), req('adoptsAsCouple', yesNo('Vợ chồng cùng nhận con nuôi'))),
    step('Thông tin vợ hoặc chồng cùng nhận con nuôi', person('spouse', 'của vợ hoặc chồng', { optional: true, ethnicity: false, nationality: false })),
    step(
      'Thông tin người được nhận làm con nuôi',
      person('child', 'của người được nhận làm con nuôi', { sex: true }),
      req('childCareSituation', choice('Người được nhận làm con nuôi đang sống', [['gia_dinh', 'Cùng gia đình (cha, mẹ đẻ hoặc người thân)'], ['co_so_nuoi_duong', 'Tại cơ sở nuôi dưỡng']])),
      opt('biologicalParents', str('Họ tên cha, mẹ đẻ (nếu có)', 200)),
      req('adoptionReason', textarea('Lý do nhận con nuôi', 1000)),
    ),
  ]);
}

function copyCertificationForm(title: string, o: { foreignDocuments?: boolean } = {}): JsonSchema {
  const docFields: FormField[] = [
    req('documentName', str('Tên giấy tờ, văn bản', 200)),
    req('issuingAuthority', str('Cơ quan, tổ chức cấp', 200)),
    ...(o.foreignDocuments ? [req('issuingCountry', str('Quốc gia cấp', 100))] : []),
    req('pages', int('Số trang của bản chính', 1, { maximum: 500 })),
    req('copies', int('Số bản sao cần chứng thực', 1, { maximum: 50, default: 1 })),
  ];
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields()),
    step(
      'Giấy tờ cần chứng thực',
      req('documents', group('Danh sách giấy tờ, văn bản', docFields, 20, 1, { description: 'Mang theo bản chính khi nhận kết quả để đối chiếu.' })),
      opt('pickupDate', date('Ngày mong muốn nhận kết quả')),
    ),
  ]);
}

function signatureCertificationForm(title: string): JsonSchema {
  return buildForm(title, [
    step(
      'Thông tin yêu cầu chứng thực chữ ký',
      applicantFields(),
      req('documentTitle', str('Tên giấy tờ, văn bản cần chứng thực chữ ký', 300)),
      req('documentPages', int('Số trang', 1, { maximum: 500 })),
      req('signatureMethod', choice('Hình thức', [['ky', 'Ký'], ['diem_chi', 'Điểm chỉ'], ['khong_the_ky_diem_chi', 'Không thể ký, không thể điểm chỉ']])),
      req('copies', int('Số bản cần chứng thực', 1, { maximum: 20, default: 1 })),
      req('foreignLanguage', yesNo('Giấy tờ bằng tiếng nước ngoài', { description: 'Nếu có, kèm bản dịch tiếng Việt khi được yêu cầu.' })),
    ),
  ]);
}

function contractCertificationForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người yêu cầu', applicantFields()),
    step(
      'Hợp đồng, giao dịch',
      req('contractType', choice('Loại hợp đồng, giao dịch', [
        ['chuyen_nhuong', 'Chuyển nhượng quyền sử dụng đất, nhà ở'],
        ['tang_cho', 'Tặng cho'],
        ['the_chap', 'Thế chấp'],
        ['thue', 'Thuê, cho thuê'],
        ['gop_von', 'Góp vốn'],
        ['mua_ban_dong_san', 'Mua bán, tặng cho động sản'],
        ['van_ban_thua_ke', 'Văn bản liên quan đến thừa kế'],
        ['khac', 'Khác'],
      ])),
      req('assetType', choice('Loại tài sản', [['dong_san', 'Động sản'], ['quyen_su_dung_dat', 'Quyền sử dụng đất'], ['nha_o', 'Nhà ở'], ['dat_va_nha', 'Quyền sử dụng đất và nhà ở']])),
      req('assetDescription', textarea('Mô tả tài sản', 2000, { description: 'Đối với đất, nhà: số thửa, tờ bản đồ, diện tích, số Giấy chứng nhận; đối với động sản: tên, số đăng ký.' })),
      opt('contractValue', int('Giá trị hợp đồng (đồng)', 0)),
    ),
    step(
      'Các bên tham gia',
      req('parties', group('Các bên tham gia hợp đồng, giao dịch', [
        req('fullName', fullName('Họ tên hoặc tên tổ chức')),
        req('idNumber', str('Số định danh cá nhân hoặc mã số doanh nghiệp', 20)),
        req('role', choice('Tư cách', [['ben_a', 'Bên A (bên chuyển giao)'], ['ben_b', 'Bên B (bên nhận)'], ['nguoi_lam_chung', 'Người làm chứng'], ['khac', 'Khác']])),
      ], 20, 2)),
      req('copies', int('Số bản hợp đồng cần chứng thực', 1, { maximum: 20, default: 2 })),
    ),
  ]);
}

function contractCopyForm(title: string): JsonSchema {
  return buildForm(title, [
    step(
      'Thông tin yêu cầu',
      applicantFields(),
      req('contractTitle', str('Tên hợp đồng, giao dịch đã được chứng thực', 300)),
      req('certificationNumber', str('Số chứng thực', 50)),
      req('certificationDate', date('Ngày chứng thực')),
      req('requesterRole', choice('Tư cách người yêu cầu', [['ben_tham_gia', 'Bên tham gia hợp đồng, giao dịch'], ['nguoi_thua_ke', 'Người thừa kế hoặc người có quyền, nghĩa vụ liên quan'], ['co_quan_yeu_cau', 'Cơ quan có thẩm quyền yêu cầu']])),
      req('copies', int('Số bản sao yêu cầu', 1, { maximum: 20, default: 1 })),
    ),
  ]);
}

function criminalRecordForm(title: string): JsonSchema {
  return buildForm(title, [
    step(
      'Thông tin người được cấp Phiếu',
      applicantFields(),
      opt('otherNames', str('Tên gọi khác (nếu có)', 100)),
      req('applicantDateOfBirth', date('Ngày, tháng, năm sinh')),
      req('applicantSex', sex()),
      req('placeOfBirth', str('Nơi sinh', 200)),
      req('applicantNationality', nationality()),
      req('applicantEthnicity', ethnicity()),
      opt('temporaryResidence', address('Nơi tạm trú (nếu có)')),
    ),
    step(
      'Thông tin gia đình và quá trình cư trú',
      req('fatherFullName', fullName('Họ tên cha')),
      req('motherFullName', fullName('Họ tên mẹ')),
      opt('spouseFullName', fullName('Họ tên vợ hoặc chồng (nếu có)')),
      req('residenceHistory', group('Quá trình cư trú, nghề nghiệp từ đủ 14 tuổi', [
        req('fromMonth', str('Từ tháng/năm', 7, { pattern: PATTERN_MONTH_YEAR })),
        req('toMonth', str('Đến tháng/năm', 7, { pattern: PATTERN_MONTH_YEAR, description: 'Ghi tháng/năm hiện tại nếu đang cư trú.' })),
        req('place', str('Nơi cư trú', 300)),
        req('occupation', str('Nghề nghiệp, nơi làm việc', 200)),
      ], 30, 1)),
    ),
    step(
      'Yêu cầu cấp Phiếu',
      req('certificateType', choice('Loại Phiếu', [['phieu_1', 'Phiếu lý lịch tư pháp số 1'], ['phieu_2', 'Phiếu lý lịch tư pháp số 2']], { description: 'Phiếu số 2 ghi đầy đủ án tích, kể cả án tích đã được xóa; chỉ cấp cho chính người đó.' })),
      req('purpose', textarea('Mục đích sử dụng Phiếu', 500)),
      opt('requestBanInfo', yesNo('Yêu cầu xác nhận về việc cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp, hợp tác xã (Phiếu số 1)')),
      req('numberOfCopies', int('Số lượng Phiếu yêu cầu cấp', 1, { maximum: 10, default: 1, description: 'Từ Phiếu thứ 3 trở đi thu thêm phí.' })),
    ),
  ]);
}

const BUSINESS_LINES = (title = 'Ngành, nghề kinh doanh'): JsonSchema =>
  group(title, [
    opt('code', str('Mã ngành cấp 4 (VSIC)', 4, { pattern: PATTERN_VSIC, description: 'Theo Hệ thống ngành kinh tế Việt Nam, ví dụ 4711.' })),
    req('name', str('Tên ngành, nghề', 300)),
    opt('isMain', yesNo('Ngành, nghề kinh doanh chính')),
  ], 50, 1);

function householdBusinessForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin chủ hộ kinh doanh', applicantFields(), req('ownerDateOfBirth', date('Ngày, tháng, năm sinh')), req('ownerSex', sex()), req('ownerEthnicity', ethnicity()), req('ownerNationality', nationality())),
    step(
      'Thông tin hộ kinh doanh',
      req('businessName', str('Tên hộ kinh doanh', 200, { description: 'Gồm cụm từ "Hộ kinh doanh" và tên riêng, ví dụ: Hộ kinh doanh Cơm tấm Ba Nhi.' })),
      req('businessAddress', address('Địa điểm kinh doanh')),
      opt('businessPhone', phone('Điện thoại của hộ kinh doanh')),
      opt('businessEmail', email('Thư điện tử của hộ kinh doanh')),
      req('businessLines', BUSINESS_LINES()),
      req('capital', int('Vốn kinh doanh (đồng)', 0)),
      opt('employees', int('Số lao động dự kiến', 0, { maximum: 1000 })),
    ),
    step(
      'Thành viên hộ gia đình (nếu hộ gia đình đăng ký)',
      req('registeredByFamily', yesNo('Các thành viên hộ gia đình cùng đăng ký hộ kinh doanh')),
      opt('familyMembers', group('Thành viên hộ gia đình', [req('fullName', fullName('Họ và tên')), req('idNumber', cccd()), opt('relationship', str('Quan hệ với chủ hộ', 50))], 20)),
    ),
  ]);
}

const HOUSEHOLD_BUSINESS_ID = (): FormField[] => [
  req('businessRegistrationNumber', str('Mã số hộ kinh doanh (số Giấy chứng nhận đăng ký hộ kinh doanh)', 20)),
  req('businessName', str('Tên hộ kinh doanh', 200)),
];

function householdBusinessChangeForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin chủ hộ kinh doanh', applicantFields(), HOUSEHOLD_BUSINESS_ID()),
    step(
      'Nội dung đăng ký thay đổi',
      req('changes', group('Nội dung thay đổi', [
        req('item', choice('Nội dung', [['ten', 'Tên hộ kinh doanh'], ['dia_diem', 'Địa điểm kinh doanh'], ['nganh_nghe', 'Ngành, nghề kinh doanh'], ['von', 'Vốn kinh doanh'], ['chu_ho', 'Chủ hộ kinh doanh'], ['khac', 'Nội dung khác']])),
        opt('currentValue', str('Nội dung đã đăng ký', 300)),
        req('newValue', str('Nội dung thay đổi', 300)),
      ], 10, 1)),
      opt('newBusinessLines', BUSINESS_LINES('Ngành, nghề kinh doanh sau thay đổi (nếu thay đổi ngành, nghề)')),
      opt('newCapital', int('Vốn kinh doanh sau thay đổi (đồng)', 0)),
      opt('newAddress', address('Địa điểm kinh doanh mới (nếu thay đổi địa điểm)')),
    ),
  ]);
}

function householdBusinessSuspendForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin chủ hộ kinh doanh', applicantFields(), HOUSEHOLD_BUSINESS_ID()),
    step(
      'Nội dung thông báo',
      req('action', choice('Loại thông báo', [['tam_ngung', 'Tạm ngừng kinh doanh'], ['tiep_tuc', 'Tiếp tục kinh doanh trước thời hạn đã thông báo']])),
      req('fromDate', date('Từ ngày')),
      opt('toDate', date('Đến ngày (khi tạm ngừng)')),
      opt('reason', textarea('Lý do', 1000)),
    ),
  ]);
}

function householdBusinessCloseForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin chủ hộ kinh doanh', applicantFields(), HOUSEHOLD_BUSINESS_ID()),
    step(
      'Nội dung thông báo chấm dứt',
      req('terminationDate', date('Ngày chấm dứt hoạt động')),
      req('taxObligationsSettled', yesNo('Đã hoàn thành nghĩa vụ thuế', { description: 'Kèm thông báo của cơ quan thuế về việc hoàn thành nghĩa vụ thuế.' })),
      opt('reason', textarea('Lý do', 1000)),
    ),
  ]);
}

function companyForm(title: string, o: { multiMember: boolean }): JsonSchema {
  const steps: FormStep[] = [
    step('Thông tin người nộp hồ sơ', applicantFields({ emailRequired: true }), req('applicantRole', choice('Tư cách người nộp', [['dai_dien_phap_luat', 'Người đại diện theo pháp luật'], ['chu_so_huu', 'Chủ sở hữu'], ['uy_quyen', 'Người được ủy quyền']]))),
    step(
      'Thông tin doanh nghiệp',
      req('companyName', str('Tên công ty viết bằng tiếng Việt', 200, { description: 'Gồm loại hình "Công ty trách nhiệm hữu hạn" và tên riêng.' })),
      opt('companyNameForeign', str('Tên công ty viết bằng tiếng nước ngoài', 200)),
      opt('companyNameShort', str('Tên công ty viết tắt', 100)),
      req('headOffice', address('Địa chỉ trụ sở chính')),
      req('companyPhone', phone('Điện thoại của công ty')),
      opt('companyEmail', email('Thư điện tử của công ty')),
      req('charterCapital', int('Vốn điều lệ (đồng)', 1)),
      req('businessLines', BUSINESS_LINES()),
      opt('employees', int('Số lao động dự kiến', 0, { maximum: 100000 })),
    ),
  ];
  const representatives = req('legalRepresentatives', group('Người đại diện theo pháp luật', [
    req('fullName', fullName('Họ và tên')),
    req('idNumber', anyIdDocument('Số giấy tờ pháp lý cá nhân')),
    req('position', str('Chức danh', 100, { description: 'Ví dụ: Giám đốc, Chủ tịch Hội đồng thành viên.' })),
    req('residence', address('Địa chỉ liên lạc')),
  ], 10, 1));
  if (o.multiMember) {
    steps.push(step(
      'Thành viên góp vốn và người đại diện',
      req('members', group('Danh sách thành viên (từ 02 đến 50)', [
        req('name', str('Tên thành viên (cá nhân hoặc tổ chức)', 200)),
        req('idOrRegistrationNumber', str('Số giấy tờ pháp lý cá nhân hoặc mã số doanh nghiệp', 20)),
        req('contribution', int('Giá trị phần vốn góp (đồng)', 1)),
        req('sharePercent', num('Tỷ lệ phần vốn góp (%)', 0, { maximum: 100 })),
        opt('contributionDeadline', date('Thời hạn góp vốn')),
      ], 50, 2)),
      representatives,
    ));
  } else {
    steps.push(step(
      'Chủ sở hữu và người đại diện',
      req('ownerType', choice('Chủ sở hữu là', [['ca_nhan', 'Cá nhân'], ['to_chuc', 'Tổ chức']])),
      req('ownerName', str('Tên chủ sở hữu', 200)),
      req('ownerIdOrRegistrationNumber', str('Số giấy tờ pháp lý cá nhân hoặc mã số doanh nghiệp của chủ sở hữu', 20)),
      representatives,
    ));
  }
  steps.push(step('Đăng ký khác', req('registerOnline', yesNo('Nộp hồ sơ qua mạng điện tử', { default: true, description: 'Đăng ký qua mạng được miễn lệ phí đăng ký doanh nghiệp.' })), opt('socialInsuranceRegistration', yesNo('Đăng ký bảo hiểm xã hội cùng hồ sơ'))));
  return buildForm(title, steps);
}

function landFirstRegistrationForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người sử dụng đất', applicantFields(), req('landUserType', choice('Người sử dụng đất là', [['ca_nhan', 'Cá nhân'], ['ho_gia_dinh', 'Hộ gia đình'], ['cong_dong', 'Cộng đồng dân cư'], ['nguoi_goc_viet', 'Người gốc Việt Nam định cư ở nước ngoài']]))),
    step(
      'Thông tin thửa đất',
      LAND_PARCEL_FIELDS(),
      req('landUsePurpose', str('Mục đích sử dụng đất', 200, { description: 'Ví dụ: đất ở tại nông thôn, đất trồng cây lâu năm.' })),
      req('landUseOrigin', textarea('Nguồn gốc sử dụng đất', 1000, { description: 'Ví dụ: được Nhà nước giao, nhận chuyển nhượng, tự khai hoang.' })),
      req('landUseSince', str('Sử dụng đất từ năm', 4, { pattern: PATTERN_YEAR })),
    ),
    step(
      'Tài sản gắn liền với đất và yêu cầu',
      req('hasAssets', yesNo('Có nhà ở, công trình xây dựng hoặc tài sản khác gắn liền với đất')),
      opt('assetsDescription', textarea('Mô tả tài sản gắn liền với đất', 1000, { description: 'Loại tài sản, diện tích xây dựng, diện tích sàn, số tầng.' })),
      req('requestCertificate', yesNo('Đề nghị cấp Giấy chứng nhận', { default: true })),
      opt('coOwners', group('Người cùng sử dụng đất, sở hữu tài sản', [req('fullName', fullName('Họ và tên')), req('idNumber', cccd())], 20)),
    ),
  ]);
}

function landTransferForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step('Giấy chứng nhận và thửa đất', LAND_CERTIFICATE_FIELDS(), LAND_PARCEL_FIELDS()),
    step(
      'Nội dung biến động',
      req('transferType', choice('Hình thức', [['chuyen_doi', 'Chuyển đổi đất nông nghiệp'], ['chuyen_nhuong', 'Chuyển nhượng'], ['thua_ke', 'Thừa kế'], ['tang_cho', 'Tặng cho'], ['gop_von', 'Góp vốn'], ['cho_thue', 'Cho thuê, cho thuê lại trong dự án hạ tầng'], ['tai_san_dat_thue', 'Bán, tặng cho, thừa kế, góp vốn tài sản trên đất thuê trả tiền hằng năm']])),
      req('contractReference', str('Số, ngày của hợp đồng hoặc văn bản chuyển quyền', 200)),
      req('transferees', group('Bên nhận quyền', [req('fullName', str('Họ tên hoặc tên tổ chức', 200)), req('idNumber', str('Số định danh cá nhân hoặc mã số doanh nghiệp', 20)), req('residence', address('Địa chỉ'))], 10, 1)),
      req('isMortgaged', yesNo('Thửa đất đang được thế chấp')),
      req('requestNewCertificate', yesNo('Đề nghị cấp Giấy chứng nhận mới')),
    ),
  ]);
}

function landCertificateExchangeForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Giấy chứng nhận và lý do cấp đổi',
      LAND_CERTIFICATE_FIELDS(),
      LAND_PARCEL_FIELDS(),
      req('exchangeReason', choice('Lý do cấp đổi', [['o_nhoe_rach', 'Giấy chứng nhận bị ố, nhòe, rách, hư hỏng'], ['do_dac_lai', 'Đo đạc lại, thay đổi kích thước, diện tích'], ['mau_moi', 'Đổi sang mẫu Giấy chứng nhận mới'], ['khac', 'Lý do khác']])),
      req('remeasure', yesNo('Có nhu cầu đo đạc lại thửa đất')),
      opt('otherReason', str('Lý do khác (ghi rõ)', 300)),
    ),
  ]);
}

function landCertificateLostForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Giấy chứng nhận bị mất',
      opt('certificateSerial', str('Số phát hành (số seri) Giấy chứng nhận, nếu nhớ', 20)),
      opt('certificateIssuedOn', date('Ngày cấp Giấy chứng nhận, nếu nhớ')),
      LAND_PARCEL_FIELDS(),
      req('lostOn', date('Ngày bị mất (ước tính)')),
      req('lossCircumstances', textarea('Hoàn cảnh bị mất', 1000)),
      req('remeasure', yesNo('Có nhu cầu đo đạc lại thửa đất')),
      req('declarationAccepted', yesNo('Tôi cam đoan Giấy chứng nhận bị mất là đúng sự thật; cơ quan sẽ niêm yết hoặc đăng tin 15 ngày trước khi cấp lại')),
    ),
  ]);
}

function landSplitMergeForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields(), req('action', choice('Đề nghị', [['tach_thua', 'Tách thửa'], ['hop_thua', 'Hợp thửa']]))),
    step(
      'Thửa đất hiện có',
      req('sourceParcels', group('Thửa đất (hợp thửa: từ 02 thửa)', [
        req('parcelNumber', str('Thửa đất số', 20)),
        req('mapSheetNumber', str('Tờ bản đồ số', 20)),
        req('area', num('Diện tích (m²)', 0, { exclusiveMinimum: 0 })),
        req('certificateSerial', str('Số phát hành Giấy chứng nhận', 20)),
      ], 10, 1)),
      req('landAddress', address('Địa chỉ thửa đất')),
    ),
    step(
      'Thửa đất sau tách, hợp',
      req('resultParcels', group('Các thửa đất dự kiến', [
        req('area', num('Diện tích (m²)', 0, { exclusiveMinimum: 0 })),
        req('landUsePurpose', str('Mục đích sử dụng', 200)),
        opt('recipient', str('Người sử dụng (nếu tách để chuyển quyền)', 100)),
      ], 20, 1)),
      req('reason', textarea('Lý do', 1000)),
    ),
  ]);
}

function landMortgageForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin bên bảo đảm', applicantFields()),
    step(
      'Bên nhận bảo đảm và hợp đồng',
      req('securedPartyName', str('Tên bên nhận bảo đảm', 200, { description: 'Ví dụ: tên ngân hàng, chi nhánh.' })),
      req('securedPartyAddress', str('Địa chỉ bên nhận bảo đảm', 300)),
      opt('securedPartyTaxCode', str('Mã số thuế bên nhận bảo đảm', 14, { pattern: PATTERN_TAX_CODE })),
      req('contractNumber', str('Số hợp đồng bảo đảm', 100)),
      req('contractDate', date('Ngày ký hợp đồng bảo đảm')),
      req('securityType', choice('Tài sản bảo đảm', [['quyen_su_dung_dat', 'Quyền sử dụng đất'], ['tai_san_gan_lien', 'Tài sản gắn liền với đất'], ['ca_hai', 'Cả quyền sử dụng đất và tài sản']])),
    ),
    step(
      'Tài sản bảo đảm',
      req('collateral', group('Thửa đất, tài sản bảo đảm', [
        req('certificateSerial', str('Số phát hành Giấy chứng nhận', 20)),
        req('parcelNumber', str('Thửa đất số', 20)),
        req('mapSheetNumber', str('Tờ bản đồ số', 20)),
        opt('assetDescription', str('Mô tả tài sản gắn liền với đất (nếu có)', 500)),
      ], 20, 1)),
    ),
  ]);
}

function landCorrectionForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Giấy chứng nhận và nội dung sai sót',
      LAND_CERTIFICATE_FIELDS(),
      LAND_PARCEL_FIELDS(),
      req('errors', group('Nội dung sai sót', [req('item', str('Nội dung ghi trên Giấy chứng nhận', 200)), req('wrongValue', str('Nội dung ghi sai', 300)), req('correctValue', str('Nội dung đúng', 300))], 20, 1)),
    ),
  ]);
}

function landDebtClearanceForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Giấy chứng nhận và khoản nợ đã nộp',
      LAND_CERTIFICATE_FIELDS(),
      req('parcelNumber', str('Thửa đất số', 20)),
      req('mapSheetNumber', str('Tờ bản đồ số', 20)),
      req('debtType', choice('Khoản ghi nợ cần xóa', [['tien_su_dung_dat', 'Tiền sử dụng đất'], ['le_phi_truoc_ba', 'Lệ phí trước bạ'], ['ca_hai', 'Cả hai khoản']])),
      req('paymentReceiptNumber', str('Số chứng từ nộp tiền', 50)),
      req('paymentDate', date('Ngày nộp tiền')),
      req('amountPaid', int('Số tiền đã nộp (đồng)', 0)),
    ),
  ]);
}

function landDisputeForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người yêu cầu hòa giải', applicantFields()),
    step(
      'Bên tranh chấp và thửa đất',
      req('counterparties', group('Bên tranh chấp', [req('fullName', fullName('Họ tên hoặc tên tổ chức')), opt('phone', phone()), req('residence', str('Địa chỉ', 300))], 10, 1)),
      LAND_PARCEL_FIELDS(),
    ),
    step(
      'Nội dung tranh chấp',
      req('disputeDescription', textarea('Nội dung tranh chấp', 3000, { description: 'Tóm tắt diễn biến, ranh giới, diện tích tranh chấp.' })),
      req('request', textarea('Yêu cầu của người đề nghị', 1000)),
    ),
  ]);
}

function buildingPermitForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin chủ đầu tư', applicantFields()),
    step(
      'Thông tin lô đất',
      req('plotAddress', address('Địa điểm xây dựng')),
      req('parcelNumber', str('Thửa đất số', 20)),
      req('mapSheetNumber', str('Tờ bản đồ số', 20)),
      req('plotArea', num('Diện tích lô đất (m²)', 0, { exclusiveMinimum: 0 })),
      req('landCertificateNumber', str('Số Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ thay thế', 50)),
    ),
    step(
      'Nội dung đề nghị cấp phép',
      req('floors', int('Số tầng (kể cả tầng hầm, tầng lửng)', 1, { maximum: 7, description: 'Nhà ở riêng lẻ; công trình lớn hơn do Sở Xây dựng cấp phép.' })),
      req('hasBasement', yesNo('Có tầng hầm')),
      req('buildingFootprint', num('Diện tích xây dựng tầng 1 (m²)', 0, { exclusiveMinimum: 0 })),
      req('totalFloorArea', num('Tổng diện tích sàn (m²)', 0, { exclusiveMinimum: 0 })),
      req('buildingHeight', num('Chiều cao công trình (m)', 0, { exclusiveMinimum: 0, maximum: 50 })),
      opt('designUnit', str('Đơn vị hoặc cá nhân thiết kế', 200)),
      opt('expectedCompletionMonths', int('Thời gian dự kiến hoàn thành (tháng)', 1, { maximum: 60 })),
      req('adjacentBuildings', yesNo('Có công trình liền kề', { description: 'Nếu có, nộp kèm cam kết bảo đảm an toàn đối với công trình liền kề.' })),
    ),
  ]);
}

function buildingPermitFollowUpForm(title: string, o: { kind: 'extend' | 'reissue' }): JsonSchema {
  const fields: FormField[] = [
    req('permitNumber', str('Số giấy phép xây dựng', 50)),
    req('permitIssuedOn', date('Ngày cấp giấy phép')),
    req('permitIssuer', str('Cơ quan đã cấp giấy phép', 200)),
    req('plotAddress', address('Địa điểm xây dựng')),
  ];
  if (o.kind === 'extend') {
    fields.push(
      req('constructionStatus', choice('Tình trạng công trình', [['chua_khoi_cong', 'Chưa khởi công'], ['dang_thi_cong', 'Đang thi công, chưa hoàn thành']])),
      req('reason', textarea('Lý do đề nghị gia hạn', 1000)),
    );
  } else {
    fields.push(req('reissueReason', choice('Lý do cấp lại', [['bi_mat', 'Giấy phép bị mất'], ['rach_nat', 'Giấy phép bị rách, nát']])), opt('details', textarea('Trình bày thêm', 1000)));
  }
  return buildForm(title, [step('Thông tin chủ đầu tư', applicantFields()), step(o.kind === 'extend' ? 'Giấy phép cần gia hạn' : 'Giấy phép cần cấp lại', fields)]);
}

function drivingLicenceForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields(), req('applicantDateOfBirth', date('Ngày, tháng, năm sinh')), req('applicantNationality', nationality())),
    step(
      'Giấy phép lái xe cần đổi',
      req('licenceNumber', str('Số giấy phép lái xe', 20)),
      req('licenceClass', choice('Hạng', [['A1', 'A1'], ['A2', 'A2'], ['A3', 'A3'], ['A4', 'A4'], ['B1', 'B1'], ['B2', 'B2'], ['C', 'C'], ['D', 'D'], ['E', 'E'], ['F', 'F (FB2, FC, FD, FE)']])),
      req('licenceIssuedOn', date('Ngày cấp')),
      opt('licenceExpiresOn', date('Ngày hết hạn (nếu có)')),
      req('licenceIssuer', str('Nơi cấp', 200)),
      req('exchangeReason', choice('Lý do đổi', [['het_han', 'Sắp hết hạn hoặc đã hết hạn'], ['hu_hong', 'Bị hỏng'], ['thay_doi_thong_tin', 'Thay đổi thông tin cá nhân'], ['tach_gplx', 'Tách giấy phép có thời hạn và không thời hạn']])),
    ),
    step(
      'Giấy khám sức khỏe và nhận kết quả',
      opt('healthCertificateDate', date('Ngày khám sức khỏe', { description: 'Không cần với hạng A1, A2, A3.' })),
      opt('healthFacility', str('Cơ sở khám sức khỏe', 200)),
      req('deliveryByPost', yesNo('Nhận kết quả qua bưu chính công ích')),
    ),
  ]);
}

function workPermitForm(title: string): JsonSchema {
  return buildForm(title, [
    step(
      'Người sử dụng lao động',
      applicantFields({ emailRequired: true }),
      req('employerName', str('Tên người sử dụng lao động (doanh nghiệp, tổ chức)', 200)),
      req('employerTaxCode', str('Mã số doanh nghiệp, mã số thuế', 14, { pattern: PATTERN_TAX_CODE })),
      req('employerAddress', address('Địa chỉ trụ sở')),
      req('demandApprovalReference', str('Số, ngày văn bản chấp thuận nhu cầu sử dụng người lao động nước ngoài', 200)),
    ),
    step(
      'Người lao động nước ngoài',
      req('workerFullName', fullName('Họ và tên (theo hộ chiếu)')),
      req('workerDateOfBirth', date('Ngày, tháng, năm sinh')),
      req('workerSex', sex()),
      req('workerNationality', str('Quốc tịch', 50)),
      req('workerPassport', str('Số hộ chiếu', 20)),
      req('workerQualification', str('Trình độ chuyên môn', 200)),
    ),
    step(
      'Vị trí công việc',
      req('position', choice('Vị trí công việc', [['nha_quan_ly', 'Nhà quản lý'], ['giam_doc_dieu_hanh', 'Giám đốc điều hành'], ['chuyen_gia', 'Chuyên gia'], ['lao_dong_ky_thuat', 'Lao động kỹ thuật']])),
      req('jobTitle', str('Chức danh công việc', 200)),
      req('workplace', address('Địa điểm làm việc')),
      req('workFrom', date('Làm việc từ ngày')),
      req('workTo', date('Đến ngày', { description: 'Thời hạn giấy phép lao động tối đa 02 năm.' })),
    ),
  ]);
}

function unemploymentForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người lao động', applicantFields(), req('applicantDateOfBirth', date('Ngày, tháng, năm sinh')), req('socialInsuranceNumber', str('Mã số bảo hiểm xã hội', 10, { pattern: PATTERN_SOCIAL_INSURANCE }))),
    step(
      'Quá trình làm việc',
      req('lastEmployer', str('Đơn vị làm việc trước khi nghỉ', 200)),
      req('contractType', choice('Loại hợp đồng', [['khong_xac_dinh', 'Không xác định thời hạn'], ['xac_dinh', 'Xác định thời hạn'], ['hop_dong_lam_viec', 'Hợp đồng làm việc']])),
      req('terminationDate', date('Ngày chấm dứt hợp đồng')),
      req('contributionMonths', int('Số tháng đóng bảo hiểm thất nghiệp', 0, { maximum: 600 })),
    ),
    step(
      'Nhận trợ cấp',
      req('paymentMethod', choice('Hình thức nhận', [['tai_khoan', 'Qua tài khoản ngân hàng'], ['tien_mat', 'Tiền mặt tại bưu điện']])),
      opt('bankName', str('Tên ngân hàng', 100)),
      opt('bankAccount', str('Số tài khoản', 30)),
      req('wantsTraining', yesNo('Có nhu cầu hỗ trợ học nghề')),
      req('wantsJobCounselling', yesNo('Có nhu cầu tư vấn, giới thiệu việc làm')),
    ),
  ]);
}

const SOCIAL_CATEGORIES: Array<[string, string]> = [
  ['tre_em_khong_nguon_nuoi_duong', 'Trẻ em không có nguồn nuôi dưỡng'],
  ['nguoi_cao_tuoi', 'Người cao tuổi thuộc diện trợ cấp'],
  ['nguoi_khuyet_tat', 'Người khuyết tật đặc biệt nặng, nặng'],
  ['nguoi_don_than_ngheo', 'Người đơn thân nghèo đang nuôi con'],
  ['nguoi_nhiem_hiv', 'Người nhiễm HIV/AIDS thuộc hộ nghèo'],
  ['ho_gia_dinh_cham_soc', 'Hộ gia đình, cá nhân nhận chăm sóc, nuôi dưỡng'],
  ['khac', 'Đối tượng khác theo quy định'],
];
const PAYMENT_FIELDS = (): FormField[] => [
  req('paymentMethod', choice('Hình thức nhận tiền', [['tai_khoan', 'Qua tài khoản'], ['tien_mat', 'Tiền mặt (chi trả tại điểm chi trả)']])),
  opt('bankName', str('Tên ngân hàng', 100)),
  opt('bankAccount', str('Số tài khoản', 30)),
];

function socialAllowanceForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người khai', applicantFields(), req('relationshipToBeneficiary', str('Quan hệ với đối tượng', 50, { description: 'Ghi "bản thân" nếu tự khai.' }))),
    step(
      'Thông tin đối tượng',
      person('beneficiary', 'của đối tượng', { sex: true }),
      req('requestType', choice('Đề nghị', [['thuc_hien', 'Thực hiện trợ cấp, hỗ trợ'], ['dieu_chinh', 'Điều chỉnh mức trợ cấp, hỗ trợ'], ['thoi_huong', 'Thôi hưởng']])),
      req('category', choice('Thuộc diện', SOCIAL_CATEGORIES)),
      opt('otherBenefits', str('Chế độ khác đang hưởng (nếu có)', 300)),
    ),
    step('Nhận trợ cấp', PAYMENT_FIELDS()),
  ]);
}

function socialAllowanceMoveForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin đối tượng', applicantFields(), req('currentDecisionNumber', str('Số quyết định trợ cấp đang hưởng', 50)), req('currentDecisionDate', date('Ngày quyết định'))),
    step('Nơi cư trú mới', req('previousResidence', address('Nơi cư trú trước khi chuyển')), req('newResidence', address('Nơi cư trú mới')), req('movedOn', date('Ngày chuyển đến')), PAYMENT_FIELDS()),
  ]);
}

function disabilityForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields(), req('relationshipToPerson', str('Quan hệ với người được xác định khuyết tật', 50, { description: 'Ghi "bản thân" nếu tự đề nghị.' }))),
    step(
      'Người được xác định mức độ khuyết tật',
      person('person', 'của người khuyết tật', { sex: true, id: 'cccd', optional: false }),
      req('requestType', choice('Đề nghị', [['xac_dinh', 'Xác định mức độ khuyết tật lần đầu'], ['xac_dinh_lai', 'Xác định lại mức độ khuyết tật'], ['cap_doi_cap_lai', 'Cấp đổi, cấp lại Giấy xác nhận']])),
      req('disabilityType', choice('Dạng khuyết tật chính', [['van_dong', 'Khuyết tật vận động'], ['nghe_noi', 'Khuyết tật nghe, nói'], ['nhin', 'Khuyết tật nhìn'], ['than_kinh_tam_than', 'Khuyết tật thần kinh, tâm thần'], ['tri_tue', 'Khuyết tật trí tuệ'], ['khac', 'Khuyết tật khác']])),
      opt('otherDisabilityTypes', str('Dạng khuyết tật khác kèm theo (nếu có)', 300)),
      req('description', textarea('Mô tả tình trạng khuyết tật', 2000)),
    ),
  ]);
}

function funeralSupportForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người tổ chức mai táng', applicantFields(), req('relationshipToDeceased', str('Quan hệ với người đã chết', 50))),
    step(
      'Thông tin người đã chết',
      person('deceased', 'của người đã chết', { ethnicity: false, nationality: false, residence: 'address' }),
      req('dateOfDeath', date('Ngày chết')),
      req('beneficiaryCategory', choice('Diện hưởng trợ giúp xã hội trước khi chết', SOCIAL_CATEGORIES)),
      opt('deathRegistrationNumber', str('Số Trích lục khai tử hoặc Giấy chứng tử', 50)),
    ),
    step('Nhận hỗ trợ', PAYMENT_FIELDS()),
  ]);
}

function schoolTransferForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin cha, mẹ hoặc người giám hộ', applicantFields(), req('relationshipToStudent', choice('Quan hệ với học sinh', [['cha', 'Cha'], ['me', 'Mẹ'], ['giam_ho', 'Người giám hộ']]))),
    step(
      'Thông tin học sinh và nơi chuyển đến',
      req('studentFullName', fullName('Họ và tên học sinh')),
      req('studentDateOfBirth', date('Ngày sinh')),
      req('studentSex', sex()),
      req('grade', int('Lớp đang học', 6, { maximum: 9 })),
      req('schoolYear', str('Năm học', 9, { pattern: '^\\d{4}-\\d{4}$', description: 'Ví dụ: 2025-2026.' })),
      req('currentSchool', str('Trường đang học', 200)),
      req('currentSchoolProvince', str('Tỉnh, thành phố của trường đang học', 100)),
      req('targetSchool', str('Trường xin chuyển đến', 200)),
      req('reason', textarea('Lý do chuyển trường', 1000)),
    ),
  ]);
}

function secondaryAdmissionForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin cha, mẹ hoặc người giám hộ', applicantFields(), req('relationshipToStudent', choice('Quan hệ với học sinh', [['cha', 'Cha'], ['me', 'Mẹ'], ['giam_ho', 'Người giám hộ']]))),
    step(
      'Thông tin học sinh',
      req('studentFullName', fullName('Họ và tên học sinh')),
      req('studentDateOfBirth', date('Ngày sinh')),
      req('studentSex', sex()),
      req('studentEthnicity', ethnicity()),
      req('studentIdNumber', cccd('Số định danh cá nhân của học sinh')),
      req('studentResidence', address('Nơi cư trú của học sinh')),
    ),
    step(
      'Nguyện vọng',
      req('primarySchool', str('Trường tiểu học đã hoàn thành chương trình', 200)),
      req('primaryCompletionYear', str('Năm hoàn thành chương trình tiểu học', 4, { pattern: PATTERN_YEAR })),
      req('preferredSchool', str('Trường trung học cơ sở đăng ký', 200)),
      opt('priorityCategory', str('Đối tượng ưu tiên (nếu có)', 200)),
    ),
  ]);
}

function pharmacyCertificateForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields(), req('applicantDateOfBirth', date('Ngày, tháng, năm sinh'))),
    step(
      'Văn bằng chuyên môn',
      req('qualification', choice('Văn bằng chuyên môn', [['duoc_si_dai_hoc', 'Bằng tốt nghiệp đại học ngành dược'], ['cao_dang_duoc', 'Bằng tốt nghiệp cao đẳng ngành dược'], ['trung_cap_duoc', 'Bằng tốt nghiệp trung cấp ngành dược'], ['y_hoc_co_truyen', 'Văn bằng y học cổ truyền, dược cổ truyền'], ['khac', 'Văn bằng khác theo quy định']])),
      req('degreeInstitution', str('Cơ sở đào tạo cấp văn bằng', 200)),
      req('graduationYear', str('Năm tốt nghiệp', 4, { pattern: PATTERN_YEAR })),
    ),
    step(
      'Phạm vi hành nghề và thực hành',
      req('practiceScope', textarea('Phạm vi hoạt động chuyên môn đề nghị', 1000, { description: 'Ví dụ: người chịu trách nhiệm chuyên môn về dược của nhà thuốc.' })),
      req('practiceHistory', group('Thời gian thực hành chuyên môn', [req('facility', str('Cơ sở thực hành', 200)), req('from', date('Từ ngày')), req('to', date('Đến ngày')), opt('position', str('Vị trí, công việc', 200))], 10, 1)),
    ),
  ]);
}

const KARAOKE_ROOMS = (title: string): JsonSchema =>
  group(title, [req('roomName', str('Tên hoặc số phòng', 50)), req('area', num('Diện tích phòng (m²)', 20, { description: 'Mỗi phòng hát tối thiểu 20 m², không kể công trình phụ.' }))], 100, 1);

function karaokeLicenceForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Cơ sở kinh doanh',
      req('businessName', str('Tên doanh nghiệp hoặc hộ kinh doanh', 200)),
      req('businessRegistrationNumber', str('Mã số doanh nghiệp hoặc số đăng ký hộ kinh doanh', 20)),
      req('premisesAddress', address('Địa điểm kinh doanh')),
      req('securityCertificateNumber', str('Số Giấy chứng nhận đủ điều kiện về an ninh, trật tự', 50)),
      req('area', choice('Khu vực', [['thanh_pho_thi_xa', 'Thành phố, thị xã thuộc tỉnh (cũ)'], ['khac', 'Khu vực khác']], { description: 'Phí thẩm định phụ thuộc khu vực và số phòng.' })),
    ),
    step('Phòng hát', req('rooms', KARAOKE_ROOMS('Danh sách phòng hát'))),
  ]);
}

function karaokeAmendmentForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người đề nghị', applicantFields()),
    step(
      'Giấy phép và nội dung điều chỉnh',
      req('licenceNumber', str('Số Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke', 50)),
      req('licenceIssuedOn', date('Ngày cấp')),
      req('amendmentType', choice('Nội dung điều chỉnh', [['tang_phong', 'Tăng số phòng'], ['giam_phong', 'Giảm số phòng'], ['doi_chu_so_huu', 'Thay đổi chủ sở hữu'], ['khac', 'Nội dung khác']], { description: 'Thay đổi địa điểm kinh doanh phải đề nghị cấp giấy phép mới.' })),
      opt('newOwnerName', str('Tên chủ sở hữu mới (nếu thay đổi chủ sở hữu)', 200)),
      opt('addedRooms', KARAOKE_ROOMS('Phòng hát tăng thêm')),
      opt('details', textarea('Trình bày thêm', 1000)),
    ),
  ]);
}

function productionRecoveryForm(title: string, o: { cause: 'disease' | 'disaster' }): JsonSchema {
  return buildForm(title, [
    step('Thông tin hộ sản xuất', applicantFields()),
    step(
      'Thiệt hại',
      o.cause === 'disease'
        ? req('diseaseName', str('Tên dịch bệnh', 200, { description: 'Ví dụ: dịch tả lợn châu Phi, cúm gia cầm.' }))
        : req('hazardType', choice('Loại thiên tai', [['bao', 'Bão, áp thấp nhiệt đới'], ['lu', 'Lũ, ngập lụt'], ['han_han', 'Hạn hán'], ['xam_nhap_man', 'Xâm nhập mặn'], ['sat_lo', 'Sạt lở'], ['khac', 'Loại khác']])),
      req('damageFrom', date('Thời gian xảy ra thiệt hại (từ ngày)')),
      req('productionType', choice('Lĩnh vực sản xuất', [['trong_trot', 'Trồng trọt'], ['chan_nuoi', 'Chăn nuôi'], ['thuy_san', 'Nuôi trồng thủy sản'], ['lam_nghiep', 'Lâm nghiệp'], ['diem_muoi', 'Sản xuất muối']])),
      req('damages', group('Bảng kê thiệt hại', [
        req('item', str('Cây trồng, vật nuôi, thủy sản bị thiệt hại', 200)),
        req('quantity', num('Số lượng hoặc diện tích', 0, { exclusiveMinimum: 0 })),
        req('unit', str('Đơn vị tính', 20, { description: 'Ví dụ: m², con, kg.' })),
        req('damagePercent', num('Mức độ thiệt hại (%)', 0, { maximum: 100 })),
      ], 30, 1)),
      req('damageLocation', address('Địa điểm sản xuất bị thiệt hại')),
    ),
    step('Nhận hỗ trợ', PAYMENT_FIELDS()),
  ]);
}

function budgetUnitCodeForm(title: string): JsonSchema {
  return buildForm(title, [
    step('Thông tin người kê khai', applicantFields({ emailRequired: true }), req('applicantPosition', str('Chức vụ', 100))),
    step(
      'Thông tin đơn vị',
      req('unitName', str('Tên đơn vị', 300)),
      req('unitKind', choice('Loại đăng ký', [['don_vi_du_toan', 'Đơn vị dự toán, đơn vị sử dụng ngân sách (mẫu 01-MSNS-BTC)'], ['du_an_dau_tu', 'Dự án đầu tư (mẫu 02-MSNS-BTC)'], ['don_vi_khac', 'Đơn vị khác có quan hệ với ngân sách (mẫu 03-MSNS-BTC)']])),
      req('establishmentDecision', str('Số, ngày quyết định thành lập hoặc quyết định đầu tư', 200)),
      req('governingAgency', str('Cơ quan chủ quản cấp trên', 300)),
      opt('governingAgencyCode', str('Mã số đơn vị có quan hệ với ngân sách của cơ quan chủ quản', 7, { pattern: '^\\d{7}$' })),
      req('unitAddress', address('Địa chỉ đơn vị')),
      req('headName', fullName('Họ tên thủ trưởng đơn vị')),
      req('unitPhone', phone('Điện thoại đơn vị')),
    ),
  ]);
}

type FormBuilder = (title: string) => JsonSchema;

/**
 * Local codes for the procedures whose national code the source does not give (code: null), keyed by the
 * source name. The codes are illustrative ("DT." + serial) and can never collide with national codes.
 */
const LOCAL_PROCEDURE_CODES: Record<string, string> = {
  'Thủ tục đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch': 'DT.001',
  'Thủ tục thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc': 'DT.002',
  'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở': 'DT.003',
  'Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận': 'DT.004',
  'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam': 'DT.005',
  'Đăng ký thành lập công ty TNHH hai thành viên trở lên': 'DT.006',
  'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ': 'DT.007',
  'Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp': 'DT.008',
  'Giải quyết hưởng trợ cấp thất nghiệp': 'DT.009',
  'Chi trả trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng khi đối tượng thay đổi nơi cư trú trong cùng địa bàn quận, huyện, thị xã, thành phố thuộc tỉnh': 'DT.010',
  'Chuyển trường đối với học sinh trung học cơ sở': 'DT.011',
  'Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ': 'DT.012',
  'Thủ tục cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (do cơ quan quản lý nhà nước về văn hóa cấp huyện cấp)': 'DT.013',
  'Thủ tục cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (do cơ quan quản lý nhà nước về văn hóa cấp huyện cấp)': 'DT.014',
  'Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh': 'DT.015',
  'Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai': 'DT.016',
  'Đăng ký mã số đơn vị có quan hệ với ngân sách': 'DT.017',
};

/** The e-form of each procedure, by its (national or local) code. */
const FORM_BUILDERS: Record<string, FormBuilder> = {
  '1.001193': (t) => birthForm(t),
  '1.000894': (t) => marriageForm(t),
  '1.000656': (t) => deathForm(t),
  '1.001022': (t) => recognitionForm(t),
  '1.000689': (t) => birthForm(t, { recognition: true }),
  '1.004873': (t) => maritalStatusForm(t),
  'DT.001': (t) => civilChangeForm(t),
  'DT.002': (t) => civilChangeForm(t, { ethnicity: true }),
  '2.000635': (t) => extractCopyForm(t),
  '1.004884': (t) => birthForm(t, { reRegistration: true }),
  '1.005461': (t) => deathForm(t, { reRegistration: true }),
  '1.004837': (t) => guardianshipForm(t),
  '2.000806': (t) => marriageForm(t, { foreign: true }),
  '2.000528': (t) => birthForm(t, { foreign: true }),
  '2.000815': (t) => copyCertificationForm(t),
  '2.000884': (t) => signatureCertificationForm(t),
  'DT.003': (t) => contractCertificationForm(t),
  '2.000942': (t) => contractCopyForm(t),
  'DT.004': (t) => copyCertificationForm(t, { foreignDocuments: true }),
  'DT.005': (t) => criminalRecordForm(t),
  '2.001263': (t) => adoptionForm(t),
  '1.001612': (t) => householdBusinessForm(t),
  '2.000720': (t) => householdBusinessChangeForm(t),
  '1.001570': (t) => householdBusinessSuspendForm(t),
  '1.001266': (t) => householdBusinessCloseForm(t),
  '2.001583': (t) => companyForm(t, { multiMember: false }),
  'DT.006': (t) => companyForm(t, { multiMember: true }),
  '1.013978': (t) => landFirstRegistrationForm(t),
  '1.013831': (t) => landTransferForm(t),
  '1.012783': (t) => landCertificateExchangeForm(t),
  '1.012786': (t) => landCertificateLostForm(t),
  '1.012784': (t) => landSplitMergeForm(t),
  '1.011441': (t) => landMortgageForm(t),
  '1.012796': (t) => landCorrectionForm(t),
  '1.013988': (t) => landDebtClearanceForm(t),
  '1.012812': (t) => landDisputeForm(t),
  'DT.007': (t) => buildingPermitForm(t),
  '1.013227': (t) => buildingPermitFollowUpForm(t, { kind: 'extend' }),
  '1.013228': (t) => buildingPermitFollowUpForm(t, { kind: 'reissue' }),
  'DT.008': (t) => drivingLicenceForm(t),
  '1.014199': (t) => workPermitForm(t),
  'DT.009': (t) => unemploymentForm(t),
  '1.001776': (t) => socialAllowanceForm(t),
  'DT.010': (t) => socialAllowanceMoveForm(t),
  '1.001699': (t) => disabilityForm(t),
  '1.001731': (t) => funeralSupportForm(t),
  'DT.011': (t) => schoolTransferForm(t),
  '3.000182': (t) => secondaryAdmissionForm(t),
  'DT.012': (t) => pharmacyCertificateForm(t),
  'DT.013': (t) => karaokeLicenceForm(t),
  'DT.014': (t) => karaokeAmendmentForm(t),
  'DT.015': (t) => productionRecoveryForm(t, { cause: 'disease' }),
  'DT.016': (t) => productionRecoveryForm(t, { cause: 'disaster' }),
  'DT.017': (t) => budgetUnitCodeForm(t),
};

// ---------------------------------------------------------------------------------------------------------
// Procedures
// ---------------------------------------------------------------------------------------------------------

/**
 * Province-level procedures → the department that implements them, by field. Department names are the
 * source's (pre-2025 structure); the note records the judgment.
 */
const PROVINCE_DEPARTMENT_BY_FIELD: Record<string, { department: string; note: string }> = {
  ly_lich_tu_phap: {
    department: 'Sở Tư pháp tỉnh Đồng Tháp',
    note: 'Nguồn: Sở Tư pháp nơi thường trú (hoặc tạm trú). Nguồn chưa xác minh việc chuyển thẩm quyền cấp Phiếu sang ngành Công an năm 2025.',
  },
  dang_ky_kinh_doanh: {
    department: 'Sở Kế hoạch và Đầu tư tỉnh Đồng Tháp',
    note: 'Phòng Đăng ký kinh doanh thuộc Sở KH&ĐT theo nguồn; nguồn ghi "nay thuộc Sở Tài chính — chưa xác minh", và danh sách sở trong nguồn vẫn có Sở KH&ĐT, nên dữ liệu demo gán Sở KH&ĐT.',
  },
  dat_dai: {
    department: 'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp',
    note: 'Nguồn: Văn phòng/Chi nhánh Văn phòng đăng ký đất đai (đơn vị cấp tỉnh); dữ liệu demo không có đơn vị trực thuộc sở nên gán cho Sở TN&MT (tên theo danh sách sở trong nguồn).',
  },
  giao_thong: {
    department: 'Sở Giao thông vận tải tỉnh Đồng Tháp',
    note: 'Nguồn (Đắk Lắk): Sở Giao thông vận tải. Nguồn chưa xác minh việc chuyển thẩm quyền cấp, đổi GPLX sang ngành Công an năm 2025.',
  },
  lao_dong: {
    department: 'Sở Lao động - Thương binh và Xã hội tỉnh Đồng Tháp',
    note: 'Cơ quan lao động, việc làm cấp tỉnh theo danh sách sở trong nguồn; dữ liệu demo không có đơn vị trực thuộc (ví dụ Trung tâm Dịch vụ việc làm nêu trong processingNote của thủ tục trợ cấp thất nghiệp).',
  },
  y_te: { department: 'Sở Y tế tỉnh Đồng Tháp', note: 'Nguồn: Sở Y tế cấp theo hình thức xét hồ sơ.' },
  thue_tai_chinh: { department: 'Sở Tài chính tỉnh Đồng Tháp', note: 'Thủ tục lĩnh vực tài chính (Sở Tài chính trên các trang nguồn của Hà Giang, Bình Thuận, Bắc Ninh).' },
};

const DISTRICT_LEVEL_NOTE =
  'Thủ tục cấp huyện trước 01/7/2025. Từ 01/7/2025 cấp huyện bị bỏ, thẩm quyền chuyển về cấp xã hoặc cấp tỉnh và chưa có bảng ánh xạ chính thức cho từng thủ tục (ghi chú chung của nguồn); dữ liệu demo gán cho các UBND cấp xã hiện hành.';
const COMMUNE_ASSIGNMENT_NOTE = 'Dữ liệu demo: mọi UBND xã, phường hiện hành (sau 01/7/2025) có trong agencies.json.';
const APPLICATION_FORM_RE = /^(Tờ khai|Đơn|Phiếu yêu cầu|Giấy đề nghị|Đề nghị|Văn bản đề nghị|Thông báo về|Thông báo thay đổi)/;

function templatePath(code: string): string {
  return `/thu-tuc/${code}/mau-don`;
}

/** Codes the source says were only seen in an NLP test file (notes: "Nhiều mã TTHC (...) chỉ thấy trong một tệp test NLP"). */
function secondaryOnlyCodes(notes: string[]): Set<string> {
  const note = notes.find((n) => n.startsWith('Nhiều mã TTHC'));
  if (!note) return new Set();
  const inParens = /\(([^)]*)\)/.exec(note)?.[1] ?? '';
  return new Set(inParens.match(/\d\.\d{6}/g) ?? []);
}

function lowConfidenceReasons(p: SourceProcedure, secondaryCodes: Set<string>): string[] {
  const reasons: string[] = [];
  if (p.sources.length === 0) reasons.push('không có nguồn (sources rỗng)');
  else if (p.sources.length === 1) reasons.push('chỉ có 1 nguồn');
  if (p.code && secondaryCodes.has(p.code)) reasons.push('mã TTHC chỉ thấy trong tệp test NLP (nguồn thứ cấp)');
  if (p.processingNote && /chưa đối chiếu|không xác minh|chưa xác minh|suy theo/i.test(p.processingNote)) reasons.push(`thời hạn: ${p.processingNote}`);
  if (p.fees === null) reasons.push('chưa xác minh mức thu');
  else if (p.feesNote && /chưa xác minh/i.test(p.feesNote)) reasons.push(`phí: ${p.feesNote}`);
  if (p.note) reasons.push(`ghi chú nguồn: ${p.note}`);
  return reasons.map((r) => r.replace(/\.\s*$/, ''));
}

function buildProcedures(src: SourceData, ag: AgenciesResult): ProcedureOut[] {
  const secondaryCodes = secondaryOnlyCodes(src.notes);
  const usedLocalNames = new Set<string>();
  const procedures = src.procedures.map((p): ProcedureOut => {
    let code: string;
    const provenance: Provenance = { sources: [...p.sources], confidence: p.confidence };
    if (p.note) provenance.note = p.note;
    provenance.sourceField = p.field;
    if (p.code) {
      code = p.code;
      if (secondaryCodes.has(p.code)) provenance.codeNote = 'Mã chỉ thấy trong nguồn thứ cấp (tệp test NLP gắn với CSDL DVCQG) — xem notes của catalog-sources.json.';
    } else {
      code = LOCAL_PROCEDURE_CODES[p.name] ?? fail(`Procedure "${p.name}" has no national code and no entry in LOCAL_PROCEDURE_CODES`);
      usedLocalNames.add(p.name);
      provenance.nationalCode = null;
      provenance.codeNote = `${code} là mã nội bộ minh họa của dữ liệu demo: nguồn không có mã TTHC quốc gia cho thủ tục này.`;
    }

    // Fees: null in the source = amount not verified; [] = free according to the source.
    let fees: ProcedureOut['fees'];
    let feesNote: string | null;
    if (p.fees === null) {
      fees = [];
      feesNote = p.feesNote ? `Chưa xác minh mức thu. ${p.feesNote}` : 'Chưa xác minh mức thu.';
      provenance.feesNote = 'Chưa xác minh mức thu (nguồn ghi fees = null).';
      provenance.feesVerified = false;
    } else {
      fees = p.fees.map((f) => ({
        name: f.name,
        amountVnd: f.amountVnd,
        ...(f.note ? { note: f.note } : /^Mức thu tối đa/i.test(f.name) ? { note: 'Mức trần, không phải khoản thu cộng thêm.' } : {}),
      }));
      feesNote = p.feesNote ?? (p.fees.length === 0 ? 'Không thu phí, lệ phí (theo nguồn).' : null);
    }

    // Documents: "either" → original-or-copy; a document the applicant only shows ("xuất trình") → present.
    const mappings = new Set<string>();
    let templated = false;
    const documents = p.documents.map((d) => {
      let form: ProcedureOut['documents'][number]['form'];
      if (d.form === 'either') {
        form = 'original-or-copy';
        mappings.add("form 'either' của nguồn → 'original-or-copy'");
      } else if (d.form === 'original' && /xuất trình/i.test(`${d.name} ${d.note ?? ''}`)) {
        form = 'present';
        mappings.add("giấy tờ ghi 'xuất trình' (nguồn: original) → 'present'");
      } else form = d.form;
      const isApplicationForm = !templated && (/theo mẫu/i.test(d.name) || APPLICATION_FORM_RE.test(d.name));
      if (isApplicationForm) templated = true;
      return {
        name: d.name,
        form,
        quantity: d.quantity,
        ...(d.note ? { note: d.note } : {}),
        ...(isApplicationForm ? { template: templatePath(code) } : {}),
      };
    });
    if (mappings.size > 0) provenance.documentFormMapping = [...mappings].join('; ');

    const onlineLevel = p.onlineLevel ?? 'partial';
    if (p.onlineLevel === null) provenance.onlineLevelAssigned = 'demo-default';

    let agencyCodes: string[];
    if (p.level === 'province') {
      const rule = PROVINCE_DEPARTMENT_BY_FIELD[p.fieldGroup] ?? fail(`Province-level procedure ${code} in field ${p.fieldGroup}: no department rule`);
      const dept = ag.departmentCodeByName.get(rule.department) ?? fail(`Department "${rule.department}" is not in the source's department list`);
      agencyCodes = [dept];
      provenance.agencyAssignment = rule.note;
    } else {
      agencyCodes = [...ag.currentCommuneCommitteeCodes];
      provenance.agencyAssignment = COMMUNE_ASSIGNMENT_NOTE;
      if (p.level === 'district') provenance.levelNote = DISTRICT_LEVEL_NOTE;
    }
    agencyCodes.sort(compareStrings);

    if (p.confidence === 'low') provenance.lowConfidenceReasons = lowConfidenceReasons(p, secondaryCodes);

    const builder = FORM_BUILDERS[code] ?? fail(`No e-form builder for procedure ${code} (${p.name}): add one to FORM_BUILDERS`);
    return {
      code,
      status: 'published',
      name: p.name,
      nameEn: p.nameEn,
      fieldCode: p.fieldGroup,
      levelOfGovernment: p.level,
      onlineLevelScheme: '2022',
      onlineLevel,
      processingDays: p.processingDays,
      processingNote: p.processingNote,
      fees,
      feesNote,
      documents,
      resultType: p.resultType,
      legalBasis: [...p.legalBasis],
      agencyCodes,
      formSchema: builder(p.name),
      provenance,
    };
  });
  const unusedLocal = Object.keys(LOCAL_PROCEDURE_CODES).filter((n) => !usedLocalNames.has(n));
  check(unusedLocal.length === 0, `LOCAL_PROCEDURE_CODES has names not found among code-less procedures: ${unusedLocal.join(' | ')}`);
  const unusedBuilders = Object.keys(FORM_BUILDERS).filter((c) => !procedures.some((p) => p.code === c));
  check(unusedBuilders.length === 0, `FORM_BUILDERS has codes with no procedure: ${unusedBuilders.join(', ')}`);
  return procedures;
}

// ---------------------------------------------------------------------------------------------------------
// Validation of the output (throws before anything is written)
// ---------------------------------------------------------------------------------------------------------

const SAMPLE_BY_PATTERN: Record<string, string> = {
  [PATTERN_CCCD]: '087203004567',
  [PATTERN_PHONE]: '0912345678',
  [PATTERN_MONTH_YEAR]: '01/2015',
  [PATTERN_TAX_CODE]: '1400123456',
  [PATTERN_SOCIAL_INSURANCE]: '8712345678',
  // PATTERN_VSIC is the same expression as PATTERN_YEAR (four digits): one sample serves both.
  [PATTERN_YEAR]: '2010',
  '^\\d{4}-\\d{4}$': '2025-2026',
  '^\\d{7}$': '1234567',
  '^([01]\\d|2[0-3]):[0-5]\\d$': '14:30',
};

/** A value that should satisfy the schema: with all=true every optional property is filled too. */
function sampleValue(schema: JsonSchema, all: boolean, where: string): unknown {
  if (Array.isArray(schema.oneOf)) return (schema.oneOf[0] as { const: unknown }).const;
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(props)) {
        if (all || required.includes(name)) out[name] = sampleValue(sub, all, `${where}.${name}`);
      }
      if (schema['x-widget'] === 'address') Object.assign(out, { provinceCode: '82', communeCode: '29869' });
      return out;
    }
    case 'array': {
      const n = Math.max(Number(schema.minItems ?? 1), 1);
      return Array.from({ length: n }, () => sampleValue(schema.items as JsonSchema, all, `${where}[]`));
    }
    case 'string': {
      if (schema.format === 'date') return '2025-07-01';
      if (schema.format === 'email') return 'nguoidan@example.vn';
      if (typeof schema.pattern === 'string') return SAMPLE_BY_PATTERN[schema.pattern] ?? fail(`${where}: no sample for pattern ${schema.pattern} (add one to SAMPLE_BY_PATTERN)`);
      return 'Nội dung mẫu'.slice(0, Number(schema.maxLength ?? 50));
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : Number(schema.minimum ?? 0);
      const value = Math.max(min, 1);
      return typeof schema.maximum === 'number' ? Math.min(value, schema.maximum) : value;
    }
    case 'boolean':
      return true;
    default:
      return fail(`${where}: unsupported type ${String(schema.type)}`);
  }
}

const FIELD_NAME_RE = /^[a-z][a-zA-Z0-9]*$/;
const ALLOWED_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Checks the renderer's conventions on one property schema, recursively. */
function checkPropertySchema(schema: JsonSchema, where: string): void {
  check(typeof schema.title === 'string' && schema.title.length > 0, `${where}: every property needs a Vietnamese title`);
  check(typeof schema.type === 'string' && ALLOWED_TYPES.has(schema.type), `${where}: type must be one of ${[...ALLOWED_TYPES].join(', ')}`);
  check(!('contentMediaType' in schema) && !('contentEncoding' in schema) && schema.format !== 'binary' && schema['x-widget'] !== 'file', `${where}: file-upload fields are not allowed (attachments come from documents)`);
  if (schema.type === 'string' && !Array.isArray(schema.oneOf) && schema.format !== 'date') {
    check(typeof schema.maxLength === 'number', `${where}: text fields need maxLength`);
  }
  if (Array.isArray(schema.oneOf)) {
    check(schema.type === 'string', `${where}: select fields are strings`);
    for (const o of schema.oneOf as JsonSchema[]) check(typeof o.const === 'string' && typeof o.title === 'string', `${where}: each option needs const and title`);
  }
  if (schema.type === 'integer' || schema.type === 'number') check(typeof schema.minimum === 'number', `${where}: numbers need a minimum`);
  if (schema['x-widget'] === 'address') {
    const props = schema.properties as Record<string, JsonSchema>;
    check(schema.type === 'object' && props && props.provinceCode && props.communeCode && props.street, `${where}: address needs provinceCode, communeCode, street`);
    check(JSON.stringify(schema.required) === JSON.stringify(['provinceCode', 'communeCode']), `${where}: address requires provinceCode and communeCode`);
    return;
  }
  if (schema.type === 'object') fail(`${where}: objects other than addresses are not part of the form conventions`);
  if (schema.type === 'array') {
    check(typeof schema.maxItems === 'number', `${where}: repeating groups need maxItems`);
    const items = schema.items as JsonSchema;
    check(items && items.type === 'object' && items.properties, `${where}: repeating group items must be objects with properties`);
    const props = items.properties as Record<string, JsonSchema>;
    for (const r of (items.required ?? []) as string[]) check(r in props, `${where}: required ${r} is not a property of the group`);
    for (const [name, sub] of Object.entries(props)) {
      check(FIELD_NAME_RE.test(name), `${where}.${name}: field names are camelCase ASCII`);
      checkPropertySchema(sub, `${where}.${name}`);
    }
  }
}

function validateOutput(
  fields: FieldOut[],
  au: AdminUnitsResult,
  ag: AgenciesResult,
  procedures: ProcedureOut[],
  src: SourceData,
): void {
  // fields
  const fieldCodes = new Set(fields.map((f) => f.code));
  check(fieldCodes.size === fields.length, 'fields: duplicate code');

  // admin units
  const units = new Map<string, AdminUnitOut>();
  for (const u of au.units) {
    check(!units.has(u.key), `admin-units: duplicate key ${u.key}`);
    units.set(u.key, u);
  }
  const gsoFrom = new Set<string>();
  for (const u of au.units) {
    const where = `admin-units ${u.key}`;
    check(!gsoFrom.has(`${u.gsoCode}@${u.validFrom}`), `${where}: (gsoCode, validFrom) is not unique`);
    gsoFrom.add(`${u.gsoCode}@${u.validFrom}`);
    check(/^\d{4}-\d{2}-\d{2}$/.test(u.validFrom) && (u.validTo === null || u.validTo > u.validFrom), `${where}: bad validity ${u.validFrom}..${u.validTo}`);
    check(Array.isArray(u.provenance.sources) && u.provenance.sources.length > 0 && u.provenance.confidence, `${where}: provenance incomplete`);
    if (u.parentKey === null) check(u.level === 'province', `${where}: only provinces have no parent`);
    else {
      const parent = units.get(u.parentKey) ?? fail(`${where}: parentKey ${u.parentKey} does not exist`);
      const expected = u.level === 'district' ? ['province'] : u.level === 'commune' ? ['district', 'province'] : [];
      check(expected.includes(parent.level), `${where}: a ${u.level} cannot hang under a ${parent.level}`);
      check(u.validFrom >= parent.validFrom && (parent.validTo === null || (u.validTo !== null && u.validTo <= parent.validTo)), `${where}: validity outside its parent's`);
      check(u.key.startsWith(`${parent.key}/`), `${where}: key does not extend its parent's key`);
    }
  }
  const pairs = new Set<string>();
  for (const s of au.successions) {
    const where = `admin-units succession ${s.predecessorKey} → ${s.successorKey}`;
    const pred = units.get(s.predecessorKey) ?? fail(`${where}: predecessor does not exist`);
    const succ = units.get(s.successorKey) ?? fail(`${where}: successor does not exist`);
    check(!pairs.has(`${s.predecessorKey}>${s.successorKey}`), `${where}: duplicate`);
    pairs.add(`${s.predecessorKey}>${s.successorKey}`);
    check(pred.validTo !== null && pred.validTo < s.effectiveOn && succ.validFrom === s.effectiveOn, `${where}: dates do not meet at ${s.effectiveOn}`);
    check(pred.level === succ.level || (pred.level === 'province' && succ.level === 'province'), `${where}: level changes`);
  }

  // agencies
  const agencies = new Map<string, AgencyOut>();
  for (const a of ag.agencies) {
    check(!agencies.has(a.code), `agencies: duplicate code ${a.code}`);
    agencies.set(a.code, a);
  }
  for (const a of ag.agencies) {
    const where = `agency ${a.code} (${a.name})`;
    check(AGENCY_CODE_RE.test(a.code), `${where}: code does not match V1V2V3.Z1Z2.Y1Y2.MX1X2`);
    const [v, z, y, mx] = a.code.split('.') as [string, string, string, string];
    check(mx === PROVINCE_SUFFIX, `${where}: level-1 group must be ${PROVINCE_SUFFIX}`);
    check(v === '000' || (z !== '00' && y !== '00'), `${where}: level 4 is set while a group above it is zero`);
    check(z === '00' || y !== '00', `${where}: level 3 is set while level 2 is zero`);
    const expectedParent = v !== '000' ? `000.${z}.${y}.${mx}` : z !== '00' ? `000.00.${y}.${mx}` : y !== '00' ? `000.00.00.${mx}` : null;
    check(a.parentCode === expectedParent, `${where}: parentCode ${a.parentCode} does not match the code hierarchy (expected ${expectedParent})`);
    if (a.parentCode) check(agencies.has(a.parentCode), `${where}: parentCode ${a.parentCode} does not exist`);
    if (a.adminUnitKey) {
      const unit = units.get(a.adminUnitKey) ?? fail(`${where}: adminUnitKey ${a.adminUnitKey} does not exist`);
      if (a.kind === 'peoples_committee' && a.level !== 'province') {
        check(unit.level === a.level && unit.validFrom === a.validFrom && unit.validTo === a.validTo, `${where}: level or validity differs from its unit ${unit.key}`);
      }
    }
    check(a.validTo === null || a.validTo > a.validFrom, `${where}: bad validity`);
    check(a.codeVerified || String(a.provenance.note ?? '').includes(ILLUSTRATIVE_CODE_NOTE), `${where}: an unverified code needs the note "${ILLUSTRATIVE_CODE_NOTE}"`);
    check(Array.isArray(a.provenance.sources) && a.provenance.confidence, `${where}: provenance incomplete`);
  }
  for (const d of src.province.before_2025_07_01.departments) {
    const a = agencies.get(ag.departmentCodeByName.get(d.name) ?? '') ?? fail(`Department ${d.name} missing from agencies`);
    check(a.provenance.verified === d.verified && a.provenance.sourceNote === d.sourceNote, `${a.name}: verified/sourceNote not kept`);
    if (d.agencyCode) check(a.code === d.agencyCode && a.codeVerified, `${a.name}: source code ${d.agencyCode} not kept`);
  }
  check(src.province.before_2025_07_01.departments.length >= 8, 'At least 8 departments are required');
  check(ag.agencies.filter((a) => a.level === 'district').length === au.oldDistricts.length, 'Every pre-2025 district needs a committee');
  for (const s of ag.successions) {
    const where = `agency succession ${s.predecessorCode} → ${s.successorCode}`;
    const pred = agencies.get(s.predecessorCode) ?? fail(`${where}: predecessor does not exist`);
    const succ = agencies.get(s.successorCode) ?? fail(`${where}: successor does not exist`);
    check(pred.validTo !== null && pred.validTo < s.effectiveOn && succ.validFrom === s.effectiveOn, `${where}: dates do not meet`);
  }

  // procedures
  check(procedures.length === src.procedures.length, `procedures: ${procedures.length} written for ${src.procedures.length} in the source`);
  const codes = new Set<string>();
  const ajv = new Ajv2020Class({ strict: false, allErrors: true });
  addFormatsPlugin(ajv);
  for (const p of procedures) {
    const where = `procedure ${p.code}`;
    check(!codes.has(p.code), `${where}: duplicate procedure code`);
    codes.add(p.code);
    check(fieldCodes.has(p.fieldCode), `${where}: fieldCode ${p.fieldCode} does not exist`);
    check(['partial', 'full', 'info'].includes(p.onlineLevel), `${where}: onlineLevel ${p.onlineLevel}`);
    check(p.agencyCodes.length > 0, `${where}: no implementing agency`);
    for (const c of p.agencyCodes) {
      const a = agencies.get(c) ?? fail(`${where}: agencyCode ${c} does not exist in agencies.json`);
      check(a.validTo === null, `${where}: agency ${c} is not current`);
    }
    for (const f of p.fees) check(Number.isInteger(f.amountVnd) && f.amountVnd >= 0, `${where}: fee "${f.name}" amount ${f.amountVnd} is not a non-negative integer`);
    if (p.fees.length === 0) check(p.feesNote !== null, `${where}: an empty fee list needs a feesNote (free or unverified)`);
    for (const d of p.documents) {
      check(['original', 'copy', 'original-or-copy', 'present'].includes(d.form), `${where}: document form ${d.form}`);
      check(Number.isInteger(d.quantity) && d.quantity >= 1, `${where}: document quantity ${d.quantity}`);
      if (d.template !== undefined) check(d.template === templatePath(p.code), `${where}: template path ${d.template}`);
    }
    check(Array.isArray(p.provenance.sources) && ['high', 'medium', 'low'].includes(p.provenance.confidence), `${where}: provenance incomplete`);

    const fs = p.formSchema;
    check(fs.type === 'object' && fs.title === p.name, `${where}: formSchema root must be an object titled with the procedure name`);
    const props = fs.properties as Record<string, JsonSchema>;
    const required = fs.required as string[];
    const steps = fs['x-steps'] as Array<{ title: string; fields: string[] }>;
    check(steps.length >= 1 && steps.length <= 4, `${where}: ${steps.length} steps (1–4 allowed)`);
    const seen = new Map<string, number>();
    for (const s of steps) {
      check(s.title && s.fields.length > 0, `${where}: empty step "${s.title}"`);
      for (const f of s.fields) seen.set(f, (seen.get(f) ?? 0) + 1);
    }
    for (const name of Object.keys(props)) check(seen.get(name) === 1, `${where}: property ${name} appears in ${seen.get(name) ?? 0} steps (must be exactly 1)`);
    for (const name of seen.keys()) check(name in props, `${where}: step field ${name} is not a property`);
    for (const r of required) check(r in props, `${where}: required ${r} is not a property`);
    for (const common of ['applicantName', 'applicantIdNumber', 'applicantPhone', 'applicantEmail', 'applicantAddress']) {
      check(common in props, `${where}: the applicant's common field ${common} is missing`);
    }
    for (const [name, sub] of Object.entries(props)) {
      check(FIELD_NAME_RE.test(name), `${where}: field name ${name} is not camelCase ASCII`);
      checkPropertySchema(sub, `${where}.${name}`);
    }
    let validate;
    try {
      validate = ajv.compile(fs);
    } catch (e) {
      fail(`${where}: formSchema is not valid JSON Schema: ${(e as Error).message}`);
    }
    for (const all of [false, true]) {
      const sample = sampleValue(fs, all, where);
      check(validate(sample), `${where}: a ${all ? 'complete' : 'minimal'} sample does not validate: ${ajv.errorsText(validate.errors)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// README and output
// ---------------------------------------------------------------------------------------------------------

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function countBy<T>(items: T[], key: (t: T) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()];
}

function buildReadme(src: SourceData, fields: FieldOut[], au: AdminUnitsResult, ag: AgenciesResult, procedures: ProcedureOut[]): string {
  const r = au.report;
  const lines: string[] = [];
  const fieldName = new Map(fields.map((f) => [f.code, f.name]));
  lines.push(
    '# Dữ liệu demo MộtCửa — tỉnh Đồng Tháp',
    '',
    'Sinh tự động, **không sửa tay**. Lệnh (chạy từ thư mục gốc của repo):',
    '',
    '```sh',
    'npx tsx scripts/build-demo-data.ts',
    '```',
    '',
    `Đầu vào: \`../shared/data/catalog-sources.json\` (compiledOn ${src.meta.compiledOn}). Bộ sinh đọc toàn bộ tệp, kiểm tra dữ liệu ra (mã trùng, tham chiếu, mã định danh, e-form biên dịch được bằng Ajv 2020-12 và một bản mẫu tối thiểu và đầy đủ của mỗi e-form phải hợp lệ) rồi mới ghi; chạy lại cho kết quả giống hệt (thứ tự cố định, không có dấu thời gian).`,
    '',
    '| Tệp | Nội dung |',
    '|---|---|',
    `| \`fields.json\` | ${fields.length} lĩnh vực (meta.fieldGroups), kèm tên tiếng Anh |`,
    `| \`admin-units.json\` | ${au.units.length} đơn vị hành chính (trước và sau 01/7/2025) và ${au.successions.length} quan hệ kế thừa |`,
    `| \`agencies.json\` | ${ag.agencies.length} cơ quan và ${ag.successions.length} quan hệ kế thừa |`,
    `| \`procedures.json\` | ${procedures.length} thủ tục theo định dạng nhập/xuất danh mục, mỗi thủ tục có e-form (\`formSchema\`) |`,
    '',
    '## Quy tắc nguồn gốc (provenance)',
    '',
    '- Mỗi bản ghi giữ `provenance` với `sources`, `confidence` và ghi chú của nguồn; không bỏ thông tin nào của nguồn và không thêm nguồn không có trong tệp đầu vào (nếu nguồn rỗng thì `sources: []`).',
    '- Những gì bộ sinh tự thêm đều được đánh dấu: mã cơ quan minh họa (`codeVerified: false`, ghi chú "mã minh họa, chưa đối chiếu nguồn"), mã thủ tục nội bộ `DT.xxx` (`provenance.nationalCode: null`), mức độ trực tuyến mặc định (`provenance.onlineLevelAssigned: "demo-default"`), cách gán cơ quan thực hiện (`provenance.agencyAssignment`, `provenance.levelNote`), ánh xạ hình thức giấy tờ (`provenance.documentFormMapping`).',
    '- Phí, lệ phí: nguồn `fees = null` (chưa xác minh) → `fees: []`, `feesNote` bắt đầu bằng "Chưa xác minh mức thu" và `provenance.feesVerified: false`; nguồn `fees = []` (miễn, không thu) → `fees: []` với `feesNote` của nguồn hoặc "Không thu phí, lệ phí (theo nguồn)". Mức phí do HĐND tỉnh quy định là của tỉnh nguồn, không phải của Đồng Tháp (xem `note`). Các dòng phí là danh sách các mức theo trường hợp, không phải các khoản cộng dồn.',
    '',
    '## Quyết định khi sinh dữ liệu',
    '',
    `- **Mã thủ tục nội bộ**: ${procedures.filter((p) => p.provenance.nationalCode === null).length} thủ tục nguồn không có mã quốc gia được gán mã \`DT.001\`… (bảng \`LOCAL_PROCEDURE_CODES\` trong bộ sinh, theo tên thủ tục), không thể trùng mã quốc gia dạng \`1.001193\`.`,
    '- **Mẫu đơn**: giấy tờ ghi "theo mẫu", hoặc giấy tờ đầu tiên là đơn/tờ khai của người nộp (bắt đầu bằng "Tờ khai", "Đơn", "Phiếu yêu cầu", "Giấy đề nghị", "Đề nghị", "Văn bản đề nghị", "Thông báo về/thay đổi"), có `template: "/thu-tuc/<code>/mau-don"`; mỗi thủ tục tối đa một mẫu.',
    "- **Hình thức giấy tờ**: `either` của nguồn → `original-or-copy`; giấy tờ nguồn ghi `original` nhưng chỉ xuất trình (\"xuất trình\") → `present`.",
    '- **Cơ quan thực hiện**: thủ tục cấp xã và cấp huyện (cũ) → mọi UBND xã, phường hiện hành trong `agencies.json` (cấp huyện kèm `levelNote`); thủ tục cấp tỉnh → sở theo lĩnh vực (bảng `PROVINCE_DEPARTMENT_BY_FIELD`, lý do ghi ở `provenance.agencyAssignment`).',
    `- **Mã định danh cơ quan** (QĐ 20/2020/QĐ-TTg, \`V1V2V3.Z1Z2.Y1Y2.MX1X2\`): UBND tỉnh \`000.00.00.H20\` và Sở TT&TT \`000.00.14.H20\` theo nguồn; \`000.00.01.H20\` (nguồn thấy nhưng mơ hồ) gán minh họa cho Văn phòng UBND tỉnh; sở khác 02–29; UBND cấp huyện (cũ) ${DISTRICT_GROUP_START}–${DISTRICT_GROUP_START + au.oldDistricts.length - 1}; UBND xã (cũ) dưới huyện dùng nhóm cấp 3 theo thứ tự mã GSO trong huyện; UBND xã, phường sau 01/7/2025 (trực thuộc tỉnh) dùng nhóm cấp 2 từ ${NEW_COMMUNE_GROUP_START}. Chỉ có 99 mã cấp 2 nên chỉ tạo cơ quan cho ${ag.currentCommuneCommitteeCodes.length} xã, phường hiện hành.`,
    '- **Sở**: giữ tên sở trong nguồn (cơ cấu trước sắp xếp 2025) vì nguồn không cho tên sau 01/7/2025; `validTo: null`.',
    `- **Hiệu lực**: đơn vị, cơ quan trước 01/7/2025 dùng \`validFrom: "${LOWER_BOUND}"\` làm cận dưới quy ước (ghi trong provenance), \`validTo: "${LAST_DAY_BEFORE_MERGER}"\`; sau sáp nhập \`validFrom: "${MERGER_DATE}"\`.`,
    '- **UBND cấp huyện** không có cơ quan kế thừa (thẩm quyền chia cho UBND cấp xã và các sở).',
    '',
    '## Số lượng',
    '',
    '| Lĩnh vực | Số thủ tục |',
    '|---|---|',
    ...fields.map((f) => `| ${f.name} (\`${f.code}\`) | ${procedures.filter((p) => p.fieldCode === f.code).length} |`),
    '',
    '| Cấp | Đơn vị hành chính | Cơ quan |',
    '|---|---|---|',
    ...(['province', 'district', 'commune'] as const).map(
      (lvl) => `| ${lvl} | ${au.units.filter((u) => u.level === lvl).length} | ${ag.agencies.filter((a) => a.level === lvl).length} |`,
    ),
    '',
    '## Kế thừa đơn vị hành chính (01/7/2025)',
    '',
    `Mỗi tên trong \`formedFrom\` của ${r.newCommunesTotal} xã, phường mới được khớp với xã, phường cũ của Đồng Tháp (xem chú thích của \`matchSuccessions\` trong bộ sinh). Chỉ tạo quan hệ khi khớp không mơ hồ; mỗi quan hệ có \`note\` nêu cách khớp.`,
    '',
    `- Tên trong formedFrom: ${r.itemsTotal}; khớp: ${r.matched} (${Object.entries(r.matchedByMethod).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}); thuộc Tiền Giang cũ (không có trong dữ liệu): ${r.external}; không khớp được: ${r.unresolved.length}.`,
    `- Xã, phường cũ của Đồng Tháp có đơn vị kế thừa: ${r.oldCommunesWithSuccessor}/${r.oldCommunesTotal}${r.oldCommunesWithoutSuccessor.length ? ` (chưa có: ${r.oldCommunesWithoutSuccessor.map((c) => `${c.name}, ${c.districtName}`).join('; ')})` : ''}.`,
    `- Xã, phường mới có đơn vị tiền thân trong dữ liệu: ${r.newCommunesWithPredecessorInData}/${r.newCommunesTotal} (${r.newCommunesWithoutPredecessorInData} xã, phường hình thành hoàn toàn từ Tiền Giang cũ).`,
    `- Đơn vị bị tách: ${r.oldCommunesSplit.map((s) => `${s.old.name} (${s.old.districtName}) → ${s.successors.join(', ')}`).join('; ') || 'không có'}.`,
    `- Khớp sau chuẩn hóa chính tả: ${r.normalizedSpellings.join('; ') || 'không có'}.`,
    `- Tên Tiền Giang trùng tên xã cũ Đồng Tháp (không khớp, vì thuộc xã mới giữ mã Tiền Giang và xã Đồng Tháp cùng tên đã có đơn vị kế thừa): ${r.tgNameCollisions.join('; ') || 'không có'}.`,
    ...(r.unresolved.length ? ['', 'Không khớp được:', '', ...r.unresolved.map((i) => `- ${i.newName}: "${i.raw}" — ${i.reason ?? ''}`)] : []),
    '',
    '## Thủ tục có độ tin cậy thấp (confidence: low)',
    '',
    '| Mã | Tên | Lý do |',
    '|---|---|---|',
    ...procedures
      .filter((p) => p.provenance.confidence === 'low')
      .map((p) => `| ${p.code} | ${mdCell(p.name)} (${fieldName.get(p.fieldCode)}) | ${mdCell(((p.provenance.lowConfidenceReasons as string[]) ?? []).join('; '))} |`),
    '',
    '## Mã định danh cơ quan minh họa (codeVerified: false)',
    '',
    '| Mã | Cơ quan | Cấp | Hiệu lực |',
    '|---|---|---|---|',
    ...ag.agencies
      .filter((a) => !a.codeVerified)
      .map((a) => `| ${a.code} | ${mdCell(a.name)} | ${a.level} | ${a.validFrom} – ${a.validTo ?? 'nay'} |`),
    '',
    `Mã đã xác minh theo nguồn: ${ag.agencies.filter((a) => a.codeVerified).map((a) => `\`${a.code}\` ${a.name}`).join('; ')}.`,
    '',
  );
  return lines.join('\n');
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function main(): void {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const sourcePath = path.resolve(repoRoot, '../shared/data/catalog-sources.json');
  const outDir = path.resolve(repoRoot, 'data/demo');

  let src: SourceData;
  try {
    src = JSON.parse(readFileSync(sourcePath, 'utf8')) as SourceData;
  } catch (e) {
    fail(`Cannot read ${sourcePath}: ${(e as Error).message}`);
  }
  checkSource(src);

  const fields = buildFields(src);
  const adminUnits = buildAdminUnits(src);
  const agencies = buildAgencies(src, adminUnits);
  const procedures = buildProcedures(src, agencies);
  validateOutput(fields, adminUnits, agencies, procedures, src);

  mkdirSync(outDir, { recursive: true });
  writeJson(path.join(outDir, 'fields.json'), fields);
  writeJson(path.join(outDir, 'admin-units.json'), { units: adminUnits.units, successions: adminUnits.successions });
  writeJson(path.join(outDir, 'agencies.json'), { agencies: agencies.agencies, successions: agencies.successions });
  writeJson(path.join(outDir, 'procedures.json'), procedures);
  writeFileSync(path.join(outDir, 'README.md'), buildReadme(src, fields, adminUnits, agencies, procedures), 'utf8');

  const r = adminUnits.report;
  const summary = [
    `Wrote ${path.relative(repoRoot, outDir)}/{fields,admin-units,agencies,procedures}.json and README.md`,
    `  fields: ${fields.length}`,
    `  procedures: ${procedures.length} (${countBy(procedures, (p) => p.fieldCode).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  admin units: ${countBy(adminUnits.units, (u) => u.level).map(([k, v]) => `${k} ${v}`).join(', ')}; successions ${adminUnits.successions.length}`,
    `  formedFrom names: ${r.itemsTotal}, matched ${r.matched} (${Object.entries(r.matchedByMethod).sort().map(([k, v]) => `${k} ${v}`).join(', ')}), former Tiền Giang ${r.external}, unresolved ${r.unresolved.length}`,
    `  old communes with a successor: ${r.oldCommunesWithSuccessor}/${r.oldCommunesTotal}; new communes with a predecessor in our data: ${r.newCommunesWithPredecessorInData}/${r.newCommunesTotal}`,
    `  agencies: ${countBy(agencies.agencies, (a) => a.level).map(([k, v]) => `${k} ${v}`).join(', ')}; successions ${agencies.successions.length}`,
    `  low confidence: ${procedures.filter((p) => p.provenance.confidence === 'low').map((p) => p.code).join(', ')}`,
  ];
  console.log(summary.join('\n'));
}

try {
  main();
} catch (e) {
  if (e instanceof DemoDataError) {
    console.error(`build-demo-data: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
