// Row → response whitelists of the dossier API: nothing leaves the server that is not listed.
import type { Locale } from '../../platform/i18n/i18n.js';
import type { getMyDossierDetail, listMyDossiers, TrackingView } from './dossier.service.js';
import { statusText } from './dossier.service.js';
import { postalFormValue } from './result-delivery.js';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

export function presentDossier(detail: Awaited<ReturnType<typeof getMyDossierDetail>>, locale: Locale) {
  const { dossier, procedure, slots, attachments, events } = detail;
  const agency = procedure.agencies.find((a) => a.id === dossier.agencyId);
  return {
    id: dossier.id,
    code: dossier.code,
    status: dossier.status,
    statusText: statusText(locale, dossier.status),
    procedure: { code: procedure.code, name: locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name, version: procedure.version },
    agency: agency ? { code: agency.code, name: agency.name } : null,
    agencies: procedure.agencies.map((a) => ({ code: a.code, name: a.name })),
    data: dossier.data,
    notify: { email: dossier.notifyEmail, sms: dossier.notifySms },
    resultDelivery: dossier.resultDelivery ? { method: dossier.resultDelivery, post: postalFormValue(dossier.resultPostAddress) } : null,
    submittedAt: iso(dossier.submittedAt),
    dueAt: iso(dossier.dueAt),
    createdAt: iso(dossier.createdAt)!,
    updatedAt: iso(dossier.updatedAt)!,
    slots: slots.map((s) => ({ index: s.index, name: s.name, note: s.note, required: s.required, accept: [...s.accept] })),
    attachments: attachments.map((a) => ({ id: a.id, slot: a.slot, fileName: a.fileName, mediaType: a.mediaType, size: Number(a.size), sha256: a.sha256 })),
    events: events.map((e) => ({ at: iso(e.at)!, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, statusText: statusText(locale, e.toStatus) })),
  };
}

export function presentDossierList(list: Awaited<ReturnType<typeof listMyDossiers>>, locale: Locale) {
  return {
    items: list.rows.map((r) => ({
      id: r.id,
      code: r.code,
      status: r.status,
      statusText: statusText(locale, r.status),
      procedure: { code: r.procedureCode, name: locale === 'en' && r.procedureNameEn ? r.procedureNameEn : r.procedureName },
      agency: r.agencyName,
      submittedAt: iso(r.submittedAt),
      dueAt: iso(r.dueAt),
      updatedAt: iso(r.updatedAt)!,
    })),
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
  };
}

export function presentTracking(view: TrackingView) {
  return {
    code: view.code,
    status: view.status,
    statusCode: view.statusCode,
    statusText: view.statusText,
    procedure: view.procedure,
    agency: view.agency,
    submittedAt: iso(view.submittedAt)!,
    dueAt: iso(view.dueAt),
    events: view.events.map((e) => ({ at: iso(e.at)!, action: e.action, actionText: e.actionText, status: e.status, statusText: e.statusText, agency: e.agency })),
    ...(view.applicant ? { applicant: view.applicant } : {}),
  };
}
