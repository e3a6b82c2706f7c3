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
// transaction, default 5,000), --citizens N (owner accounts, default 200), --seed N (the PRNG seed;
// the same seed and count give the same dossiers, codes and events, except for the position of
// "now").
//
// What is generated, consistent with what the product itself writes (src/modules/dossier/
// submission.ts and src/modules/workflow/workflow.service.ts), but loaded in bulk:
// - Dossiers at the 18 current commune agencies (000.00.51–68.H20, agency weights between 0.6 and
//   1.8, phường Mỹ Tho 000.00.51.H20 the largest) for the published procedures those agencies
//   handle (popular ones weighted: certified copies, signature certification, births...),
//   submitted online (channel 2) over the last 730 days: working days full, weekends and holidays
//   light, office hours busiest, a mild growth over the two years.
// - Codes in the Circular 01/2018 format (<agency>-<YYMMDD>-<serial of the day, 4 digits>), the
//   serial counted per agency and local (UTC+7) day in order of submission, so every code is
//   unique; dossier_serial holds each agency's last serial of each day, as takeDailySerial leaves it.
// - Every dossier's history is simulated with the product's own calendar (working days, office
//   hours, holidays: loadWorkingDays) and workflow (the default steps of workflowOf): submission,
//   the reception check (accept, ask for documents, refuse; or the applicant withdraws), the
//   assignment to a specialist, processing (possibly paused once: documents, payment or a stop),
//   the forward to the leader, the approval, the return of the result. Durations are drawn around
//   each step's budget, so some dossiers finish late. The history stops at "now": whatever has
//   not happened yet has not happened, which gives the status mix (mostly returned; new, accepted,
//   processing, paused, done for the recent ones and a small backlog that never moved on).
// - The dossier row carries what the actions set: due_at (provisional from submission, then
//   from acceptance, moved by pauses as dueAfterPauses does), workflow_step, assignee, step
//   start and due, accepted_at, received_by, paused_from, supplement_items, result_delivery,
//   version (1 + events), updated_at. data is '{}'; applicant name, ID number, phone and sometimes
//   an email are generated. dossier_event has one row per status change or hand-over (1 for a
//   dossier still new, 2 for an early refusal or withdrawal, 6–8 for a full history), with
//   action, from_status, to_status, at increasing, the step, its due instant and the holder.
// - 200 citizen accounts own the dossiers; 7 officers per agency (2 reception, 4 specialists, 1
//   leader, with their role assignments) act in the events. They cannot log in (no password).
//
// Loading: one INSERT … SELECT FROM json_populate_recordset per table and batch, in a transaction
// per batch (synchronous_commit off for these sessions), two batches in flight on two
// connections while the next one is generated. Then VACUUM (ANALYZE) of the two tables (what
// autovacuum would have done to tables this old: statistics and the visibility map).
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

/** Online submissions by local hour: office hours busiest, a little at night. */
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
// The simulation of one dossier's history, mirroring performAction / submitDossier /
// resubmitDossier / withdrawDossier.

type Status = 'new' | 'accepted' | 'refused' | 'processing' | 'supplementation' | 'financial' | 'withdrawn' | 'stopped' | 'done' | 'returned';
const pausing = new Set<Status>(['supplementation', 'financial', 'stopped']);

