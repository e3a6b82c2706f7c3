// Demo dossiers in every status, made through the same use cases a citizen and the officers of
// phường Mỹ Tho use (submission, then the back-office actions), so that the inbox, the tracking
// page and the citizen's "Hồ sơ của tôi" have something to show on a fresh start. Only the
// due dates of two dossiers are moved afterwards, to show "due soon" and "overdue".
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Actor, Role } from '../../platform/access/access.js';
import { renderOfficialPdf } from '../document/document.service.js';
import { addAttachment, createDraft, rateDossier, submitDossier, withdrawDossier, type DossierDeps } from '../dossier/dossier.service.js';
import type { DossierAction } from './transitions.js';
import { performAction, type ActionInput } from './workflow.service.js';

const COMMUNE = '000.00.51.H20';
const ADDRESS = { provinceCode: '82', communeCode: '28261', street: '25 Nguyễn Huệ' };

async function officerActor(deps: DossierDeps, email: string): Promise<Actor | undefined> {
  const account = await deps.db.selectFrom('account').select(['id', 'fullName']).where('email', '=', email).executeTakeFirst();
  if (!account) return undefined;
  const grants = await deps.db
    .selectFrom('roleAssignment as r')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .where('r.accountId', '=', account.id)
    .where('r.revokedAt', 'is', null)
    .select(['r.role', 'r.agencyId', sql<string>`a.path::text`.as('agencyPath')])
    .execute();
  return { kind: 'officer', accountId: account.id, name: account.fullName, grants: grants.map((g) => ({ role: g.role as Role, agencyId: g.agencyId, agencyPath: g.agencyPath })), mfaPassed: true, sessionId: 'demo-seed' };
}

/** Answers for the marital-status certificate (1.004873, 3 working days). */
function maritalStatusAnswers(name: string): Record<string, unknown> {
  return {
    applicantName: name,
    applicantIdNumber: '087090001234',
    applicantPhone: '0912345678',
    applicantEmail: 'congdan@demo.motcua.vn',
    applicantAddress: ADDRESS,
    applicantDateOfBirth: '1990-05-12',
    applicantSex: 'nam',
    applicantEthnicity: 'Kinh',
    applicantNationality: 'Việt Nam',
    maritalStatus: 'chua_ket_hon',
    purpose: 'ket_hon',
    intendedSpouseName: 'Lê Thị Mai',
    intendedSpouseDateOfBirth: '1993-08-20',
    intendedSpouseNationality: 'Việt Nam',
    intendedMarriagePlace: 'UBND phường Mỹ Tho',
    numberOfCopies: 1,
  };
}

/** Answers for birth registration (1.001193). */
function birthAnswers(): Record<string, unknown> {
  return {
    applicantName: 'Nguyễn Văn An',
    applicantIdNumber: '087090001234',
    applicantPhone: '0912345678',
    applicantEmail: 'congdan@demo.motcua.vn',
    applicantAddress: ADDRESS,
    relationshipToChild: 'cha',
    childFullName: 'Nguyễn Minh Khang',
    childDateOfBirth: '2026-11-20',
    childSex: 'nam',
    childPlaceOfBirth: 'Bệnh viện Đa khoa tỉnh Đồng Tháp',
    childEthnicity: 'Kinh',
    childNationality: 'Việt Nam',
    motherFullName: 'Trần Thị Thu',
    motherDateOfBirth: '1992-03-14',
    motherEthnicity: 'Kinh',
    motherNationality: 'Việt Nam',
    motherIdNumber: '087192004455',
    motherResidence: ADDRESS,
    fatherFullName: 'Nguyễn Văn An',
    fatherDateOfBirth: '1990-05-12',
    fatherEthnicity: 'Kinh',
    fatherNationality: 'Việt Nam',
    fatherIdNumber: '087090001234',
    fatherResidence: ADDRESS,
    numberOfCopies: 1,
  };
}

/** Answers for first land registration (1.013978), whose demo workflow has a step at the province. */
function landAnswers(name: string): Record<string, unknown> {
  return {
    applicantName: name,
    applicantIdNumber: '087090001234',
    applicantPhone: '0912345678',
    applicantAddress: ADDRESS,
    landUserType: 'ca_nhan',
    parcelNumber: '125',
    mapSheetNumber: '18',
    landArea: 152.4,
    landAddress: { ...ADDRESS, street: 'Ấp Mỹ Lợi' },
    landUsePurpose: 'Đất ở tại đô thị',
    landUseOrigin: 'Nhận thừa kế của cha mẹ, sử dụng ổn định, không tranh chấp',
    landUseSince: '2004',
    hasAssets: false,
    requestCertificate: true,
  };
}

type Step = [who: 'reception' | 'specialist' | 'leader', action: DossierAction, input?: ActionInput];

