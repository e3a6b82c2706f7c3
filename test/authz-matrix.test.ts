// The authorisation matrix: every route of the built app has an entry here, either "public" (with
// the reason) or the status each kind of caller gets. A route added without an entry fails this
// test, so no page or endpoint ships without an access decision.
//
// Callers: nobody, a citizen, a business, officers of commune A (reception, specialist, leader,
// agency admin), the province admin, an auditor at the province, the agency admin of another
// commune B ("foreign": an officer of commune A is none of its business), an officer who has typed
// the password but not passed TOTP, and an API token. GET routes are requested as they are; POST
// routes with a valid CSRF token (bearer tokens need none) and a harmless body, or, when the action
// itself is the point (revoke, unlock), a fresh object per caller whose change is checked: done
// exactly when the caller is allowed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../src/db/schema.js';
import { createDraft } from '../src/modules/dossier/dossier.service.js';
import { hashPassword } from '../src/modules/identity/password.js';
import { stylesheetUrl } from '../src/platform/http/assets.js';
import { hashToken } from '../src/platform/security/secrets.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { api, birthRegistrationData, uploadAttachment } from './helpers/dossier.js';
import { samplePdf } from './helpers/files.js';
import { agencyId, countRows, createOfficer, freshIp, loginCitizen, loginOfficer, WebClient, type InjectResponse, type Officer } from './helpers/identity.js';

const COMMUNE_A = '000.00.51.H20';
const COMMUNE_B = '000.00.52.H20';
const PROVINCE = '000.00.00.H20';

const actors = ['anonymous', 'citizen', 'business', 'reception', 'specialist', 'leader', 'agencyAdmin', 'provinceAdmin', 'auditor', 'foreignAdmin', 'officerNoMfa', 'apiToken'] as const;
type ActorName = (typeof actors)[number];

/** A status, a status and the redirect target, or DONE: the change is made (a fixture's object). */
type Expectation = number | readonly [303, string] | typeof DONE;
/** One expectation per caller, in the order of `actors`: the tuple type makes every row complete. */
type Row = readonly [Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation, Expectation];

interface Fixture {
  url: string;
  /** Where a done change redirects to. */
  done: string;
  /** Whether the request changed the object (revoked, unlocked...). */
  changed(): Promise<boolean>;
}

interface ProtectedEntry {
  kind: 'protected';
  row: Row;
  /** The concrete URL (the route's own path when it has no parameters). */
  url?: () => string;
  /** A harmless form body for a POST. */
  body?: Record<string, string>;
  /** A fresh object per caller, for requests that change something (rows say DONE where it may). */
  fixture?: (actor: ActorName) => Promise<Fixture>;
}

interface PublicEntry {
  kind: 'public';
  why: string;
  /** What nobody signed in gets (with `sample` as the URL when the route has parameters). */
  anonymous: Expectation | 'ok';
  sample?: () => string;
  body?: Record<string, string>;
}

type Entry = ProtectedEntry | PublicEntry;

const DONE = 'done';
const LOGIN: Expectation = [303, '/dang-nhap'];
const TOTP: Expectation = [303, '/dang-nhap/xac-thuc'];
const BACKOFFICE: Expectation = [303, '/quan-tri'];
/** Into the caller's own dossier pages (/ho-so/<id>/...). */
const HO_SO: Expectation = [303, '/ho-so'];
const APPLY_CODE = '1.001193';

const pub = (why: string, anonymous: PublicEntry['anonymous'] = 'ok', extra: Partial<PublicEntry> = {}): PublicEntry => ({ kind: 'public', why, anonymous, ...extra });
const guarded = (row: Row, extra: Omit<ProtectedEntry, 'kind' | 'row'> = {}): ProtectedEntry => ({ kind: 'protected', row, ...extra });

// ---------------------------------------------------------------------------------------------
// Fixtures shared by the matrix (filled in before()).
let t: TestApp;
let db: Kysely<DB>;
let target: Officer;
let procedureCode: string;
/** A draft of the matrix citizen. */
let draftId: string;
/** A dossier of the matrix citizen submitted to commune A, and one of its attachments (back-office pages). */
let dossierCode: string;
let attachmentId: string;

