// Data generator for the inbox benchmark (bench/inbox/run.ts): a fresh PostgreSQL database with
// the schema (migrations), the demo data (seedDemo) and N generated dossiers with their event
// logs, as two years of a province's one-stop offices would leave them. Not part of `npm test`.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/inbox/generate.ts
//   … generate.ts --count 200000 --database motcua_bench_inbox_small --replace
//
// DATABASE_URL names the PostgreSQL server, as for test/helpers/database.ts: the database
// `--database` (default motcua_bench_inbox) is created there and left in place for run.ts; an
// existing one is refused unless `--replace` drops it first. Drop it afterwards with
// `dropdb -h 127.0.0.1 -U postgres motcua_bench_inbox` (or run.ts --drop).
//
// Options: --count N (default 1,000,000), --database NAME, --replace, --batch N (dossiers per
// transaction, default 5,000), --citizens N (owner accounts, default 200), --seed N (the PRNG
// seed: the same seed and count give the same dossiers, codes and events, "now" apart),
// --fk-checks after|during (see Loading), --keep-indexes (see Loading).
//
// What is generated, consistent with what the product itself writes (submitDossier,
// receiveWalkIn, performAction, resubmitDossier, withdrawDossier), but loaded in bulk:
// - Dossiers at the 18 current commune agencies (000.00.51–68.H20; agency weights 0.6 to 1.5,
//   phường Mỹ Tho 000.00.51.H20 the largest at 1.8, about 9% of all) for the published
//   procedures those agencies take online (popular ones weighted: certified copies, signatures,
//   births...), received over the last 730 days: working days full, weekends and holidays light,
//   office hours busiest, a mild growth over the two years. About half of what arrives in office
//   hours comes to the desk or by post (channels 1 and 3, entered by a reception officer who owns
//   the record, as receiveWalkIn does); the rest is online (channel 2, owned by one of 200
//   citizen accounts). Before 1 July 2025 these communes did not exist yet (the demo data's
//   merger date); their codes are used for the whole two years all the same.
// - Codes in the Circular 01/2018 format (<agency>-<YYMMDD>-<serial of the day, 4 digits>), the
//   serial counted per agency and local (UTC+7) day in order of receipt, so every code is unique;
//   dossier_serial holds each agency's last serial of each day, as takeDailySerial leaves it.
// - Every dossier's history is simulated with the product's own calendar (working days, office
//   hours, holidays: loadWorkingDays) and workflow (the default steps of workflowOf): receipt,
//   the reception check (accept, ask for documents, refuse; or the applicant withdraws), the
//   assignment to a specialist, processing (possibly paused once: documents, payment or a stop),
//   the forward to the leader, the approval, the return of the result. Durations are drawn around
//   each step's budget, so some dossiers finish late (about 5%). The history stops at "now":
//   whatever has not happened yet has not happened, which gives the status mix (mostly returned;
//   new, accepted, processing, paused, done for the recent ones, and a small backlog that never
//   moved on: documents or payment never brought, stops never lifted, results never collected).
// - The dossier row carries what the actions set: due_at (provisional from receipt, then from
//   acceptance, moved by pauses as dueAfterPauses does), workflow_step, assignee, step start and
//   due, accepted_at, received_by, paused_from, supplement_items, result_delivery, version (1 +
//   events), updated_at. data is '{}'; applicant name, CCCD, phone and sometimes an email are
//   generated. dossier_event has one row per status change or hand-over, with action,
//   from_status, to_status, `at` increasing, the step, its due instant and the holder: 6 to 8
//   for a full history, 2 to 5 for one that stops early (now, a pause never lifted), 1 for a
//   dossier still new, 2 for an early refusal or withdrawal: all that their history holds.
// - 7 officers per agency (2 reception, 4 specialists, 1 leader, with role assignments) act in
//   the events. Neither they nor the citizens can log in (no password).
//
// Loading: COPY … FROM STDIN (through `pg` alone, see CopyIn) of each batch into dossier and
// dossier_event, in a transaction per batch with synchronous_commit off, two batches in flight
// on two connections while the next is generated. The secondary indexes of the two tables are
// dropped first and built again from their own definitions afterwards (--keep-indexes keeps
// them). With a superuser connection, the per-row foreign-key triggers are skipped during the
// load (session_replication_role = replica, as pg_restore --disable-triggers does) and every
// foreign key of the two tables is then checked over all rows in one query each; the run stops
// if one does not hold (--fk-checks during keeps the triggers). Then VACUUM (ANALYZE) of the two
// tables: what autovacuum would have done to tables this old (statistics, visibility map).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../src/db/seed.js';
import { loadWorkingDays, type WorkingDays } from '../../src/modules/calendar/calendar.service.js';
import { budgetMinutes, stepById, workflowOf, type Workflow } from '../../src/modules/workflow/workflow-steps.js';

const thisFile = fileURLToPath(import.meta.url);
const benchDir = path.resolve(path.dirname(thisFile), '..');

export const DEFAULT_DATABASE = 'motcua_bench_inbox';
export const COMMUNE_CODES = Array.from({ length: 18 }, (_, i) => `000.00.${51 + i}.H20`);

// ---------------------------------------------------------------------------------------------
// Randomness: a small deterministic PRNG (mulberry32), as bench/search uses.

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number) => next() < p;
  /** A log-normal factor with the given median and spread (sigma of the log). */
  const logNormal = (median: number, sigma: number) => {
    const u = Math.max(next(), 1e-12);
    const v = next();
    return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  };
  const hex = () => (next() * 4294967296 >>> 0).toString(16).padStart(8, '0');
  /** A version-4 UUID from the PRNG (the product uses randomUUID(): same shape, same spread). */
  const uuid = () => {
    const h = hex() + hex() + hex() + hex();
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  return { next, int, pick, chance, logNormal, uuid };
}
type Rng = ReturnType<typeof prng>;

/** Cumulative weights, for picking by weight with a binary search. */
function weighted<T>(items: readonly { item: T; weight: number }[]) {
  const cumulative: number[] = [];
  let sum = 0;
  for (const { weight } of items) cumulative.push((sum += weight));
  return (r: number): T => {
    const x = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!.item;
  };
}

// ---------------------------------------------------------------------------------------------
// People

