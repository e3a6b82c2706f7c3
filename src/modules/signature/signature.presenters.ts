// What leaves the server about a result: the facts a person checking it needs, nothing about the
// applicant (the document itself is only served whole, to whoever holds its code).
import { translator, type Locale } from '../../platform/i18n/i18n.js';
import type { CertificateInfo } from './certificates.js';
import type { VerifyResponse } from './signature.schemas.js';
import type { ResultVerification, SignatureCheck } from './verification.js';

export const resultLinks = (id: string) => ({ page: `/verify/${id}`, document: `/verify/${id}/document.pdf`, signature: `/verify/${id}/signature.p7s` });

/** "Hợp lệ", or "Không hợp lệ: <reason>". */
export function checkMessage(locale: Locale, check: SignatureCheck): string {
  const t = translator(locale);
  return check.valid ? t('signature.verify.valid') : `${t('signature.verify.invalid')}: ${t(`signature.reason.${check.reason ?? 'malformed'}`)}`;
}

function presentCheck(locale: Locale, check: SignatureCheck): VerifyResponse['signature'] {
  return { status: check.valid ? 'valid' : 'invalid', reason: check.reason, message: checkMessage(locale, check), sha256: check.sha256 };
}

export function presentCertificate(info: CertificateInfo): VerifyResponse['signer'] {
  return { subject: info.subject, issuer: info.issuer, serialNumber: info.serialNumber, notBefore: info.notBefore.toISOString(), notAfter: info.notAfter.toISOString(), fingerprint: info.fingerprint };
}

export function presentVerification(result: ResultVerification, locale: Locale, file?: SignatureCheck): VerifyResponse {
  return {
    id: result.id,
    title: result.title,
    issuer: { name: result.agency.name, code: result.agency.code },
    signedAt: result.signedAt.toISOString(),
    sha256: result.sha256,
    size: result.size,
    source: result.source,
    signer: presentCertificate(result.signer),
    signature: presentCheck(locale, result.check),
    ...(file ? { file: presentCheck(locale, file) } : {}),
    links: resultLinks(result.id),
  };
}