async function freshAssignment(): Promise<number> {
  // One active grant per (officer, role, agency): the previous caller's one, if left, goes first.
  await db.updateTable('roleAssignment').set({ revokedAt: sql`now()` }).where('accountId', '=', target.id).where('role', '=', 'specialist').where('revokedAt', 'is', null).execute();
  const { id } = await db
    .insertInto('roleAssignment')
    .values({ accountId: target.id, role: 'specialist', agencyId: await agencyId(db, COMMUNE_A), grantedBy: null, revokedAt: null, revokedBy: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function freshToken(): Promise<number> {
  const { id } = await db
    .insertInto('apiToken')
    .values({ name: 'matrix', tokenHash: hashToken(`mc_matrix_${Math.random()}`), prefix: 'mc_matrix_', scopes: ['catalog:read'], agencyId: null, createdBy: null, expiresAt: new Date(Date.now() + 86_400_000), revokedAt: null, lastUsedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

const PAYMENT_SAMPLE = '00000000-0000-4000-8000-000000000000';

/** A payment confirmed at commune A that settled its obligation (so it is not refund-due). */
async function paidPaymentAtA(): Promise<string> {
  const agency = await agencyId(db, COMMUNE_A);
  const obligationId = randomUUID();
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10);
  await db.insertInto('paymentObligation').values({ id: obligationId, kind: 'fine', reference: `MT-${id}`, description: 'Phạt vi phạm hành chính', payerName: 'Công Dân Ma Trận', payerIdNumber: '087090009999', agencyId: agency, lines: JSON.stringify([{ label: 'Tiền phạt', amount: 100_000 }]), total: 100_000, updatedAt: new Date() }).execute();
  await db.insertInto('payment').values({ id, obligationId, provider: 'vnpay', txnRef: `${day.replace(/-/g, '')}9${Math.floor(Math.random() * 1e6)}`, txnDay: day, amount: 100_000, state: 'paid', paidAt: new Date(), expiresAt: new Date(), updatedAt: new Date() }).execute();
  await db.updateTable('paymentObligation').set({ status: 'paid', paidPaymentId: id, paidAt: new Date() }).where('id', '=', obligationId).execute();
  return id;
}

// ---------------------------------------------------------------------------------------------
// The matrix. Columns:
//   anonymous, citizen, business, reception@A, specialist@A, leader@A, agency_admin@A,
//   province_admin, auditor@province, agency_admin@B (foreign), officer before TOTP, API token
const matrix: Record<string, Entry> = {
  // Platform and public catalogue.
  'GET /': pub('home page'),
  'GET /api/openapi.json': pub('API description'),
  'GET /api/docs': pub('API documentation'),
  'GET /api/v1/procedures': pub('public catalogue API'),
  'GET /api/v1/procedures/:code': pub('public catalogue API', 'ok', { sample: () => `/api/v1/procedures/${procedureCode}` }),
  'GET /api/v1/fields': pub('public catalogue API'),
  'GET /api/v1/agencies': pub('public organisation API'),
  'GET /api/v1/calendar/holidays': pub('public calendar API', 400),
  'GET /api/v1/calendar/lunar': pub('public calendar API', 400),
  'GET /assets/:file': pub('stylesheet', 'ok', { sample: () => stylesheetUrl }),
  'GET /healthz': pub('liveness probe'),
  'GET /readyz': pub('readiness probe'),
  'GET /metrics': pub('Prometheus metrics (route patterns and counts only; restrict at the proxy)'),
  'GET /thu-tuc': pub('public catalogue'),
  'GET /thu-tuc/:code': pub('public catalogue', 'ok', { sample: () => `/thu-tuc/${procedureCode}` }),
  'GET /thu-tuc/:code/mau-don': pub('public catalogue', 'ok', { sample: () => `/thu-tuc/${procedureCode}/mau-don` }),
  'GET /lich-lam-viec': pub('public working calendar'),
  'GET /api/v1/track/:code': pub('public tracking by dossier code (personal data only with proof)', 404, { sample: () => '/api/v1/track/000.00.51.H20-000101-9999' }),
  'GET /tra-cuu': pub('tracking search form'),
  'GET /tra-cuu/:code': pub('public tracking page', 404, { sample: () => '/tra-cuu/000.00.51.H20-000101-9999' }),
  'POST /tra-cuu/:code': pub('tracking with a phone or identity number as proof', 404, { sample: () => '/tra-cuu/000.00.51.H20-000101-9999' }),
  // Signed results: the random code printed under the QR is the key, as the paper document is.
  'GET /verify': pub('signed-result check: the code search form'),
  'GET /verify/:id': pub('public check of a signed result by its code', 404, { sample: () => '/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc' }),
  'POST /verify/:id': pub('check of a file against a signed result (hashed, never stored)', 404, { sample: () => '/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc' }),
  'GET /verify/:id/document.pdf': pub('the signed result, to whoever holds its code', 404, { sample: () => '/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc/document.pdf' }),
  'GET /verify/:id/signature.p7s': pub('the detached signature of a signed result', 404, { sample: () => '/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc/signature.p7s' }),
  'GET /api/v1/verify/:id': pub('signed-result check API', 404, { sample: () => '/api/v1/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc' }),
  'GET /dev/hop-thu': pub('developer inbox: registered only without SMTP_URL outside production'),
  'GET /dev/hop-thu/:id': pub('developer inbox: registered only without SMTP_URL outside production', 404, { sample: () => '/dev/hop-thu/999999' }),

  // Account pages anyone may use.
  'GET /dang-ky': pub('registration form'),
  'POST /dang-ky': pub('registration', 400),
  'GET /dang-ky/doanh-nghiep': pub('business registration form'),
  'POST /dang-ky/doanh-nghiep': pub('business registration', 400),
  'GET /dang-ky/kiem-tra-thu': pub('"check your email" page'),
  'GET /xac-thuc-email': pub('email verification button'),
  'POST /xac-thuc-email': pub('email verification (the token is the credential)', 400),
  'GET /dang-nhap': pub('login form'),
  'POST /dang-nhap': pub('login', 401),
  'GET /dang-nhap/vneid': pub('VNeID login start (404 when OIDC is not configured)', 404),
  'GET /dang-nhap/vneid/callback': pub('VNeID callback (state-checked; 404 when OIDC is not configured)', 404),
  'POST /dang-xuat': pub('logout: ends the caller’s own session', [303, '/']),
  'GET /quen-mat-khau': pub('password reset request form'),
  'POST /quen-mat-khau': pub('password reset request (same answer for every address)', 400),
  'GET /dat-lai-mat-khau': pub('password reset form'),
  'POST /dat-lai-mat-khau': pub('password reset (the token is the credential)', 400),
  'GET /dat-mat-khau': pub('officer first password form'),
  'POST /dat-mat-khau': pub('officer first password (the token is the credential)', 400),

  //                                             anon   citizen business recep spec  lead  agAdm prAdm audit foreign noMfa token
  'GET /api/v1/me': guarded([401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
  'GET /tai-khoan': guarded([LOGIN, 200, 200, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, 401]),
  'POST /tai-khoan/uy-quyen': guarded([LOGIN, 404, 400, 404, 404, 404, 404, 404, 404, 404, 404, 401], { body: {} }),
  'POST /tai-khoan/dai-dien': guarded([LOGIN, [303, '/tai-khoan'], 404, 404, 404, 404, 404, 404, 404, 404, 404, LOGIN], { body: { businessId: '' } }),
  'GET /dang-nhap/xac-thuc': guarded([LOGIN, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
  'POST /dang-nhap/xac-thuc': guarded([401, 401, 401, 400, 400, 400, 400, 400, 400, 400, 400, 401], { body: { code: '' } }),
  // Enrolled officers are sent on: to the code when it is pending, to the back office when done.
  'GET /dang-nhap/thiet-lap-xac-thuc': guarded([LOGIN, 401, 401, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, TOTP, 401]),
  'POST /dang-nhap/thiet-lap-xac-thuc': guarded([401, 401, 401, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, BACKOFFICE, TOTP, 401], { body: { code: '' } }),
  'GET /quan-tri': guarded([LOGIN, 404, 404, 200, 200, 200, 200, 200, 200, 200, TOTP, 404]),
  'GET /quan-tri/can-bo': guarded([LOGIN, 404, 404, 404, 404, 404, 200, 200, 404, 200, 404, 404]),
  'POST /quan-tri/can-bo': guarded([LOGIN, 404, 404, 404, 404, 404, 400, 400, 404, 400, 404, 404], { body: {} }),
  'GET /quan-tri/can-bo/:id': guarded([LOGIN, 404, 404, 404, 404, 404, 200, 200, 404, 404, 404, 404], { url: () => `/quan-tri/can-bo/${target.id}` }),
  'POST /quan-tri/can-bo/:id/vai-tro': guarded([LOGIN, 404, 404, 404, 404, 404, 400, 400, 404, 404, 404, 404], { url: () => `/quan-tri/can-bo/${target.id}/vai-tro`, body: {} }),
  'POST /quan-tri/can-bo/:id/vai-tro/:assignment/thu-hoi': guarded([LOGIN, 404, 404, 404, 404, 404, DONE, DONE, 404, 404, 404, 404], {
    fixture: async () => {
      const id = await freshAssignment();
      return {
        url: `/quan-tri/can-bo/${target.id}/vai-tro/${id}/thu-hoi`,
        done: `/quan-tri/can-bo/${target.id}`,
        changed: async () => (await db.selectFrom('roleAssignment').select('revokedAt').where('id', '=', id).executeTakeFirstOrThrow()).revokedAt !== null,
      };
    },
  }),
  'POST /quan-tri/can-bo/:id/mo-khoa': guarded([LOGIN, 404, 404, 404, 404, 404, DONE, DONE, 404, 404, 404, 404], {
    fixture: async () => {
      await db.updateTable('account').set({ lockedUntil: sql`now() + interval '10 minutes'` }).where('id', '=', target.id).execute();
      return {
        url: `/quan-tri/can-bo/${target.id}/mo-khoa`,
        done: `/quan-tri/can-bo/${target.id}`,
        changed: async () => (await db.selectFrom('account').select('lockedUntil').where('id', '=', target.id).executeTakeFirstOrThrow()).lockedUntil === null,
      };
    },
  }),
  'GET /quan-tri/lich': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404]),
  'POST /quan-tri/lich': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 400, 404, 404, 404, 404], { body: {} }),
  // Applying online: the applicant's own drafts and dossiers (a draft of the matrix citizen).
  //                                             anon   citizen business recep spec  lead  agAdm prAdm audit foreign noMfa token
  'GET /thu-tuc/:code/nop-truc-tuyen': guarded([LOGIN, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/thu-tuc/${APPLY_CODE}/nop-truc-tuyen` }),
  'POST /thu-tuc/:code/nop-truc-tuyen': guarded([401, HO_SO, HO_SO, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/thu-tuc/${APPLY_CODE}/nop-truc-tuyen` }),
  'GET /ho-so': guarded([LOGIN, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  'GET /ho-so/:id': guarded([LOGIN, HO_SO, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}` }),
  'GET /ho-so/:id/buoc/:n': guarded([LOGIN, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/buoc/1` }),
  'POST /ho-so/:id/buoc/:n': guarded([401, 422, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/buoc/1` }),
  'GET /ho-so/:id/giay-to': guarded([LOGIN, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/giay-to` }),
  'POST /ho-so/:id/giay-to': guarded([401, 415, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/giay-to` }),
  'POST /ho-so/:id/giay-to/kho': guarded([401, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/giay-to/kho` }),
  'POST /ho-so/:id/giay-to/xoa': guarded([401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/giay-to/xoa` }),
  'GET /ho-so/:id/kiem-tra': guarded([LOGIN, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/kiem-tra` }),
  'POST /ho-so/:id/nop': guarded([401, 422, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/nop` }),
  'GET /ho-so/:id/da-nop': guarded([LOGIN, HO_SO, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/da-nop` }),
  'POST /ho-so/:id/danh-gia': guarded([401, 409, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/danh-gia` }),
  'POST /ho-so/:id/rut': guarded([401, 409, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/rut`, body: { reason: 'không cần nữa' } }),
  'GET /ho-so/:id/xac-nhan.pdf': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/xac-nhan.pdf` }),
  'GET /ho-so/:id/tep/:attachmentId': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/ho-so/${draftId}/tep/${draftId}` }),
  'GET /kho-du-lieu': guarded([LOGIN, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  'GET /kho-du-lieu/:itemId': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/kho-du-lieu/${draftId}` }),
  // Officers may enter walk-in dossiers on the same path: the harmless body fails validation first.
  'POST /api/v1/dossiers': guarded([401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 404], { body: {} }),
  'GET /api/v1/dossiers': guarded([401, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  'GET /api/v1/dossiers/:id': guarded([401, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}` }),
  'PUT /api/v1/dossiers/:id': guarded([401, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}` }),
  'POST /api/v1/dossiers/:id/attachments': guarded([401, 415, 415, 415, 415, 415, 415, 415, 415, 415, 415, 404], { url: () => `/api/v1/dossiers/${draftId}/attachments` }),
  'POST /api/v1/dossiers/:id/attachments/from-repository': guarded([401, 400, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}/attachments/from-repository` }),
  'POST /api/v1/dossiers/:id/submit': guarded([401, 400, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}/submit` }),
  'POST /api/v1/dossiers/:id/resubmit': guarded([401, 400, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}/resubmit` }),
  'POST /api/v1/dossiers/:id/withdraw': guarded([401, 400, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => `/api/v1/dossiers/${draftId}/withdraw` }),
  'GET /tai-khoan/ma-api': guarded([LOGIN, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  'POST /tai-khoan/ma-api': guarded([401, 400, 400, 404, 404, 404, 404, 404, 404, 404, 404, 404], { body: {} }),
  'POST /tai-khoan/ma-api/:id/thu-hoi': guarded([401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404], { url: () => '/tai-khoan/ma-api/999999/thu-hoi' }),
  // The back-office pages: officers who may read dossiers at commune A (the auditor at the province
  // covers it); other officers, citizens and tokens 404; before TOTP, back to it.
  //                                             anon   citizen business recep spec  lead  agAdm prAdm audit foreign noMfa token
  'GET /quan-tri/ho-so': guarded([LOGIN, 404, 404, 200, 200, 200, 404, 404, 200, 404, TOTP, 404]),
  'GET /quan-tri/ho-so/:code': guarded([LOGIN, 404, 404, 200, 200, 200, 404, 404, 200, 404, TOTP, 404], { url: () => `/quan-tri/ho-so/${dossierCode}` }),
  // A harmless body: no version, so nothing is done (400) for those who may see the dossier at all.
  'POST /quan-tri/ho-so/:code/:action': guarded([LOGIN, 404, 404, 400, 400, 400, 404, 404, 400, 404, TOTP, 404], { url: () => `/quan-tri/ho-so/${dossierCode}/accept` }),
  'GET /quan-tri/ho-so/:code/tep/:attachmentId': guarded([LOGIN, 404, 404, 200, 200, 200, 404, 404, 200, 404, TOTP, 404], { url: () => `/quan-tri/ho-so/${dossierCode}/tep/${attachmentId}` }),
  'GET /quan-tri/ho-so/:code/phieu/:form': guarded([LOGIN, 404, 404, 200, 200, 200, 404, 404, 200, 404, TOTP, 404], { url: () => `/quan-tri/ho-so/${dossierCode}/phieu/05` }),
  // Walk-in and postal dossiers: only officers who receive (reception at A). The harmless body names
  // no procedure (422); a form post is not an upload (415, on the dossier page).
  'GET /quan-tri/ho-so/tiep-nhan': guarded([LOGIN, 404, 404, 200, 404, 404, 404, 404, 404, 404, TOTP, 404]),
  'POST /quan-tri/ho-so/tiep-nhan': guarded([LOGIN, 404, 404, 422, 404, 404, 404, 404, 404, 404, TOTP, 404], { body: {} }),
  'POST /quan-tri/ho-so/:code/ban-quet': guarded([LOGIN, 404, 404, 415, 404, 404, 404, 404, 404, 404, TOTP, 404], { url: () => `/quan-tri/ho-so/${dossierCode}/ban-quet` }),
  // The back office: officers with a dossier role at the agency (the matrix draft is never submitted,
  // so its code does not exist: 404 for everyone who may look at all).
  'GET /api/v1/ledger': guarded([401, 404, 404, 400, 400, 400, 404, 404, 400, 404, 404, 404]),
  'GET /api/v1/inbox': guarded([401, 404, 404, 200, 200, 200, 404, 404, 200, 404, 404, 404]),
  'POST /api/v1/dossiers/:id/actions/:action': guarded([401, 404, 404, 400, 400, 400, 404, 404, 400, 404, 404, 404], { url: () => '/api/v1/dossiers/000.00.51.H20-000101-9999/actions/accept' }),
  'GET /api/v1/repository': guarded([401, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
  'GET /quan-tri/token': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404]),
  'POST /quan-tri/token': guarded([LOGIN, 404, 404, 404, 404, 404, 404, 400, 404, 404, 404, 404], { body: {} }),
  'POST /quan-tri/token/:id/thu-hoi': guarded([LOGIN, 404, 404, 404, 404, 404, 404, DONE, 404, 404, 404, 404], {
    fixture: async () => {
      const id = await freshToken();
      return {
        url: `/quan-tri/token/${id}/thu-hoi`,
        done: '/quan-tri/token',
        changed: async () => (await db.selectFrom('apiToken').select('revokedAt').where('id', '=', id).executeTakeFirstOrThrow()).revokedAt !== null,
      };
    },
  }),
  // Online payment (decision 008). The provider's callbacks and the payer's pages are public: the
  // IPN proves itself by its signature, a lookup or a start by the payer's identity number, an
  // attempt's page by its random id. The back office: officers who read dossiers at the agency;
  // a refund is a leader's (a payment that is not refund-due: 409 for the leader, 404 for others).
  'GET /api/v1/payments/vnpay/ipn': pub('VNPay IPN, server to server: answered in its protocol (97 without a valid signature)'),
  'POST /api/v1/payments': pub('start paying an obligation: the payer’s identity number (or owning its dossier) is the proof; rate-limited', 400),
  'GET /api/v1/payments/:id': pub('a payment’s status by its id, a random UUID known to whoever started it; no personal data; rate-limited', 404, { sample: () => `/api/v1/payments/${PAYMENT_SAMPLE}` }),
  'GET /thanh-toan': pub('online payment: the lookup form'),
  'POST /thanh-toan': pub('look up an obligation by its reference and the payer’s identity number; rate-limited', 400),
  'POST /thanh-toan/nop': pub('start paying: the payer’s identity number is the proof; rate-limited', 400),
  'GET /thanh-toan/ket-qua': pub('the provider’s return: shown once its signature is checked; changes nothing', 400),
  'GET /thanh-toan/giao-dich/:id': pub('a payment’s page by its random id', 404, { sample: () => `/thanh-toan/giao-dich/${PAYMENT_SAMPLE}` }),
  'GET /thanh-toan/giao-dich/:id/bien-lai.pdf': pub('a paid payment’s receipt by its random id', 404, { sample: () => `/thanh-toan/giao-dich/${PAYMENT_SAMPLE}/bien-lai.pdf` }),
  //                                             anon   citizen business recep spec  lead  agAdm prAdm audit foreign noMfa token
  'GET /api/v1/payments/reconciliation': guarded([401, 404, 404, 400, 400, 400, 404, 404, 400, 404, 404, 404]),
  'GET /quan-tri/thanh-toan': guarded([LOGIN, 404, 404, 200, 200, 200, 404, 404, 200, 404, TOTP, 404]),
  'POST /quan-tri/thanh-toan/:id/hoan-tien': guarded([LOGIN, 404, 404, 404, 404, 409, 404, 404, 404, 404, TOTP, 404], {
    fixture: async () => ({ url: `/quan-tri/thanh-toan/${await paidPaymentAtA()}/hoan-tien`, done: '/quan-tri/thanh-toan', changed: async () => false }),
  }),
};

// ---------------------------------------------------------------------------------------------
// Routes of the built app, from Fastify's route tree.

/**
 * Parses `printRoutes({ commonPrefix: false })`: one node per line, indented four characters per
 * level, each holding its path relative to its parent and its methods, e.g. `│   └── /:code (GET, HEAD)`.
 */
export function parseRoutes(tree: string): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*?)(?:[├└]── )(\S+)(?: \(([A-Z, ]+)\))?\s*$/.exec(line);
    if (!m) {
      if (line.trim()) throw new Error(`unreadable route line: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = m[1]!.length / 4;
    const segment = m[2]!;
    const parent = depth === 0 ? '' : stack[depth - 1]!;
    const path = parent === '' ? segment : parent.endsWith('/') || segment.startsWith('/') ? `${parent}${segment}` : `${parent}/${segment}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, url: path });
  }
  return routes;
}

function collectRoutes(app: FastifyInstance): string[] {
  const routes = parseRoutes(app.printRoutes({ commonPrefix: false }));
  for (const r of routes) {
    assert.ok(app.hasRoute({ method: r.method as 'GET', url: r.url }), `the route tree was misread: ${r.method} ${r.url} is not a route`);
  }
  // HEAD is answered by every GET route; it needs no decision of its own.
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  for (const r of routes.filter((r) => r.method === 'HEAD')) assert.ok(gets.has(r.url), `HEAD ${r.url} without GET`);
  return [...new Set(routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`))].sort();
}

// ---------------------------------------------------------------------------------------------
// Callers.

interface Caller {
  request(method: 'GET' | 'POST' | 'PUT', url: string, body?: Record<string, string>): Promise<InjectResponse>;
}

function browserCaller(client: WebClient): Caller {
  return {
    request: async (method, url, body) => {
      if (method === 'GET') return client.get(url);
      if (method === 'POST') return client.postForm(url, body ?? {});
      // A PUT (JSON API) from the browser session: the CSRF token in its header.
      const csrf = await client.ensureCsrf();
      return client.request('PUT', url, JSON.stringify(body ?? {}), { headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
    },
  };
}

function tokenCaller(app: FastifyInstance, token: string): Caller {
  const ip = freshIp();
  return {
    request: (method, url, body) =>
      app.inject({
        method,
        url,
        remoteAddress: ip,
        headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : method === 'PUT' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { payload: new URLSearchParams(body ?? {}).toString() } : method === 'PUT' ? { payload: JSON.stringify(body ?? {}) } : {}),
      }),
  };
}

const callers = {} as Record<ActorName, Caller>;

function describeResponse(r: InjectResponse): string {
  return r.statusCode >= 300 && r.statusCode < 400 ? `${r.statusCode} → ${r.headers.location}` : `${r.statusCode}`;
}

function matches(r: InjectResponse, expected: Expectation | 'ok', fixture?: Fixture): boolean {
  if (expected === 'ok') return r.statusCode === 200;
  if (expected === DONE) return r.statusCode === 303 && r.headers.location === fixture?.done;
  if (typeof expected === 'number') return r.statusCode === expected;
  // A redirect matches its target path, with or without a query (?next=…) or a sub-path.
  const location = String(r.headers.location ?? '');
  return r.statusCode === expected[0] && (location === expected[1] || location.startsWith(`${expected[1]}?`) || location.startsWith(`${expected[1]}/`));
}

const show = (e: Expectation | 'ok', fixture?: Fixture) => (e === DONE ? `303 → ${fixture?.done}` : typeof e === 'object' ? `${e[0]} → ${e[1]}` : String(e));

before(async () => {
  t = await createTestApp();
  db = t.database.db;
  const hash = await hashPassword('ma trận quyền 2026');
  const { id: citizenId } = await db
    .insertInto('account')
    .values({ kind: 'citizen', fullName: 'Công Dân Ma Trận', idNumber: '087090009999', email: 'congdan@matran.example.vn', emailVerifiedAt: new Date(), phone: '0912345678', passwordHash: hash } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: businessId } = await db
    .insertInto('account')
    .values({ kind: 'business', fullName: 'Công ty Ma Trận', taxCode: '0100112437', legalRepName: 'Công Dân Ma Trận', legalRepIdNumber: '087090009999', email: 'doanhnghiep@matran.example.vn', emailVerifiedAt: new Date(), phone: '0912345679', passwordHash: hash } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('businessLink').values({ businessId, citizenId, role: 'representative', revokedAt: null }).execute();
  callers.anonymous = browserCaller(new WebClient(t.app));
  const citizenClient = await loginCitizen(t.app, 'congdan@matran.example.vn', 'ma trận quyền 2026');
  callers.citizen = browserCaller(citizenClient);
  callers.business = browserCaller(await loginCitizen(t.app, 'doanhnghiep@matran.example.vn', 'ma trận quyền 2026'));

  const officers: [ActorName, Parameters<typeof createOfficer>[1]['roles'][number]][] = [
    ['reception', { role: 'reception', agencyCode: COMMUNE_A }],
    ['specialist', { role: 'specialist', agencyCode: COMMUNE_A }],
    ['leader', { role: 'leader', agencyCode: COMMUNE_A }],
    ['agencyAdmin', { role: 'agency_admin', agencyCode: COMMUNE_A }],
    ['provinceAdmin', { role: 'province_admin', agencyCode: PROVINCE }],
    ['auditor', { role: 'auditor', agencyCode: PROVINCE }],
    ['foreignAdmin', { role: 'agency_admin', agencyCode: COMMUNE_B }],
  ];
  for (const [name, grant] of officers) {
    const officer = await createOfficer(db, { email: `${name.toLowerCase()}@matran.example.vn`, roles: [grant] });
    callers[name] = browserCaller((await loginOfficer(t.app, db, officer)).client);
  }
  // An officer (an agency admin, even) who has typed the password and stopped before TOTP.
  // (Enrolled earlier, so the step it stopped before is the code, not the enrolment.)
  const halfway = await createOfficer(db, { email: 'nomfa@matran.example.vn', roles: [{ role: 'agency_admin', agencyCode: COMMUNE_A }] });
  await loginOfficer(t.app, db, halfway);
  const halfwayClient = new WebClient(t.app);
  assert.equal((await halfwayClient.postForm('/dang-nhap', { email: halfway.email, password: halfway.password })).statusCode, 303);
  callers.officerNoMfa = browserCaller(halfwayClient);

  const token = `mc_${'matrix'.repeat(7)}`;
  await db
    .insertInto('apiToken')
    .values({ name: 'matrix caller', tokenHash: hashToken(token), prefix: token.slice(0, 10), scopes: ['catalog:read', 'dossier:read'], agencyId: null, createdBy: null, expiresAt: new Date(Date.now() + 86_400_000), revokedAt: null, lastUsedAt: null })
    .execute();
  callers.apiToken = tokenCaller(t.app, token);

  target = await createOfficer(db, { email: 'target@matran.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
  draftId = (await createDraft({ db } as never, { kind: 'citizen', accountId: citizenId, name: 'Công Dân Ma Trận', grants: [], mfaPassed: false, sessionId: 'matrix' }, { procedureCode: APPLY_CODE }, {})).id;
  // A dossier the matrix citizen submits to commune A through the API, with its documents.
  const submitted = await api(t.app, citizenClient, 'POST', '/api/v1/dossiers', { procedureCode: APPLY_CODE, agencyCode: COMMUNE_A, data: birthRegistrationData({ applicantEmail: 'congdan@matran.example.vn' }) });
  assert.equal(submitted.statusCode, 201, submitted.body);
  const submittedId = submitted.json().id as string;
  const slots = (await api(t.app, citizenClient, 'GET', `/api/v1/dossiers/${submittedId}`)).json().slots as { index: number; required: boolean }[];
  for (const slot of slots.filter((x) => x.required)) assert.equal((await uploadAttachment(t.app, citizenClient, submittedId, slot.index, `giay-to-${slot.index}.pdf`, samplePdf('matrix'))).statusCode, 201);
  const done = await api(t.app, citizenClient, 'POST', `/api/v1/dossiers/${submittedId}/submit`, undefined, { 'idempotency-key': `matrix-${submittedId}` });
  assert.equal(done.statusCode, 201, done.body);
  dossierCode = done.json().code as string;
  attachmentId = (await db.selectFrom('dossierAttachment').select('id').where('dossierId', '=', submittedId).executeTakeFirstOrThrow()).id;
  procedureCode = (await db.selectFrom('procedure').select('code').where('status', '=', 'published').orderBy('code').executeTakeFirstOrThrow()).code;
});
after(() => t?.close());

describe('authorisation matrix', () => {
  test('the route tree parser reads nested and parameterised routes', () => {
    const tree = ['└── / (GET, HEAD)', '    ├── a/b (GET, HEAD)', '    │   └── /:id (POST)', '    │       └── /x (GET)', '    └── c (POST)'].join('\n');
    assert.deepEqual(parseRoutes(tree), [
      { method: 'GET', url: '/' },
      { method: 'HEAD', url: '/' },
      { method: 'GET', url: '/a/b' },
      { method: 'HEAD', url: '/a/b' },
      { method: 'POST', url: '/a/b/:id' },
      { method: 'GET', url: '/a/b/:id/x' },
      { method: 'POST', url: '/c' },
    ]);
  });

  test('every route of the app has an entry, and every entry is a route', () => {
    const routes = collectRoutes(t.app);
    assert.ok(routes.length > 40, `${routes.length} routes found`);
    const missing = routes.filter((r) => !(r in matrix));
    const stale = Object.keys(matrix).filter((k) => !routes.includes(k));
    assert.deepEqual(missing, [], `routes without an access decision in test/authz-matrix.test.ts: ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `matrix entries that are no longer routes: ${stale.join(', ')}`);
  });

  test('public routes answer nobody as expected', async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(matrix)) {
      if (entry.kind !== 'public') continue;
      const [method, path] = key.split(' ') as ['GET' | 'POST' | 'PUT', string];
      const url = entry.sample?.() ?? path;
      assert.ok(!url.includes('/:'), `${key} needs a sample URL`);
      const r = await callers.anonymous.request(method, url, entry.body ?? {});
      if (!matches(r, entry.anonymous)) failures.push(`${key} (${url}): expected ${show(entry.anonymous)}, got ${describeResponse(r)}`);
    }
    assert.deepEqual(failures, []);
  });

  test('protected routes answer each caller as the matrix says, and change nothing unless allowed', async () => {
    const accountsBefore = await countRows(db, 'account');
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(matrix)) {
      if (entry.kind !== 'protected') continue;
      const [method, path] = key.split(' ') as ['GET' | 'POST' | 'PUT', string];
      for (const [i, actor] of actors.entries()) {
        const expected = entry.row[i]!;
        const fixture = await entry.fixture?.(actor);
        const url = fixture?.url ?? entry.url?.() ?? path;
        assert.ok(!url.includes('/:'), `${key} needs a URL`);
        const r = await callers[actor].request(method, url, entry.body ?? {});
        if (!matches(r, expected, fixture)) failures.push(`${key} as ${actor}: expected ${show(expected, fixture)}, got ${describeResponse(r)}`);
        if (fixture) {
          const changed = await fixture.changed();
          if (changed !== (expected === DONE)) failures.push(`${key} as ${actor}: the change was ${changed ? 'made' : 'not made'}`);
        }
        if (r.statusCode >= 500) failures.push(`${key} as ${actor}: server error`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(await countRows(db, 'account'), accountsBefore, 'no harmless body created an account');
  });

  test('nobody signed in is sent to the login page from every back-office page; a citizen gets 404 there', async () => {
    for (const [key, entry] of Object.entries(matrix)) {
      if (entry.kind !== 'protected' || !key.includes(' /quan-tri')) continue;
      assert.deepEqual(entry.row[actors.indexOf('anonymous')], LOGIN, key);
      assert.equal(entry.row[actors.indexOf('citizen')], 404, key);
      assert.equal(entry.row[actors.indexOf('business')], 404, key);
    }
  });
});