const surnames = weighted(
  [
    ['Nguyễn', 38],
    ['Trần', 11],
    ['Lê', 9.5],
    ['Phạm', 7],
    ['Huỳnh', 5],
    ['Phan', 4.5],
    ['Võ', 4],
    ['Đặng', 2],
    ['Bùi', 2],
    ['Đỗ', 1.4],
    ['Hồ', 1.3],
    ['Ngô', 1.3],
    ['Dương', 1],
    ['Lý', 0.5],
    ['Trương', 1],
    ['Châu', 0.6],
  ].map(([item, weight]) => ({ item: item as string, weight: weight as number })),
);
const maleMiddle = ['Văn', 'Minh', 'Quốc', 'Hữu', 'Đức', 'Thanh', 'Hoàng', 'Công', 'Tấn', 'Trọng'];
const femaleMiddle = ['Thị', 'Ngọc', 'Thu', 'Kim', 'Thanh', 'Mỹ', 'Bích', 'Hồng', 'Diễm', 'Thùy'];
const maleGiven = ['An', 'Bình', 'Cường', 'Dũng', 'Hùng', 'Khánh', 'Long', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Trung', 'Tuấn', 'Vinh', 'Hải', 'Hiếu', 'Lộc', 'Phong', 'Thịnh', 'Tài', 'Nhân'];
const femaleGiven = ['Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Thảo', 'Trang', 'Vy', 'Yến', 'Nhung', 'Hoa', 'Ngân', 'Phương', 'Quyên', 'Tuyết', 'Trinh', 'Diệu', 'Xuân', 'Loan'];

function person(r: Rng) {
  const female = r.chance(0.52);
  const fullName = `${surnames(r.next())} ${r.pick(female ? femaleMiddle : maleMiddle)} ${r.pick(female ? femaleGiven : maleGiven)}`;
  const born = r.int(1950, 2006);
  // Citizen ID (CCCD): province 087 (Đồng Tháp), sex and century digit, year, 6 digits.
  const centuryDigit = (born >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const idNumber = `087${centuryDigit}${String(born % 100).padStart(2, '0')}${String(r.int(0, 999_999)).padStart(6, '0')}`;
  const phone = `0${r.pick(['3', '5', '7', '8', '9', '9', '9'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
  return { fullName, idNumber, phone, female };
}

function asciiSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

// ---------------------------------------------------------------------------------------------
// Time: Vietnam is UTC+7 without daylight saving.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const VN = 7 * HOUR;
const localDayNumber = (ms: number) => Math.floor((ms + VN) / DAY);
const localDateOfDay = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10);
const dayStart = (dayNumber: number) => dayNumber * DAY - VN;

/** Receipts by local hour: office hours busiest, a little online at night. */
const hourWeights = [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 1, 3, 6, 6.5, 6, 4, 2, 3.5, 5.5, 5.5, 5, 3, 2, 2, 2, 1.6, 1, 0.6];
const pickHour = weighted(hourWeights.map((weight, item) => ({ item, weight })));

// ---------------------------------------------------------------------------------------------
// Reference data read from the seeded database.

interface AgencyRef {
  id: number;
  code: string;
  weight: number;
  reception: number[];
  specialists: number[];
  leader: number;
}

interface ProcedureRef {
  id: number;
  code: string;
  version: number;
  onlineLevel: string;
  processingDays: number | null;
  hasFees: boolean;
  workflow: Workflow;
  weight: number;
  agencyIds: Set<number>;
  ruleVersions: string;
}

/** How often people ask for each procedure at a commune office (the rest weigh 1). */
const procedureWeights: Record<string, number> = {
  '2.000815': 30, // certified copy from the original
  '2.000884': 15, // signature certification
  '1.001193': 10, // birth registration
  '1.004873': 8, // marital status certificate
  '2.000635': 6, // copy of a civil status extract
  '2.000942': 5,
  '1.000894': 5, // marriage registration
  '1.000656': 4, // death registration
  'DT.003': 4,
  '1.001612': 3,
  '2.000720': 2,
  '1.013978': 2,
};

// ---------------------------------------------------------------------------------------------
// The simulation of one dossier's history, mirroring submitDossier, receiveWalkIn,
// performAction, resubmitDossier and withdrawDossier. The rows come out as lines of COPY text.

type Status = 'draft' | 'new' | 'accepted' | 'refused' | 'processing' | 'supplementation' | 'financial' | 'withdrawn' | 'stopped' | 'done' | 'returned';
const pausing = new Set<Status>(['supplementation', 'financial', 'stopped']);

/** 'YYYY-MM-DDT' of each UTC day met so far, for CopyBuffer.time. */
const dayPrefixes = new Map<number, string>();

/**
 * Rows in COPY's text format, written straight into a growing Buffer: a million dossiers as
 * JavaScript strings kept until their batch is sent would mostly be garbage-collector work.
 * Each value is followed by a tab; `end()` turns the last tab into the line break.
 */
export class CopyBuffer {
  buffer: Buffer;
  length = 0;
  rows = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** A value known to need no escaping (ids, numbers, JSON without backslashes, enum words).
   *  ASCII is copied byte by byte (cheaper than a Buffer#write call per value). */
  raw(value: string | number | boolean): this {
    const text = typeof value === 'string' ? value : String(value);
    this.room(text.length * 3 + 1);
    const b = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 127) {
        at += b.write(text.slice(i), at);
        break;
      }
      b[at++] = code;
    }
    b[at++] = 9; // tab
    this.length = at;
    return this;
  }

  /** Free text or null (\N); backslash, tab and line breaks escaped. */
  text(value: string | number | null): this {
    if (value === null) return this.raw('\\N');
    if (typeof value === 'number') return this.raw(value);
    return this.raw(/[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value);
  }

  /** An instant as ISO 8601 UTC (what toISOString writes, without its cost a million times over). */
  time(value: Date | null): this {
    if (value === null) return this.raw('\\N');
    const ms = value.getTime();
    const day = Math.floor(ms / DAY);
    let prefix = dayPrefixes.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * DAY).toISOString().slice(0, 11);
      dayPrefixes.set(day, prefix);
    }
    this.room(32);
    const b = this.buffer;
    let at = this.length;
    for (let i = 0; i < 11; i++) b[at++] = prefix.charCodeAt(i);
    let rest = ms - day * DAY;
    const h = Math.floor(rest / HOUR);
    rest -= h * HOUR;
    const m = Math.floor(rest / MINUTE);
    rest -= m * MINUTE;
    const sec = Math.floor(rest / 1000);
    const milli = rest - sec * 1000;
    b[at++] = 48 + Math.floor(h / 10);
    b[at++] = 48 + (h % 10);
    b[at++] = 58; // :
    b[at++] = 48 + Math.floor(m / 10);
    b[at++] = 48 + (m % 10);
    b[at++] = 58;
    b[at++] = 48 + Math.floor(sec / 10);
    b[at++] = 48 + (sec % 10);
    b[at++] = 46; // .
    b[at++] = 48 + Math.floor(milli / 100);
    b[at++] = 48 + (Math.floor(milli / 10) % 10);
    b[at++] = 48 + (milli % 10);
    b[at++] = 90; // Z
    b[at++] = 9;
    this.length = at;
    return this;
  }

  end(): void {
    this.buffer[this.length - 1] = 10; // newline instead of the last tab
    this.rows++;
  }

  data(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

const refuseReasons = ['Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan', 'Người yêu cầu không đủ điều kiện theo quy định', 'Giấy tờ trong hồ sơ không hợp lệ, không thể bổ sung'];
const withdrawReasons = ['Nộp nhầm thủ tục', 'Không còn nhu cầu giải quyết', 'Sẽ nộp trực tiếp tại bộ phận một cửa'];
const supplementItems = [
  { item: 'Bản sao giấy tờ tùy thân', reason: 'Bản chụp không rõ, không đọc được số' },
  { item: 'Tờ khai theo mẫu', reason: 'Thiếu chữ ký của người yêu cầu' },
  { item: 'Giấy tờ chứng minh nơi cư trú', reason: 'Chưa nộp' },
  { item: 'Văn bản ủy quyền', reason: 'Văn bản ủy quyền chưa được chứng thực' },
].map((i) => JSON.stringify([i]));
const processNotes = ['Đã thẩm định, đủ điều kiện giải quyết', 'Đã xác minh thông tin, đề xuất giải quyết', 'Hồ sơ đầy đủ, hợp lệ; trình lãnh đạo ký'];
const stopReasons = ['Chờ kết quả xác minh của cơ quan có liên quan', 'Đang có tranh chấp, chờ giải quyết của tòa án'];

export const dossierColumns = [
  'id', 'code', 'procedure_id', 'agency_id', 'owner_account_id', 'business_id', 'channel', 'status', 'data', 'current_step', 'notify_email', 'notify_sms',
  'applicant_name', 'applicant_id_number', 'applicant_phone', 'applicant_email', 'rule_versions', 'submit_key', 'submitted_at', 'due_at', 'created_at', 'updated_at',
  'version', 'workflow_step', 'assignee_account_id', 'step_started_at', 'step_due_at', 'accepted_at', 'paused_from', 'apologized_at', 'supplement_items', 'result_delivery', 'received_by',
];
export const eventColumns = ['dossier_id', 'at', 'actor_type', 'actor_id', 'agency_id', 'action', 'from_status', 'to_status', 'reason', 'idempotency_key', 'step', 'step_due_at', 'to_account_id', 'details'];

interface OfficerOptions {
  to?: Status;
  assignee?: number;
  reason?: string;
  /** supplement_items as JSON text. */
  items?: string;
  delivery?: string;
}

export interface DossierInput {
  id: string;
  code: string;
  submittedAt: number;
  agency: AgencyRef;
  procedure: ProcedureRef;
  /** 2 online; 1 walk-in, 3 by post: entered by reception (receiveWalkIn), who owns the record. */
  channel: 1 | 2 | 3;
  /** The citizen account for an online dossier, the receiving officer otherwise. */
  ownerId: number;
}

/**
 * One instance simulates every dossier in turn (methods, not closures per dossier: this runs a
 * million times). `run` writes the dossier's row to `dossiers` and its events to `events`.
 */
export class DossierSimulator {
  dossiers = new CopyBuffer(4 << 20);
  events = new CopyBuffer(12 << 20);
  // The dossier being simulated.
  private d!: DossierInput;
  private days: number | null = null;
  private wf!: Workflow;
  private status: Status = 'draft';
  private step: string | null = null;
  private holder: number | null = null;
  private stepStartedAt: Date | null = null;
  private stepDueAt: Date | null = null;
  private acceptedAt: Date | null = null;
  private receivedBy: number | null = null;
  private pausedFrom: Status | null = null;
  private supplementItems: string | null = null;
  private resultDelivery: string | null = null;
  private dueAt: Date | null = null;
  private updatedAt!: Date;
  private pauses: { from: Date; to: Date | null }[] = [];
  private eventCount = 0;
  private approvedAt: Date | null = null;

  constructor(
    private readonly r: Rng,
    private readonly cal: WorkingDays,
    private readonly nowMs: number,
  ) {}

  run(input: DossierInput): { status: Status; events: number; late: boolean | null } {
    const r = this.r;
    this.d = input;
    this.days = input.procedure.processingDays;
    this.wf = input.procedure.workflow;
    const t0 = new Date(input.submittedAt);
    this.status = 'draft'; // the first event takes it from draft to new
    this.step = null;
    this.holder = null;
    this.stepStartedAt = null;
    this.stepDueAt = null;
    this.acceptedAt = null;
    this.receivedBy = null;
    this.pausedFrom = null;
    this.supplementItems = null;
    this.resultDelivery = null;
    this.dueAt = this.days === null ? null : this.cal.addWorkingDays(t0, this.days);
    this.updatedAt = t0;
    this.pauses = [];
    this.eventCount = 0;
    this.approvedAt = null;
    const applicant = person(r);
    const email = r.chance(0.35) ? `${asciiSlug(applicant.fullName)}${r.int(1, 999)}@gmail.com` : null;
    const online = input.channel === 2;
    const submitKey = online ? this.key() : null;
    if (online) this.push('submit', t0, 'new', 'citizen', input.ownerId, null, submitKey, null, null, null, null);
    else {
      this.receivedBy = input.ownerId;
      this.push('receive_in_person', t0, 'new', 'officer', input.ownerId, null, null, null, null, null, null);
    }
    this.story(t0);

    // (Read back through a widened type: TypeScript keeps the narrowing of the reset above.)
    const approvedAt = this.approvedAt as Date | null;
    const dueAt = this.dueAt as Date | null;
    const late = approvedAt && dueAt ? approvedAt.getTime() > dueAt.getTime() : null;
    this.dossiers
      .raw(input.id)
      .raw(input.code)
      .raw(input.procedure.id)
      .raw(input.agency.id)
      .raw(input.ownerId)
      .raw('\\N')
      .raw(input.channel)
      .raw(this.status)
      .raw('{}')
      .raw(0)
      .raw(email !== null)
      .raw(online ? r.chance(0.3) : true)
      .text(applicant.fullName)
      .raw(applicant.idNumber)
      .raw(applicant.phone)
      .text(email)
      .raw(input.procedure.ruleVersions)
      .text(submitKey)
      .time(t0)
      .time(this.dueAt)
      .time(new Date(input.submittedAt - r.int(2, 90) * MINUTE))
      .time(this.updatedAt)
      .raw(1 + this.eventCount)
      .text(this.step)
      .text(this.holder)
      .time(this.stepStartedAt)
      .time(this.stepDueAt)
      .time(this.acceptedAt)
      .text(this.pausedFrom)
      .raw('\\N')
      .text(this.supplementItems)
      .text(this.resultDelivery)
      .text(this.receivedBy)
      .end();
    return { status: this.status, events: this.eventCount, late };
  }

  private key(): string {
    return `web-${this.r.uuid().slice(0, 18)}`;
  }

  private push(action: string, at: Date, to: Status, actorType: string, actorId: number, reason: string | null, idempotencyKey: string | null, step: string | null, stepDueAt: Date | null, toAccountId: number | null, details: string | null): void {
    this.events
      .raw(this.d.id)
      .time(at)
      .raw(actorType)
      .raw(actorId)
      .raw(this.d.agency.id)
      .raw(action)
      .raw(this.status)
      .raw(to)
      .text(reason)
      .text(idempotencyKey)
      .text(step)
      .time(stepDueAt)
      .text(toAccountId)
      .text(details)
      .end();
    this.eventCount++;
    // Entering and leaving a pause: the clock stops (DOMAIN.md §5) and the appointment moves on.
    if (pausing.has(to) && !pausing.has(this.status)) this.pauses.push({ from: at, to: null });
    if (pausing.has(this.status) && !pausing.has(to)) {
      const open = this.pauses.at(-1);
      if (open && open.to === null) open.to = at;
    }
    this.status = to;
    this.updatedAt = at;
  }

  /** An officer's action, setting the step, the holder and the clock as performAction does. */
  private officer(action: string, at: Date, actorId: number, opts: OfficerOptions = {}): void {
    const wf = this.wf;
    let to: Status = opts.to ?? this.status;
    if (action === 'confirm_payment' || action === 'resume') to = this.pausedFrom ?? 'processing';
    let step = this.step;
    let holder = this.holder;
    switch (action) {
      case 'accept':
        this.acceptedAt = at;
        this.receivedBy = actorId;
        if (this.days !== null) this.dueAt = this.cal.addWorkingDays(at, this.days);
        step = stepById(wf, 'reception')?.next ?? wf.steps[1]?.id ?? null;
        holder = null;
        break;
      case 'assign':
        holder = opts.assignee ?? null;
        step = this.step && stepById(wf, this.step)?.role === 'specialist' ? this.step : (wf.steps.find((x) => x.role === 'specialist')?.id ?? step);
        break;
      case 'forward':
        step = stepById(wf, this.step)?.next ?? null;
        holder = null;
        break;
      case 'approve':
        step = wf.steps.find((x) => x.next === null)?.id ?? null;
        holder = null;
        this.approvedAt = at;
        break;
      case 'request_supplement':
        this.supplementItems = opts.items ?? null;
        this.pausedFrom = this.status;
        break;
      case 'request_payment':
      case 'stop':
        this.pausedFrom = this.status;
        break;
      case 'confirm_payment':
      case 'resume':
        this.pausedFrom = null;
        break;
      case 'return_result':
        this.resultDelivery = opts.delivery ?? 'in_person';
        step = null;
        break;
      default:
        break;
    }
    const leavingPause = pausing.has(this.status) && !pausing.has(to);
    const current = stepById(wf, step);
    const stepChanged = step !== this.step || action === 'assign' || action === 'accept';
    const stepDueAt = current && stepChanged ? this.cal.addOfficeTime(at, budgetMinutes(current)) : this.stepDueAt;
    if (stepChanged) {
      this.stepStartedAt = at;
      this.stepDueAt = stepDueAt;
    }
    this.step = step;
    this.holder = holder;
    const details = opts.items ? `{"items":${opts.items}}` : opts.delivery ? `{"delivery":"${opts.delivery}"}` : null;
    this.push(action, at, to, 'officer', actorId, opts.reason ?? null, null, step, stepDueAt, holder, details);
    if (leavingPause) this.moveDueAfterPause();
  }

  /** When a pause ends: the working days from acceptance with every pause taken out (dueAfterResume). */
  private moveDueAfterPause(): void {
    if (!this.acceptedAt || this.days === null) return;
    this.dueAt = this.cal.dueAfterPauses(this.acceptedAt, this.days, this.pauses) ?? this.dueAt;
  }

  private resubmit(at: Date): void {
    const to = this.pausedFrom ?? 'new';
    this.pausedFrom = null;
    this.push('resubmit', at, to, 'citizen', this.d.ownerId, null, this.key(), null, null, null, null);
    this.moveDueAfterPause();
  }

  private office(from: Date, minutes: number): Date {
    return this.cal.addOfficeTime(from, Math.min(Math.max(minutes, 1), 200 * 450));
  }

  private later(from: Date, ms: number): Date {
    return new Date(from.getTime() + Math.max(ms, MINUTE));
  }

  private past(d: Date): boolean {
    return d.getTime() > this.nowMs;
  }

  /** The history after submission; it stops at the first step that would happen after now. */
  private story(t0: Date): void {
    const r = this.r;
    const agency = this.d.agency;
    const specialist = r.pick(agency.specialists);
    // At the desk a walk-in or postal file is checked as it is entered: no withdrawal, no request
    // for documents, no refusal of a coded dossier (the product has no applicant path for them).
    const online = this.d.channel === 2;
    const fate = online ? r.next() : 0.11 + r.next() * 0.89;
    // The reception check, within about a working day (minutes at the desk).
    let checkAt = this.office(t0, online ? r.logNormal(120, 1) : r.logNormal(10, 0.8));
    if (fate < 0.015) {
      // The applicant withdraws before the check.
      const at = this.later(t0, r.logNormal(6 * HOUR, 1.2));
      if (this.past(at)) return;
      this.push('withdraw', at, 'withdrawn', 'citizen', this.d.ownerId, r.pick(withdrawReasons), null, null, null, null, null);
      return;
    }
    if (fate < 0.033) {
      if (this.past(checkAt)) return;
      this.officer('refuse', checkAt, r.pick(agency.reception), { to: 'refused', reason: r.pick(refuseReasons) });
      return;
    }
    const askedAtReception = fate < 0.11;
    if (askedAtReception) {
      // Reception asks for documents first; the applicant hands them in days later (or never).
      if (this.past(checkAt)) return;
      this.officer('request_supplement', checkAt, r.pick(agency.reception), { to: 'supplementation', items: r.pick(supplementItems) });
      if (r.chance(0.04)) return;
      const back = this.later(checkAt, r.logNormal(3 * DAY, 0.9));
      if (this.past(back)) return;
      this.resubmit(back);
      checkAt = this.office(back, r.logNormal(90, 1));
      if (fate < 0.043) {
        if (this.past(checkAt)) return;
        this.officer('refuse', checkAt, r.pick(agency.reception), { to: 'refused', reason: r.pick(refuseReasons) });
        return;
      }
    }
    // Acceptance: the appointment counts from here.
    if (this.past(checkAt)) return;
    this.officer('accept', checkAt, r.pick(agency.reception), { to: 'accepted' });
    if (r.chance(0.0005)) return; // never assigned: the backlog
    // Assignment to a specialist (by reception, as the demo office does).
    const assignAt = this.office(checkAt, r.logNormal(45, 1));
    if (this.past(assignAt)) return;
    this.officer('assign', assignAt, r.pick(agency.reception), { to: 'processing', assignee: specialist });
    // Processing: the step's budget times a factor, sometimes over budget, so late.
    const processing = stepById(this.wf, this.step);
    const work = Math.max(15, (processing ? budgetMinutes(processing) : 450) * r.logNormal(0.5, 0.75));
    // At most one pause in processing, and none after a request at reception (≤ 8 events).
    let detour = askedAtReception ? 1 : r.next();
    if (!online && detour < 0.05) detour = 1; // documents are asked for at the desk, not online
    const paused = detour < 0.05 || (detour < 0.11 && this.d.procedure.hasFees) || (detour >= 0.11 && detour < 0.12);
    let resumedAt = assignAt;
    let remaining = work;
    if (paused) {
      const share = 0.1 + r.next() * 0.6;
      const pauseAt = this.office(assignAt, work * share);
      remaining = work * (1 - share);
      if (this.past(pauseAt)) return;
      if (detour < 0.05) {
        this.officer('request_supplement', pauseAt, specialist, { to: 'supplementation', items: r.pick(supplementItems) });
        if (r.chance(0.04)) return;
        resumedAt = this.later(pauseAt, r.logNormal(3 * DAY, 0.9));
        if (this.past(resumedAt)) return;
        this.resubmit(resumedAt);
      } else if (detour < 0.11) {
        this.officer('request_payment', pauseAt, specialist, { to: 'financial', reason: 'Đề nghị nộp phí, lệ phí theo quy định' });
        if (r.chance(0.03)) return;
        resumedAt = this.office(this.later(pauseAt, r.logNormal(20 * HOUR, 1)), r.logNormal(30, 1));
        if (this.past(resumedAt)) return;
        this.officer('confirm_payment', resumedAt, specialist);
      } else {
        this.officer('stop', pauseAt, agency.leader, { to: 'stopped', reason: r.pick(stopReasons) });
        if (r.chance(0.35)) return;
        resumedAt = this.office(this.later(pauseAt, (5 + r.next() * 35) * DAY), 60);
        if (this.past(resumedAt)) return;
        this.officer('resume', resumedAt, agency.leader);
      }
    }
    if (r.chance(0.002)) return; // left in processing: the backlog
    const forwardAt = this.office(resumedAt, remaining);
    if (!paused && !askedAtReception && r.chance(0.5)) {
      const noteAt = this.office(resumedAt, remaining * 0.8);
      if (this.past(noteAt)) return;
      this.officer('process', noteAt, specialist, { reason: r.pick(processNotes) });
    }
    if (this.past(forwardAt)) return;
    this.officer('forward', forwardAt, specialist);
    if (r.chance(0.0005)) return; // waiting for a signature: the backlog
    // Approval by the leader.
    const approval = stepById(this.wf, this.step);
    const approveAt = this.office(forwardAt, Math.max(10, (approval ? budgetMinutes(approval) : 120) * r.logNormal(0.35, 0.8)));
    if (this.past(approveAt)) return;
    this.officer('approve', approveAt, agency.leader, { to: 'done' });
    // The result goes back: picked up within days, sent, or never collected.
    if (r.chance(0.01)) return;
    const delivery = r.next() < 0.6 ? 'in_person' : r.next() < 0.75 ? 'online' : 'post';
    const returnAt = this.office(approveAt, delivery === 'online' ? r.logNormal(20, 1) : r.logNormal(400, 1.2));
    if (this.past(returnAt)) return;
    this.officer('return_result', returnAt, r.pick(agency.reception), { to: 'returned', delivery });
  }
}

// ---------------------------------------------------------------------------------------------
// Database setup

/**
 * COPY … FROM STDIN with `pg` alone (pg-copy-streams is not a dependency): a Submittable that
 * sends the query, answers the server's CopyInResponse with the data and CopyDone, and settles on
 * ReadyForQuery (or on the first error). The data is sent in 1 MB CopyData messages.
 */
class CopyIn implements pg.Submittable {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private rows = 0;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as { query(text: string): void }).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const c = connection as unknown as { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };
    for (let i = 0; i < this.data.length; i += 1 << 20) c.sendCopyFromChunk(this.data.subarray(i, i + (1 << 20)));
    c.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.rows);
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCopyData(): void {}
}

async function copyIn(client: pg.PoolClient | pg.Client, table: string, columns: readonly string[], rows: CopyBuffer): Promise<number> {
  const copy = new CopyIn(`copy ${table} (${columns.join(', ')}) from stdin`, rows.data());
  client.query(copy);
  return copy.done;
}

interface SecondaryIndex {
  table: string;
  name: string;
  /** CREATE INDEX …, or the UNIQUE (…) of a constraint. */
  definition: string;
  constraint: boolean;
}

/**
 * The secondary indexes of the two loaded tables (all but the primary keys), dropped before the
 * load and built again after it from their own definitions: one sort per index instead of
 * millions of random insertions (as pg_restore does). Same names, same definitions.
 */
async function dropSecondaryIndexes(client: pg.Client): Promise<SecondaryIndex[]> {
  const { rows } = await client.query<{ table: string; name: string; index_def: string; constraint_def: string | null }>(
    `select i.indrelid::regclass::text as table, i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as index_def, pg_get_constraintdef(c.oid) as constraint_def
       from pg_index i left join pg_constraint c on c.conindid = i.indexrelid and c.contype = 'u'
      where i.indrelid in ('dossier'::regclass, 'dossier_event'::regclass) and not i.indisprimary
      order by 1, 2`,
  );
  const indexes = rows.map((r) => ({ table: r.table, name: r.name, definition: r.constraint_def ?? r.index_def, constraint: r.constraint_def !== null }));
  for (const x of indexes) await client.query(x.constraint ? `alter table ${x.table} drop constraint ${x.name}` : `drop index ${x.name}`);
  return indexes;
}

async function rebuildSecondaryIndexes(client: pg.PoolClient, indexes: SecondaryIndex[]): Promise<void> {
  for (const x of indexes) await client.query(x.constraint ? `alter table ${x.table} add constraint ${x.name} ${x.definition}` : x.definition);
}

/** Every foreign key of the two loaded tables, checked over all rows at once. */
async function verifyForeignKeys(client: pg.PoolClient): Promise<{ constraint: string; missing: number }[]> {
  const { rows: keys } = await client.query<{ name: string; tbl: string; col: string; ref: string; refcol: string }>(
    `select c.conname as name, c.conrelid::regclass::text as tbl, a.attname as col, c.confrelid::regclass::text as ref, b.attname as refcol
       from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       join pg_attribute b on b.attrelid = c.confrelid and b.attnum = c.confkey[1]
      where c.contype = 'f' and c.conrelid in ('dossier'::regclass, 'dossier_event'::regclass) and cardinality(c.conkey) = 1
      order by 2, 1`,
  );
  const results: { constraint: string; missing: number }[] = [];
  for (const k of keys) {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${k.tbl} t where t.${k.col} is not null and not exists (select 1 from ${k.ref} r where r.${k.refcol} = t.${k.col})`);
    results.push({ constraint: `${k.tbl}.${k.col} → ${k.ref}`, missing: rows[0]!.n });
  }
  return results;
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(serverUrl: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

async function createPeople(client: pg.Client, r: Rng, citizens: number, agencies: { id: number; code: string }[]) {
  const runTag = randomBytes(3).toString('hex');
  const citizenRows = Array.from({ length: citizens }, (_, i) => {
    const p = person(r);
    // The ID number must be unique among citizens: the index makes the last digits distinct.
    return { kind: 'citizen', full_name: p.fullName, id_number: `${p.idNumber.slice(0, 8)}${String(i).padStart(4, '0')}`, email: `bench.citizen.${i}.${runTag}@example.vn`, email_verified_at: new Date().toISOString(), phone: p.phone, password_hash: null };
  });
  const { rows: citizenIds } = await client.query<{ id: number }>(
    `insert into account (kind, full_name, id_number, email, email_verified_at, phone, password_hash)
     select kind, full_name, id_number, email, email_verified_at, phone, password_hash from json_populate_recordset(null::account, $1::json) returning id`,
    [JSON.stringify(citizenRows)],
  );
  const officers: { agencyId: number; role: 'reception' | 'specialist' | 'leader'; row: Record<string, unknown> }[] = [];
  for (const agency of agencies) {
    const roles = ['reception', 'reception', 'specialist', 'specialist', 'specialist', 'specialist', 'leader'] as const;
    roles.forEach((role, k) => {
      const p = person(r);
      officers.push({ agencyId: agency.id, role, row: { kind: 'officer', full_name: p.fullName, email: `bench.${role}.${k}.${agency.code.replace(/\./g, '-')}.${runTag}@example.vn`.toLowerCase(), email_verified_at: new Date().toISOString(), phone: p.phone, password_hash: null } });
    });
  }
  const { rows: officerIds } = await client.query<{ id: number }>(
    `insert into account (kind, full_name, email, email_verified_at, phone, password_hash)
     select kind, full_name, email, email_verified_at, phone, password_hash from json_populate_recordset(null::account, $1::json) returning id`,
    [JSON.stringify(officers.map((o) => o.row))],
  );
  const grants = officers.map((o, i) => ({ account_id: officerIds[i]!.id, role: o.role, agency_id: o.agencyId }));
  await client.query(`insert into role_assignment (account_id, role, agency_id) select account_id, role, agency_id from json_populate_recordset(null::role_assignment, $1::json)`, [JSON.stringify(grants)]);
  return { citizenIds: citizenIds.map((c) => c.id), officers: officers.map((o, i) => ({ ...o, id: officerIds[i]!.id })) };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000000' },
      database: { type: 'string', default: DEFAULT_DATABASE },
      replace: { type: 'boolean', default: false },
      batch: { type: 'string', default: '5000' },
      citizens: { type: 'string', default: '200' },
      seed: { type: 'string', default: '20261128' },
      'fk-checks': { type: 'string', default: 'after' },
      'keep-indexes': { type: 'boolean', default: false },
    },
  });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL (the PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres) is required');
  const count = Number(values.count.replace(/[_,]/g, ''));
  const batchSize = Number(values.batch);
  const citizens = Number(values.citizens);
  const name = values.database;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--database: "${name}" is not a plain lower-case identifier`);
  if (!Number.isInteger(count) || count < 1) throw new Error('--count: a positive whole number');
  if (values['fk-checks'] !== 'after' && values['fk-checks'] !== 'during') throw new Error('--fk-checks: after or during');
  const r = prng(Number(values.seed));
  const startedAt = Date.now();
  const stamp = new Date();

  // 1. A fresh database.
  const exists = await admin(serverUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  if (exists && !values.replace) throw new Error(`database ${name} exists; pass --replace to drop and recreate it`);
  await admin(serverUrl, async (c) => {
    if (exists) await c.query(`drop database ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  const url = databaseUrl(serverUrl, name);
  // Skipping the per-row foreign-key triggers during the load (session_replication_role, as
  // pg_restore --disable-triggers does) needs a superuser; every key is then checked afterwards.
  const superuser = await admin(serverUrl, async (c) => (await c.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user')).rows[0]?.s === true);
  const fkAfter = values['fk-checks'] === 'after' && superuser;
  if (values['fk-checks'] === 'after' && !superuser) console.log('  not a superuser: foreign keys are checked row by row during the load');
  console.log(`inbox data: database ${name}${exists ? ' (replaced)' : ''}; ${count.toLocaleString('en')} dossiers; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);

  // 2. Schema and demo data through the product's own code.
  let phase = Date.now();
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  let cal: WorkingDays;
  try {
    await migrateToLatest(database.db);
    const seed = await seedDemo(database.db);
    console.log(`  migrated and seeded: ${seed.agencies} agencies, ${seed.procedures.created} procedures (${((Date.now() - phase) / 1000).toFixed(1)} s)`);
    const nowYear = new Date().getUTCFullYear();
    cal = await loadWorkingDays(database.db, nowYear - 3, nowYear + 2);
  } finally {
    await database.close();
  }

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let agencies: AgencyRef[];
  let procedures: ProcedureRef[];
  let citizenIds: number[];
  let deferred: SecondaryIndex[] = [];
  try {
    const { rows: agencyRows } = await client.query<{ id: number; code: string }>('select id, code from agency where code = any($1::text[]) order by code', [COMMUNE_CODES]);
    if (agencyRows.length !== COMMUNE_CODES.length) throw new Error(`expected the 18 commune agencies of the demo data, found ${agencyRows.length}`);
    const people = await createPeople(client, r, citizens, agencyRows);
    citizenIds = people.citizenIds;
    agencies = agencyRows.map((a, i) => {
      const mine = people.officers.filter((o) => o.agencyId === a.id);
      return {
        id: a.id,
        code: a.code,
        // Mỹ Tho (the first) is the largest ward; the others between 0.6 and 1.5.
        weight: i === 0 ? 1.8 : 0.6 + r.next() * 0.9,
        reception: mine.filter((o) => o.role === 'reception').map((o) => o.id),
        specialists: mine.filter((o) => o.role === 'specialist').map((o) => o.id),
        leader: mine.find((o) => o.role === 'leader')!.id,
      };
    });
    const { rows: procRows } = await client.query<{ id: number; code: string; version: number; online_level: string; processing_days: number | null; fees: unknown[]; workflow: unknown; agency_ids: number[] }>(
      `select p.id, p.code, p.version, p.online_level, p.processing_days, p.fees, p.workflow, array_agg(pa.agency_id) as agency_ids
         from procedure p
         join procedure_agency pa on pa.procedure_id = p.id
         join online_level_rule o on o.scheme = p.online_level_scheme and o.level = p.online_level
        where p.status = 'published' and o.accepts_online and pa.agency_id = any($1::int[])
        group by p.id order by p.code`,
      [agencies.map((a) => a.id)],
    );
    procedures = procRows.map((p) => ({
      id: p.id,
      code: p.code,
      version: p.version,
      onlineLevel: p.online_level,
      processingDays: p.processing_days,
      hasFees: Array.isArray(p.fees) && p.fees.length > 0,
      workflow: workflowOf(p.workflow, p.processing_days),
      weight: procedureWeights[p.code] ?? 1,
      agencyIds: new Set(p.agency_ids),
      ruleVersions: JSON.stringify({ procedureVersion: p.version, onlineLevel: p.online_level, dossierCodeRule: 'TT01-2018', calendar: 'working-days' }),
    }));
    console.log(`  ${procedures.length} published procedures accepting online submission at these agencies; ${citizenIds.length} citizens, ${agencies.length * 7} officers`);
    if (!values['keep-indexes']) {
      deferred = await dropSecondaryIndexes(client);
      console.log(`  secondary indexes dropped until the rows are in: ${deferred.map((x) => x.name).join(', ')}`);
    }
  } finally {
    await client.end();
  }
  const pickAgency = weighted(agencies.map((a) => ({ item: a, weight: a.weight })));
  const procsByAgency = new Map(agencies.map((a) => [a.id, weighted(procedures.filter((p) => p.agencyIds.has(a.id)).map((p) => ({ item: p, weight: p.weight })))]));

  // 3. Days: how many dossiers each local day receives.
  const nowMs = Date.now();
  const today = localDayNumber(nowMs);
  const firstDay = today - 730;
  const hourSum = hourWeights.reduce((a, b) => a + b, 0);
  const nowHour = ((nowMs + VN) % DAY) / HOUR;
  const todayMass = hourWeights.reduce((sum, w, h) => sum + (h + 1 <= nowHour ? w : h < nowHour ? w * (nowHour - h) : 0), 0) / hourSum;
  const dayWeights: number[] = [];
  for (let d = firstDay; d <= today; d++) {
    const date = localDateOfDay(d);
    const dow = new Date(d * DAY).getUTCDay();
    const working = cal.isWorkingDay(date);
    const base = working ? 1 : dow === 6 ? 0.15 : dow === 0 ? 0.07 : 0.1;
    const trend = 0.75 + (0.5 * (d - firstDay)) / 730;
    dayWeights.push(base * trend * (d === today ? todayMass : 1));
  }
  const weightSum = dayWeights.reduce((a, b) => a + b, 0);

  // 4. Generate and load: two batches in the database (two connections, a transaction each)
  // while the next one is generated.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const begin = ['begin', 'set local synchronous_commit = off', ...(fkAfter ? ['set local session_replication_role = replica'] : [])].join('; ');
  const bar = new cliProgress.SingleBar(
    { format: '  dossiers |{bar}| {percentage}% | {value}/{total} | {rate} dossiers/s, {rowRate} rows/s | {events} events | ETA {eta_formatted}', noTTYOutput: true, notTTYSchedule: 15_000, etaBuffer: 40, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  const loadStarted = Date.now();
  let loaded = 0;
  let loadedEvents = 0;
  const flush = async (dossiers: CopyBuffer, events: CopyBuffer) => {
    const c = await pool.connect();
    try {
      await c.query(begin);
      await copyIn(c, 'dossier', dossierColumns, dossiers);
      await copyIn(c, 'dossier_event', eventColumns, events);
      await c.query('commit');
    } catch (error) {
      await c.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
    loaded += dossiers.rows;
    loadedEvents += events.rows;
    const seconds = (Date.now() - loadStarted) / 1000;
    bar.update(loaded, { rate: Math.round(loaded / seconds).toLocaleString('en'), rowRate: Math.round((loaded + loadedEvents) / seconds).toLocaleString('en'), events: loadedEvents.toLocaleString('en') });
  };

  const sim = new DossierSimulator(r, cal, nowMs);
  const statusCounts: Record<string, number> = {};
  const channelCounts: Record<string, number> = {};
  const eventHistogram: Record<number, number> = {};
  const agencyStatus: Record<string, number> = {};
  let lateCount = 0;
  let finishedCount = 0;
  const serials: { agency_id: number; day: string; last_serial: number }[] = [];
  const inFlight: Promise<void>[] = [];
  let generated = 0;
  let cumulative = 0;
  let generateMs = 0;
  bar.start(count, 0, { rate: 0, rowRate: 0, events: 0 });
  try {
    for (let d = firstDay; d <= today; d++) {
      const before = Math.round((count * cumulative) / weightSum);
      cumulative += dayWeights[d - firstDay]!;
      const n = d === today ? count - generated : Math.round((count * cumulative) / weightSum) - before;
      const start = dayStart(d);
      const times: number[] = [];
      while (times.length < n) {
        const t = start + pickHour(r.next()) * HOUR + Math.floor(r.next() * HOUR);
        if (t <= nowMs) times.push(t);
      }
      times.sort((a, b) => a - b);
      const yymmdd = localDateOfDay(d).slice(2).replace(/-/g, '');
      const dayCounter = new Map<number, number>();
      const workingDay = cal.isWorkingDay(localDateOfDay(d));
      let began = Date.now();
      for (const t of times) {
        const agency = pickAgency(r.next());
        const serial = (dayCounter.get(agency.id) ?? 0) + 1;
        dayCounter.set(agency.id, serial);
        // In office hours on a working day, about half the files come to the desk (1) or by post (3).
        const minute = ((t + VN) % DAY) / MINUTE;
        const deskOpen = workingDay && ((minute >= 450 && minute < 690) || (minute >= 810 && minute < 1020));
        const x = deskOpen ? r.next() : 1;
        const channel = x < 0.45 ? 1 : x < 0.5 ? 3 : 2;
        const result = sim.run({
          id: r.uuid(),
          code: `${agency.code}-${yymmdd}-${String(serial).padStart(4, '0')}`,
          submittedAt: t,
          agency,
          procedure: procsByAgency.get(agency.id)!(r.next()),
          channel,
          ownerId: channel === 2 ? r.pick(citizenIds) : r.pick(agency.reception),
        });
        statusCounts[result.status] = (statusCounts[result.status] ?? 0) + 1;
        channelCounts[channel] = (channelCounts[channel] ?? 0) + 1;
        eventHistogram[result.events] = (eventHistogram[result.events] ?? 0) + 1;
        if (agency.code === COMMUNE_CODES[0]) agencyStatus[result.status] = (agencyStatus[result.status] ?? 0) + 1;
        if (result.late !== null) {
          finishedCount++;
          if (result.late) lateCount++;
        }
        generated++;
        if (sim.dossiers.rows >= batchSize) {
          generateMs += Date.now() - began;
          const pending = flush(sim.dossiers, sim.events);
          pending.catch(() => undefined); // reported where it is awaited
          inFlight.push(pending);
          sim.dossiers = new CopyBuffer(sim.dossiers.buffer.length);
          sim.events = new CopyBuffer(sim.events.buffer.length);
          if (inFlight.length >= 2) await inFlight.shift();
          began = Date.now();
        }
      }
      generateMs += Date.now() - began;
      for (const [agencyId, last] of dayCounter) serials.push({ agency_id: agencyId, day: localDateOfDay(d), last_serial: last });
    }
    if (sim.dossiers.rows) inFlight.push(flush(sim.dossiers, sim.events));
    await Promise.all(inFlight);
  } finally {
    bar.stop();
  }
  const loadMs = Date.now() - loadStarted;
  const rowsPerSecond = Math.round((loaded + loadedEvents) / (loadMs / 1000));
  console.log(
    `  loaded ${loaded.toLocaleString('en')} dossiers and ${loadedEvents.toLocaleString('en')} events in ${(loadMs / 1000).toFixed(1)} s: ${Math.round(loaded / (loadMs / 1000)).toLocaleString('en')} dossiers/s, ${rowsPerSecond.toLocaleString('en')} rows/s (generating the rows in Node: ${(generateMs / 1000).toFixed(1)} s of it)`,
  );

  // 5. The day serials; the foreign keys checked if the load skipped the per-row checks; then
  // statistics and the visibility map.
  phase = Date.now();
  const c = await pool.connect();
  let sizes: { relation: string; size: string }[];
  let vacuumMs: number;
  let fkChecks: { constraint: string; missing: number }[] = [];
  let fkMs = 0;
  let indexMs = 0;
  try {
    await c.query('set session_replication_role = origin');
    if (deferred.length) {
      await c.query("set maintenance_work_mem = '512MB'");
      await rebuildSecondaryIndexes(c, deferred);
      indexMs = Date.now() - phase;
      console.log(`  ${deferred.length} secondary indexes built in ${(indexMs / 1000).toFixed(1)} s`);
      phase = Date.now();
    }
    await c.query('insert into dossier_serial (agency_id, day, last_serial) select agency_id, day, last_serial from json_populate_recordset(null::dossier_serial, $1::json)', [JSON.stringify(serials)]);
    if (fkAfter) {
      fkChecks = await verifyForeignKeys(c);
      fkMs = Date.now() - phase;
      const broken = fkChecks.filter((k) => k.missing > 0);
      console.log(`  foreign keys checked over all rows in ${(fkMs / 1000).toFixed(1)} s: ${broken.length === 0 ? `all ${fkChecks.length} hold` : `BROKEN ${JSON.stringify(broken)}`}`);
      if (broken.length) throw new Error('generated rows break a foreign key');
    }
    phase = Date.now();
    await c.query("set maintenance_work_mem = '256MB'");
    await c.query('vacuum (analyze) dossier');
    await c.query('vacuum (analyze) dossier_event');
    await c.query('analyze');
    vacuumMs = Date.now() - phase;
    console.log(`  ${serials.length.toLocaleString('en')} day serials; VACUUM (ANALYZE) in ${(vacuumMs / 1000).toFixed(1)} s`);
    sizes = (
      await c.query<{ relation: string; size: string }>(
        `select relname as relation, pg_size_pretty(pg_total_relation_size(oid)) as size from pg_class where relname in ('dossier', 'dossier_event') order by relname`,
      )
    ).rows;
  } finally {
    c.release();
    await pool.end();
  }
  const totalMs = Date.now() - startedAt;

  const byCount = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]));
  const percent = (o: Record<string, number>, n: number) =>
    Object.entries(byCount(o))
      .map(([k, v]) => `${k} ${v.toLocaleString('en')} (${((100 * v) / n).toFixed(2)}%)`)
      .join(', ');
  const agencyTotal = Object.values(agencyStatus).reduce((a, b) => a + b, 0);
  const eventCounts = Object.entries(eventHistogram).map(([k, v]) => [Number(k), v] as const);
  console.log(`  statuses: ${percent(statusCounts, generated)}`);
  console.log(`  channels: ${percent(channelCounts, generated)} (1 walk-in, 2 online, 3 post)`);
  console.log(`  ${COMMUNE_CODES[0]}: ${agencyTotal.toLocaleString('en')} dossiers: ${percent(agencyStatus, agencyTotal)}`);
  console.log(`  events per dossier: ${eventCounts.map(([k, v]) => `${k}: ${v.toLocaleString('en')}`).join(', ')} (mean ${(loadedEvents / generated).toFixed(2)})`);
  console.log(`  approved after the appointment: ${((100 * lateCount) / Math.max(finishedCount, 1)).toFixed(1)}% of ${finishedCount.toLocaleString('en')} approved with a due date`);
  console.log(`  sizes: ${sizes.map((s) => `${s.relation} ${s.size}`).join(', ')}`);
  console.log(`done in ${(totalMs / 1000).toFixed(1)} s (loading ${(loadMs / 1000).toFixed(1)} s, indexes ${(indexMs / 1000).toFixed(1)} s, key check ${(fkMs / 1000).toFixed(1)} s, vacuum ${(vacuumMs / 1000).toFixed(1)} s); database ${name} left in place for bench/inbox/run.ts`);

  const outDir = path.join(benchDir, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `inbox-generate-${stamp.toISOString().slice(0, 16).replace(':', '')}.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark: 'inbox-generate',
        at: stamp.toISOString(),
        database: name,
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadAvgAtEnd: os.loadavg() },
        settings: { count, batchSize, citizens, seed: Number(values.seed), connections: 2, fkChecks: fkAfter ? 'after' : 'during', deferredIndexes: deferred.map((x) => x.name) },
        seconds: { total: totalMs / 1000, load: loadMs / 1000, generateInNode: generateMs / 1000, indexes: indexMs / 1000, foreignKeyCheck: fkMs / 1000, vacuumAnalyze: vacuumMs / 1000 },
        rows: { dossiers: loaded, events: loadedEvents, serials: serials.length },
        ratePerSecond: { dossiers: Math.round(loaded / (loadMs / 1000)), rows: rowsPerSecond },
        statuses: byCount(statusCounts),
        channels: byCount(channelCounts),
        agency: { code: COMMUNE_CODES[0], total: agencyTotal, statuses: byCount(agencyStatus) },
        eventsPerDossier: Object.fromEntries(eventCounts),
        lateShare: lateCount / Math.max(finishedCount, 1),
        foreignKeys: fkChecks,
        sizes,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === thisFile;
if (isEntry) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
