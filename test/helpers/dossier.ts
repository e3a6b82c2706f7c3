// Helpers for the submission tests: a signed-in citizen, JSON calls with the CSRF header, and
// multipart bodies as a browser or an API client would send them.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.js';
import { samplePdf } from './files.js';
import { loginCitizen, registerVerifiedCitizen, type InjectResponse, type WebClient } from './identity.js';

export const CITIZEN_PASSWORD = 'Mật khẩu công dân 2026!';

let serial = 0;

/** Registers, verifies and logs in a new citizen; returns the client holding the session. */
export async function signedInCitizen(t: TestApp, overrides: { fullName?: string; phone?: string } = {}): Promise<{ client: WebClient; accountId: number; email: string; idNumber: string; phone: string }> {
  serial += 1;
  const n = String(process.pid % 1000).padStart(3, '0') + String(serial).padStart(3, '0');
  const email = `citizen.${n}.${Date.now() % 100000}@example.vn`;
  const idNumber = `087090${n}`;
  const phone = overrides.phone ?? `09${n}${String(serial).padStart(2, '0')}`.slice(0, 10).padEnd(10, '1');
  const accountId = await registerVerifiedCitizen(t, { fullName: overrides.fullName ?? 'Nguyễn Thị Hồng Nhung', idNumber, email, phone, password: CITIZEN_PASSWORD });
  const client = await loginCitizen(t.app, email, CITIZEN_PASSWORD);
  return { client, accountId, email, idNumber, phone };
}

/** A JSON API call from a browser session (cookie + x-csrf-token) or, with `bearer`, a token. */
export async function api(app: FastifyInstance, client: WebClient | undefined, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<InjectResponse> {
  const h: Record<string, string> = { ...headers };
  if (client) {
    await client.ensureCsrf();
    h.cookie = client.cookieHeader();
    h['x-csrf-token'] = client.csrf!;
  }
  if (body !== undefined) h['content-type'] = 'application/json';
  return app.inject({ method, url, headers: h, remoteAddress: client?.ip ?? '127.0.0.1', ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
}

/** A multipart/form-data body: the fields first (as browsers send them in DOM order), then one file. */
export function multipart(fields: Record<string, string>, file?: { name: string; filename: string; content: Buffer; type?: string }): { payload: Buffer; contentType: string } {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.content);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a file into a slot of a draft through the API. */
export async function uploadAttachment(app: FastifyInstance, client: WebClient, dossierId: string, slot: number, filename: string, content: Buffer): Promise<InjectResponse> {
  await client.ensureCsrf();
  const body = multipart({ slot: String(slot) }, { name: 'file', filename, content });
  return app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/${dossierId}/attachments`,
    headers: { cookie: client.cookieHeader(), 'x-csrf-token': client.csrf!, 'content-type': body.contentType },
    payload: body.payload,
    remoteAddress: client.ip,
  });
}

/** Answers for the birth-registration form (procedure 1.001193) that pass its schema. */
export function birthRegistrationData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    applicantName: 'Nguyễn Thị Hồng Nhung',
    applicantIdNumber: '087090001122',
    applicantPhone: '0912345678',
    applicantEmail: 'nhung@example.vn',
    applicantAddress: { provinceCode: '82', communeCode: '28261', street: '12 Lê Lợi' },
    relationshipToChild: 'me',
    childFullName: 'Trần Minh Khôi',
    childDateOfBirth: '2026-11-20',
    childSex: 'nam',
    childPlaceOfBirth: 'Bệnh viện Đa khoa tỉnh Đồng Tháp',
    childEthnicity: 'Kinh',
    childNationality: 'Việt Nam',
    motherFullName: 'Nguyễn Thị Hồng Nhung',
    motherDateOfBirth: '1995-04-02',
    motherEthnicity: 'Kinh',
    motherNationality: 'Việt Nam',
    motherIdNumber: '087095001122',
    motherResidence: { provinceCode: '82', communeCode: '28261', street: '12 Lê Lợi' },
    ...overrides,
  };
}

/** Valid answers for any demo e-form: the e-form fixtures' full sample, with real Đồng Tháp
 *  addresses (province 82, phường Mỹ Tho 28261) so that the commune check passes. */
export async function validAnswers(schema: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { sampleObject } = await import('../../src/modules/dossier/eform/eform-test-fixtures.js');
  const fix = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fix);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('provinceCode' in record && 'communeCode' in record) return { ...record, provinceCode: '82', communeCode: '28261' };
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fix(v)]));
    }
    return value;
  };
  return fix(sampleObject(schema as never, true)) as Record<string, unknown>;
}

/**
 * A dossier submitted online by a citizen: the draft with `data`, a PDF in every required slot,
 * then submit. Returns the draft's id and the dossier code.
 */
export async function submitOnline(app: FastifyInstance, citizen: { client: WebClient }, input: { procedureCode: string; agencyCode: string; data: Record<string, unknown> }): Promise<{ id: string; code: string }> {
  const draft = await api(app, citizen.client, 'POST', '/api/v1/dossiers', input);
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json().id as string;
  const slots = (await api(app, citizen.client, 'GET', `/api/v1/dossiers/${id}`)).json().slots as { index: number; required: boolean }[];
  for (const slot of slots.filter((s) => s.required)) assert.equal((await uploadAttachment(app, citizen.client, id, slot.index, `giay-to-${slot.index}.pdf`, samplePdf(`slot ${slot.index}`))).statusCode, 201);
  const submitted = await api(app, citizen.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': `submit-${id}` });
  assert.equal(submitted.statusCode, 201, submitted.body);
  return { id, code: submitted.json().code as string };
}