interface EventRow {
  dossier_id: string;
  at: string;
  actor_type: string;
  actor_id: string;
  agency_id: number;
  action: string;
  from_status: Status;
  to_status: Status;
  reason: string | null;
  idempotency_key: string | null;
  step: string | null;
  step_due_at: string | null;
  to_account_id: number | null;
  details: unknown;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const refuseReasons = ['Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan', 'Người yêu cầu không đủ điều kiện theo quy định', 'Giấy tờ trong hồ sơ không hợp lệ, không thể bổ sung'];
const withdrawReasons = ['Nộp nhầm thủ tục', 'Không còn nhu cầu giải quyết', 'Sẽ nộp trực tiếp tại bộ phận một cửa'];
const supplementItems = [
  { item: 'Bản sao giấy tờ tùy thân', reason: 'Bản chụp không rõ, không đọc được số' },
  { item: 'Tờ khai theo mẫu', reason: 'Thiếu chữ ký của người yêu cầu' },
  { item: 'Giấy tờ chứng minh nơi cư trú', reason: 'Chưa nộp' },
  { item: 'Văn bản ủy quyền', reason: 'Văn bản ủy quyền chưa được chứng thực' },
];
const processNotes = ['Đã thẩm định, đủ điều kiện giải quyết', 'Đã xác minh thông tin, đề xuất giải quyết', 'Hồ sơ đầy đủ, hợp lệ; trình lãnh đạo ký'];
const stopReasons = ['Chờ kết quả xác minh của cơ quan có liên quan', 'Đang có tranh chấp, chờ giải quyết của tòa án'];

export interface Simulated {
  dossier: Record<string, unknown>;
  events: EventRow[];
  status: Status;
  late: boolean | null;
}

export function simulateDossier(r: Rng, cal: WorkingDays, nowMs: number, input: { id: string; code: string; submittedAt: number; agency: AgencyRef; procedure: ProcedureRef; ownerId: number }): Simulated {
  const { id, agency, procedure } = input;
  const days = procedure.processingDays;
  const wf = procedure.workflow;
  const t0 = new Date(input.submittedAt);
  const applicant = person(r);
  const email = r.chance(0.35) ? `${asciiSlug(applicant.fullName)}${r.int(1, 999)}@gmail.com` : null;
  const events: EventRow[] = [];
  const s = {
    status: 'new' as Status,
    step: null as string | null,
    holder: null as number | null,
    stepStartedAt: null as Date | null,
    stepDueAt: null as Date | null,
    acceptedAt: null as Date | null,
    receivedBy: null as number | null,
    pausedFrom: null as Status | null,
    supplementItems: null as unknown,
    resultDelivery: null as string | null,
    dueAt: days === null ? null : cal.addWorkingDays(t0, days),
    updatedAt: t0,
  };
  const pauses: { from: Date; to: Date | null }[] = [];
  const key = () => `web-${r.uuid().slice(0, 18)}`;
  const submitKey = key();

  const push = (action: string, at: Date, to: Status, actor: { type: string; id: number }, extra: Partial<EventRow> = {}) => {
    events.push({
      dossier_id: id,
      at: at.toISOString(),
      actor_type: actor.type,
      actor_id: String(actor.id),
      agency_id: agency.id,
      action,
      from_status: s.status,
      to_status: to,
      reason: null,
      idempotency_key: null,
      step: null,
      step_due_at: null,
      to_account_id: null,
      details: null,
      ...extra,
    });
    // Entering and leaving a pause: the clock stops (DOMAIN.md §5), the appointment moves on resume.
    if (pausing.has(to) && !pausing.has(s.status)) pauses.push({ from: at, to: null });
    if (pausing.has(s.status) && !pausing.has(to)) {
      const open = pauses.at(-1);
      if (open && open.to === null) open.to = at;
    }
    s.status = to;
    s.updatedAt = at;
  };
  const citizen = { type: 'citizen', id: input.ownerId };

  /** An officer's action, as performAction sets the step, the holder and the clock. */
  const officer = (action: string, at: Date, actorId: number, opts: { to?: Status; assignee?: number; reason?: string; items?: unknown; delivery?: string } = {}) => {
    let to: Status = opts.to ?? s.status;
    if (action === 'confirm_payment' || action === 'resume') to = s.pausedFrom ?? 'processing';
    let step = s.step;
    let holder = s.holder;
    switch (action) {
      case 'accept':
        s.acceptedAt = at;
        s.receivedBy = actorId;
        if (days !== null) s.dueAt = cal.addWorkingDays(at, days);
        step = stepById(wf, 'reception')?.next ?? wf.steps[1]?.id ?? null;
        holder = null;
        break;
      case 'assign':
        holder = opts.assignee ?? null;
        step = s.step && stepById(wf, s.step)?.role === 'specialist' ? s.step : (wf.steps.find((x) => x.role === 'specialist')?.id ?? step);
        break;
      case 'forward':
        step = stepById(wf, s.step)?.next ?? null;
        holder = null;
        break;
      case 'approve':
        step = wf.steps.find((x) => x.next === null)?.id ?? null;
        holder = null;
        break;
      case 'request_supplement':
        s.supplementItems = opts.items;
        s.pausedFrom = s.status;
        break;
      case 'request_payment':
      case 'stop':
        s.pausedFrom = s.status;
        break;
      case 'confirm_payment':
      case 'resume':
        s.pausedFrom = null;
        break;
      case 'return_result':
        s.resultDelivery = opts.delivery ?? 'in_person';
        step = null;
        break;
      default:
        break;
    }
    const leavingPause = pausing.has(s.status) && !pausing.has(to);
    const current = stepById(wf, step);
    const stepChanged = step !== s.step || action === 'assign' || action === 'accept';
    const stepDueAt = current && stepChanged ? cal.addOfficeTime(at, budgetMinutes(current)) : s.stepDueAt;
    if (stepChanged) {
      s.stepStartedAt = at;
      s.stepDueAt = stepDueAt;
    }
    s.step = step;
    s.holder = holder;
    push(action, at, to, { type: 'officer', id: actorId }, {
      reason: opts.reason ?? null,
      step,
      step_due_at: iso(stepDueAt),
      to_account_id: holder,
      details: opts.items ? { items: opts.items } : opts.delivery ? { delivery: opts.delivery } : null,
    });
    if (leavingPause) moveDueAfterPause();
  };
  const moveDueAfterPause = () => {
    if (!s.acceptedAt || days === null) return;
    s.dueAt = cal.dueAfterPauses(s.acceptedAt, days, pauses.map((p) => ({ from: p.from, to: p.to }))) ?? s.dueAt;
  };
  const resubmit = (at: Date) => {
    const to = s.pausedFrom ?? 'new';
    s.pausedFrom = null;
    push('resubmit', at, to, citizen, { idempotency_key: key() });
    moveDueAfterPause();
  };

  const office = (from: Date, minutes: number) => cal.addOfficeTime(from, Math.min(Math.max(minutes, 1), 200 * 450));
  const later = (from: Date, ms: number) => new Date(from.getTime() + Math.max(ms, MINUTE));
  const past = (d: Date) => d.getTime() > nowMs;
  const reception = () => r.pick(agency.reception);
  const specialist = r.pick(agency.specialists);

  // 1. Submission.
  push('submit', t0, 'new', citizen, { idempotency_key: submitKey });

  const run = (): void => {
    const fate = r.next();
    // 2. The reception check, within about a working day.
    let checkAt = office(t0, r.logNormal(120, 1));
    if (fate < 0.015) {
      // The applicant withdraws before the check.
      const at = later(t0, r.logNormal(6 * HOUR, 1.2));
      if (past(at)) return;
      push('withdraw', at, 'withdrawn', citizen, { reason: r.pick(withdrawReasons) });
      return;
    }
    if (fate < 0.1) {
      // Reception asks for documents first; the applicant hands them in days later (or never).
      if (past(checkAt)) return;
      officer('request_supplement', checkAt, reception(), { to: 'supplementation', items: [r.pick(supplementItems)] });
      if (r.chance(0.04)) return;
      const back = later(checkAt, r.logNormal(3 * DAY, 0.9));
      if (past(back)) return;
      resubmit(back);
      checkAt = office(back, r.logNormal(90, 1));
      if (fate < 0.028) {
        if (past(checkAt)) return;
        officer('refuse', checkAt, reception(), { to: 'refused', reason: r.pick(refuseReasons) });
        return;
      }
    } else if (fate < 0.118) {
      if (past(checkAt)) return;
      officer('refuse', checkAt, reception(), { to: 'refused', reason: r.pick(refuseReasons) });
      return;
    }
    // 3. Acceptance: the appointment counts from here.
    if (past(checkAt)) return;
    officer('accept', checkAt, reception(), { to: 'accepted' });
    if (r.chance(0.0005)) return; // never assigned: the backlog
    // 4. Assignment to a specialist (by reception, as the demo office does).
    const assignAt = office(checkAt, r.logNormal(45, 1));
    if (past(assignAt)) return;
    officer('assign', assignAt, reception(), { to: 'processing', assignee: specialist });
    // 5. Processing: its budget times a factor; sometimes over budget, so late.
    const processing = stepById(wf, s.step);
    const budget = processing ? budgetMinutes(processing) : 450;
    const work = Math.max(15, budget * r.logNormal(0.5, 0.75));
    const detour = r.next();
    let resumedAt = assignAt;
    let remaining = work;
    let detoured = false;
    if (detour < 0.05 || (detour < 0.11 && procedure.hasFees) || (detour >= 0.11 && detour < 0.12)) {
      detoured = true;
      const share = 0.1 + r.next() * 0.6;
      const pauseAt = office(assignAt, work * share);
      remaining = work * (1 - share);
      if (past(pauseAt)) return;
      if (detour < 0.05) {
        officer('request_supplement', pauseAt, specialist, { to: 'supplementation', items: [r.pick(supplementItems)] });
        if (r.chance(0.04)) return;
        resumedAt = later(pauseAt, r.logNormal(3 * DAY, 0.9));
        if (past(resumedAt)) return;
        resubmit(resumedAt);
      } else if (detour < 0.11) {
        officer('request_payment', pauseAt, specialist, { to: 'financial', reason: 'Đề nghị nộp phí, lệ phí theo quy định' });
        if (r.chance(0.03)) return;
        resumedAt = office(later(pauseAt, r.logNormal(20 * HOUR, 1)), r.logNormal(30, 1));
        if (past(resumedAt)) return;
        officer('confirm_payment', resumedAt, specialist);
      } else {
        officer('stop', pauseAt, agency.leader, { to: 'stopped', reason: r.pick(stopReasons) });
        if (r.chance(0.35)) return;
        resumedAt = office(later(pauseAt, (5 + r.next() * 35) * DAY), 60);
        if (past(resumedAt)) return;
        officer('resume', resumedAt, agency.leader);
      }
    }
    if (r.chance(0.002)) return; // left in processing: the backlog
    const forwardAt = office(resumedAt, remaining);
    if (!detoured && r.chance(0.5)) {
      const noteAt = office(resumedAt, remaining * 0.8);
      if (past(noteAt)) return;
      officer('process', noteAt, specialist, { reason: r.pick(processNotes) });
    }
    if (past(forwardAt)) return;
    officer('forward', forwardAt, specialist);
    if (r.chance(0.0005)) return; // waiting for a signature: the backlog
    // 6. Approval by the leader.
    const approval = stepById(wf, s.step);
    const approveAt = office(forwardAt, Math.max(10, (approval ? budgetMinutes(approval) : 120) * r.logNormal(0.35, 0.8)));
    if (past(approveAt)) return;
    officer('approve', approveAt, agency.leader, { to: 'done' });
    // 7. The result goes back: picked up within days, sent, or never collected.
    if (r.chance(0.01)) return;
    const delivery = r.next() < 0.6 ? 'in_person' : r.next() < 0.75 ? 'online' : 'post';
    const returnAt = office(approveAt, delivery === 'online' ? r.logNormal(20, 1) : r.logNormal(400, 1.2));
    if (past(returnAt)) return;
    officer('return_result', returnAt, reception(), { to: 'returned', delivery });
  };
  run();

  const finished = events.find((e) => e.action === 'approve');
  const late = finished && s.dueAt ? new Date(finished.at).getTime() > s.dueAt.getTime() : null;
  return {
    status: s.status,
    late,
    events,
    dossier: {
      id,
      code: input.code,
      procedure_id: procedure.id,
      agency_id: agency.id,
      owner_account_id: input.ownerId,
      business_id: null,
      channel: 2,
      status: s.status,
      data: {},
      current_step: 0,
      notify_email: email !== null,
      notify_sms: r.chance(0.3),
      applicant_name: applicant.fullName,
      applicant_id_number: applicant.idNumber,
      applicant_phone: applicant.phone,
      applicant_email: email,
      rule_versions: procedure.ruleVersions,
      submit_key: submitKey,
      submitted_at: t0.toISOString(),
      due_at: iso(s.dueAt),
      created_at: new Date(input.submittedAt - r.int(2, 90) * MINUTE).toISOString(),
      updated_at: s.updatedAt.toISOString(),
      version: 1 + events.length,
      workflow_step: s.step,
      assignee_account_id: s.holder,
      step_started_at: iso(s.stepStartedAt),
      step_due_at: iso(s.stepDueAt),
      accepted_at: iso(s.acceptedAt),
      paused_from: s.pausedFrom,
      apologized_at: null,
      supplement_items: s.supplementItems ?? null,
      result_delivery: s.resultDelivery,
      received_by: s.receivedBy,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Database setup

const dossierColumns = [
  'id', 'code', 'procedure_id', 'agency_id', 'owner_account_id', 'business_id', 'channel', 'status', 'data', 'current_step', 'notify_email', 'notify_sms',
  'applicant_name', 'applicant_id_number', 'applicant_phone', 'applicant_email', 'rule_versions', 'submit_key', 'submitted_at', 'due_at', 'created_at', 'updated_at',
  'version', 'workflow_step', 'assignee_account_id', 'step_started_at', 'step_due_at', 'accepted_at', 'paused_from', 'apologized_at', 'supplement_items', 'result_delivery', 'received_by',
].join(', ');
const eventColumns = ['dossier_id', 'at', 'actor_type', 'actor_id', 'agency_id', 'action', 'from_status', 'to_status', 'reason', 'idempotency_key', 'step', 'step_due_at', 'to_account_id', 'details'].join(', ');
const insertDossiers = `insert into dossier (${dossierColumns}) select ${dossierColumns} from json_populate_recordset(null::dossier, $1::json)`;
const insertEvents = `insert into dossier_event (${eventColumns}) select ${eventColumns} from json_populate_recordset(null::dossier_event, $1::json)`;

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

  // 4. Generate and load.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('connect', (c) => {
    void c.query('set synchronous_commit = off');
    if (process.env.BENCH_REPLICA) void c.query('set session_replication_role = replica');
  });
  const bar = new cliProgress.SingleBar(
    { format: '  dossiers |{bar}| {percentage}% | {value}/{total} | {rate} dossiers/s, {eventRate} events/s | {events} events | ETA {eta_formatted}', noTTYOutput: true, notTTYSchedule: 15_000, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  const loadStarted = Date.now();
  let loaded = 0;
  let loadedEvents = 0;
  bar.start(count, 0, { rate: 0, eventRate: 0, events: 0 });
  const timing = { dossiers: 0, events: 0, commit: 0 };
  const flush = async (dossiers: Record<string, unknown>[], events: EventRow[]) => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      let t = Date.now();
      await c.query(insertDossiers, [JSON.stringify(dossiers)]);
      timing.dossiers += Date.now() - t;
      t = Date.now();
      await c.query(insertEvents, [JSON.stringify(events)]);
      timing.events += Date.now() - t;
      t = Date.now();
      await c.query('commit');
      timing.commit += Date.now() - t;
    } catch (error) {
      await c.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
    loaded += dossiers.length;
    loadedEvents += events.length;
    const seconds = (Date.now() - loadStarted) / 1000;
    bar.update(loaded, { rate: Math.round(loaded / seconds).toLocaleString('en'), eventRate: Math.round(loadedEvents / seconds).toLocaleString('en'), events: loadedEvents.toLocaleString('en') });
  };

  const statusCounts: Record<string, number> = {};
  const eventHistogram: Record<number, number> = {};
  const agencyStatus: Record<string, number> = {};
  let lateCount = 0;
  let finishedCount = 0;
  const serials: { agency_id: number; day: string; last_serial: number }[] = [];
  let dossiers: Record<string, unknown>[] = [];
  let events: EventRow[] = [];
  const inFlight: Promise<void>[] = [];
  let generated = 0;
  let cumulative = 0;
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
      for (const t of times) {
        const agency = pickAgency(r.next());
        const serial = (dayCounter.get(agency.id) ?? 0) + 1;
        dayCounter.set(agency.id, serial);
        const procedure = procsByAgency.get(agency.id)!(r.next());
        const sim = simulateDossier(r, cal, nowMs, {
          id: r.uuid(),
          code: `${agency.code}-${yymmdd}-${String(serial).padStart(4, '0')}`,
          submittedAt: t,
          agency,
          procedure,
          ownerId: r.pick(citizenIds),
        });
        dossiers.push(sim.dossier);
        for (const e of sim.events) events.push(e);
        statusCounts[sim.status] = (statusCounts[sim.status] ?? 0) + 1;
        eventHistogram[sim.events.length] = (eventHistogram[sim.events.length] ?? 0) + 1;
        if (agency.code === COMMUNE_CODES[0]) agencyStatus[sim.status] = (agencyStatus[sim.status] ?? 0) + 1;
        if (sim.late !== null) {
          finishedCount++;
          if (sim.late) lateCount++;
        }
        generated++;
        if (dossiers.length >= batchSize) {
          const pending = flush(dossiers, events);
          pending.catch(() => undefined); // reported where it is awaited
          inFlight.push(pending);
          dossiers = [];
          events = [];
          // Two batches in the database while the next one is generated.
          if (inFlight.length >= 2) await inFlight.shift();
        }
      }
      for (const [agencyId, last] of dayCounter) serials.push({ agency_id: agencyId, day: localDateOfDay(d), last_serial: last });
    }
    if (dossiers.length) inFlight.push(flush(dossiers, events));
    await Promise.all(inFlight);
  } finally {
    bar.stop();
  }
  const loadMs = Date.now() - loadStarted;
  console.log('TIMING', timing);
  console.log(`  loaded ${loaded.toLocaleString('en')} dossiers and ${loadedEvents.toLocaleString('en')} events in ${(loadMs / 1000).toFixed(1)} s: ${Math.round(loaded / (loadMs / 1000)).toLocaleString('en')} dossiers/s, ${Math.round((loaded + loadedEvents) / (loadMs / 1000)).toLocaleString('en')} rows/s`);

