// `motcua keys …`: the operator's key and certificate management (decision 009).
//   keys demo-ca                     the demo CA, made once
//   keys issue <agency> [--days N]   a new key and certificate for an agency, from the issuing CA
//   keys list                        every CA and agency certificate, in use or retired
//   keys import <agency> --cert f.pem --key k.pem [--ca ca.pem]
//                                    a certificate from a real CA (its intermediates may follow it
//                                    in f.pem; --ca adds the root CA to the trusted ones)
// Messages come from the catalogue, in Vietnamese; nothing secret is ever printed.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isAppError } from '../../platform/errors/app-error.js';
import { translate, type MessageKey, type MessageParams } from '../../platform/i18n/i18n.js';
import type { SecretBox } from '../../platform/security/secrets.js';
import { formatDateTime } from '../../platform/text/vietnam-time.js';
import { ensureDemoCa, importAgencyCertificate, issueAgencyCertificate, listCertificates } from './key-store.js';

export interface KeysOutput {
  out(line: string): void;
  err(line: string): void;
}

const say = (key: MessageKey, params?: MessageParams) => translate('vi', key, params);

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw Object.assign(new Error(say('signature.keys.fileUnreadable', { file })), { operator: true });
  }
}

async function list(db: Kysely<DB>, io: KeysOutput): Promise<number> {
  const rows = await listCertificates(db);
  if (rows.length === 0) {
    io.out(say('signature.keys.none'));
    return 0;
  }
  for (const row of rows) {
    const state = row.retiredAt ? 'đã thay' : row.kind === 'ca' ? (row.hasKey ? 'CA cấp chứng thư' : 'CA tin cậy') : 'đang dùng';
    io.out(
      [row.kind === 'ca' ? 'CA' : row.agencyCode ?? '—', state, row.subject, `${formatDateTime('vi', row.notBefore)} → ${formatDateTime('vi', row.notAfter)}`, `SHA-256 ${row.fingerprint}`].join('\t'),
    );
  }
  return 0;
}

/** Runs one `keys` subcommand; returns the exit code (2: usage, 1: refused). */
export async function runKeysCommand(db: Kysely<DB>, secrets: SecretBox, args: string[], io: KeysOutput): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'demo-ca': {
        const { created, info } = await ensureDemoCa(db, secrets);
        io.out(say(created ? 'signature.keys.caCreated' : 'signature.keys.caExists', { subject: info.subject, fingerprint: info.fingerprint }));
        return 0;
      }
      case 'issue': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { days: { type: 'string' } } });
        const code = positionals[0];
        const days = values.days === undefined ? undefined : Number(values.days);
        if (!code || positionals.length !== 1 || (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650))) break;
        const info = await issueAgencyCertificate(db, secrets, code, days === undefined ? {} : { days });
        io.out(say('signature.keys.issued', { code, subject: info.subject, notAfter: formatDateTime('vi', info.notAfter), fingerprint: info.fingerprint }));
        return 0;
      }
      case 'list':
        if (rest.length) break;
        return await list(db, io);
      case 'import': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' } } });
        const code = positionals[0];
        if (!code || positionals.length !== 1 || !values.cert || !values.key) break;
        const info = await importAgencyCertificate(db, secrets, code, { certificatePem: readFile(values.cert), keyPem: readFile(values.key), caPem: values.ca ? readFile(values.ca) : undefined });
        io.out(say('signature.keys.imported', { code, subject: info.subject, notAfter: formatDateTime('vi', info.notAfter), fingerprint: info.fingerprint }));
        return 0;
      }
      default:
        break;
    }
  } catch (error) {
    if (isAppError(error)) {
      io.err(say(error.messageKey, error.params));
      return 1;
    }
    if (error instanceof Error && (error as { operator?: boolean }).operator) {
      io.err(error.message);
      return 1;
    }
    // parseArgs refuses an unknown option: the usage says what is accepted.
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(say('signature.keys.usage'));
      return 2;
    }
    throw error;
  }
  io.err(say('signature.keys.usage'));
  return 2;
}