/** Loads the demo dossiers once (when there is none yet); returns how many it made. */
export async function seedDemoDossiers(deps: DossierDeps): Promise<number> {
  const existing = await deps.db.selectFrom('dossier').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const citizenRow = await deps.db.selectFrom('account').select(['id', 'fullName']).where('email', '=', 'congdan@demo.motcua.vn').executeTakeFirst();
  const officers = {
    reception: await officerActor(deps, 'tiepnhan@demo.motcua.vn'),
    specialist: await officerActor(deps, 'chuyenvien@demo.motcua.vn'),
    leader: await officerActor(deps, 'lanhdao@demo.motcua.vn'),
  };
  if (!citizenRow || !officers.reception || !officers.specialist || !officers.leader) return 0;
  const citizen: Actor = { kind: 'citizen', accountId: citizenRow.id, name: citizenRow.fullName, grants: [], mfaPassed: false, sessionId: 'demo-seed' };
  const specialistId = officers.specialist.kind === 'officer' ? officers.specialist.accountId : 0;
  const meta = { ip: '127.0.0.1' };
  const certificate = await renderOfficialPdf({
    issuingAgency: 'BỆNH VIỆN ĐA KHOA TỈNH ĐỒNG THÁP',
    placeAndDate: 'Đồng Tháp, ngày 20 tháng 11 năm 2026',
    title: 'GIẤY CHỨNG SINH (BẢN MẪU)',
    fields: [
      { label: 'Họ tên mẹ', value: 'Trần Thị Thu' },
      { label: 'Ngày sinh của con', value: '20/11/2026' },
    ],
    qr: { url: 'http://localhost/demo', caption: 'Dữ liệu mẫu' },
    metadata: { title: 'Giấy chứng sinh (bản mẫu)' },
  });

  const submit = async (procedureCode: string, data: Record<string, unknown>, withCertificate = false) => {
    const { id } = await createDraft(deps, citizen, { procedureCode, agencyCode: COMMUNE, data, notify: { email: false, sms: false } }, meta);
    if (withCertificate) await addAttachment(deps, citizen, id, { slot: 1, fileName: 'giay-chung-sinh.pdf', stream: Readable.from(certificate) }, meta);
    const { code } = await submitDossier(deps, citizen, id, `demo-${id}`, meta);
    return { id, code };
  };
  const run = async (code: string, steps: Step[]) => {
    for (const [who, action, input] of steps) await performAction(deps, officers[who]!, code, action, input ?? {}, meta);
  };
  const assign: Step = ['leader', 'assign', { assignee: specialistId }];
  const name = citizenRow.fullName;
  let count = 0;

  // A draft left half-way.
  await createDraft(deps, citizen, { procedureCode: '1.001193', agencyCode: COMMUNE, data: { childFullName: 'Nguyễn Minh Khang' } }, meta);
  count += 1;
  const scenarios: { procedure: string; steps: Step[]; after?: (id: string, code: string) => Promise<void> }[] = [
    { procedure: '1.001193', steps: [] }, // 1 new, waiting at the desk
    { procedure: '1.004873', steps: [] },
    { procedure: '1.004873', steps: [['reception', 'accept']] }, // 2 accepted
    { procedure: '1.004873', steps: [['reception', 'accept'], assign] }, // 4 processing, with the specialist
    { procedure: '1.004873', steps: [['reception', 'accept'], assign, ['specialist', 'process', { reason: 'Đã xác minh tình trạng hôn nhân qua cơ sở dữ liệu hộ tịch' }], ['specialist', 'forward']] }, // at approval
    { procedure: '1.004873', steps: [['reception', 'request_supplement', { items: [{ item: 'Tờ khai', reason: 'Chưa ghi nơi cư trú trước đây' }] }]] }, // 5
    { procedure: '1.001193', steps: [['reception', 'accept'], assign, ['specialist', 'request_payment', { reason: 'Lệ phí đăng ký khai sinh', fees: [0] }]] }, // 6, its fee payable online
    { procedure: '1.004873', steps: [['reception', 'accept'], assign, ['leader', 'stop', { reason: 'Chờ kết quả xác minh của cơ quan công an' }]] }, // 8
    { procedure: '1.004873', steps: [['reception', 'accept'], assign, ['specialist', 'forward'], ['leader', 'approve']] }, // 9
    { procedure: '1.001193', steps: [['reception', 'accept'], assign, ['specialist', 'forward'], ['leader', 'approve'], ['reception', 'return_result', { delivery: 'in_person' }]] }, // 10
    { procedure: '1.004873', steps: [['reception', 'refuse', { reason: 'Người yêu cầu không cư trú tại phường Mỹ Tho' }]] }, // 3
    // Một cửa liên thông: sent to the province land agency for its cadastral step.
    { procedure: '1.013978', steps: [['reception', 'accept'], assign, ['specialist', 'process', { reason: 'Đã lấy ý kiến khu dân cư, không có tranh chấp' }], ['specialist', 'forward']] },
  ];
  const made: { id: string; code: string }[] = [];
  for (const scenario of scenarios) {
    const data = scenario.procedure === '1.001193' ? birthAnswers() : scenario.procedure === '1.013978' ? landAnswers(name) : maritalStatusAnswers(name);
    const dossier = await submit(scenario.procedure, data, scenario.procedure === '1.001193');
    await run(dossier.code, scenario.steps);
    made.push(dossier);
    count += 1;
  }
  // 7: withdrawn by the citizen before reception.
  const withdrawn = await submit('1.004873', maritalStatusAnswers(name));
  await withdrawDossier(deps, citizen, withdrawn.id, { reason: 'Đã nộp nhầm thủ tục' }, meta);
  count += 1;
  // The returned birth registration is rated.
  await rateDossier(deps, citizen, made[9]!.id, { ratings: { guidance: 2, attitude: 2, timeliness: 2, result: 2 }, comment: 'Cán bộ hướng dẫn tận tình.' }, meta);
  // Time in the inbox: one processing dossier is overdue, the accepted one is due soon.
  await deps.db.updateTable('dossier').set({ dueAt: sql`now() - interval '2 days'` }).where('id', '=', made[3]!.id).execute();
  await deps.db.updateTable('dossier').set({ dueAt: sql`now() + interval '20 hours'` }).where('id', '=', made[2]!.id).execute();
  return count;
}