  // 5. The day serials, then statistics and the visibility map.
  phase = Date.now();
  const c = await pool.connect();
  let sizes: { relation: string; size: string }[];
  let vacuumMs: number;
  try {
    await c.query('insert into dossier_serial (agency_id, day, last_serial) select agency_id, day, last_serial from json_populate_recordset(null::dossier_serial, $1::json)', [JSON.stringify(serials)]);
    await c.query('set maintenance_work_mem = \'256MB\'');
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
  const percent = (o: Record<string, number>, n: number) => Object.entries(byCount(o)).map(([k, v]) => `${k} ${v.toLocaleString('en')} (${((100 * v) / n).toFixed(2)}%)`).join(', ');
  const agencyTotal = Object.values(agencyStatus).reduce((a, b) => a + b, 0);
  const eventCounts = Object.entries(eventHistogram).map(([k, v]) => [Number(k), v] as const);
  console.log(`  statuses: ${percent(statusCounts, generated)}`);
  console.log(`  ${COMMUNE_CODES[0]}: ${agencyTotal.toLocaleString('en')} dossiers: ${percent(agencyStatus, agencyTotal)}`);
  console.log(`  events per dossier: ${eventCounts.map(([k, v]) => `${k}: ${v.toLocaleString('en')}`).join(', ')} (mean ${(loadedEvents / generated).toFixed(2)})`);
  console.log(`  approved after the appointment: ${((100 * lateCount) / Math.max(finishedCount, 1)).toFixed(1)}% of ${finishedCount.toLocaleString('en')} with a due date`);
  console.log(`  sizes: ${sizes.map((s) => `${s.relation} ${s.size}`).join(', ')}`);
  console.log(`done in ${(totalMs / 1000).toFixed(1)} s (loading ${(loadMs / 1000).toFixed(1)} s, vacuum ${(vacuumMs / 1000).toFixed(1)} s); database ${name} left in place for bench/inbox/run.ts`);

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
        settings: { count, batchSize, citizens, seed: Number(values.seed), connections: 2 },
        seconds: { total: totalMs / 1000, load: loadMs / 1000, vacuumAnalyze: vacuumMs / 1000 },
        rows: { dossiers: loaded, events: loadedEvents, serials: serials.length },
        ratePerSecond: { dossiers: Math.round(loaded / (loadMs / 1000)), rows: Math.round((loaded + loadedEvents) / (loadMs / 1000)) },
        statuses: byCount(statusCounts),
        agency: { code: COMMUNE_CODES[0], total: agencyTotal, statuses: byCount(agencyStatus) },
        eventsPerDossier: Object.fromEntries(eventCounts),
        lateShare: lateCount / Math.max(finishedCount, 1),
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
