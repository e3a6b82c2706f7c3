// The dossier statuses and the codes used when syncing with the National Public Service Portal
// (DOMAIN.md section 4): 1 new … 10 result returned. A draft is ours alone and has no code.
export const dossierStatuses = [
  'draft',
  'new',
  'accepted',
  'refused',
  'processing',
  'supplementation',
  'financial',
  'withdrawn',
  'stopped',
  'done',
  'returned',
] as const;
export type DossierStatus = (typeof dossierStatuses)[number];

/** The national status code of each status; a draft has none. */
export const nationalStatusCode: Record<DossierStatus, number | null> = {
  draft: null,
  new: 1,
  accepted: 2,
  refused: 3,
  processing: 4,
  supplementation: 5,
  financial: 6,
  withdrawn: 7,
  stopped: 8,
  done: 9,
  returned: 10,
};

/** Statuses that pause the clock: the applicant owes documents (5) or payment (6), or the
 *  dossier is stopped (8). */
export const pausingStatuses: ReadonlySet<DossierStatus> = new Set(['supplementation', 'financial', 'stopped']);

/** A citizen may withdraw a dossier until it is accepted (status 7 from 1). */
export const withdrawableStatuses: ReadonlySet<DossierStatus> = new Set(['new']);

export function isDossierStatus(value: unknown): value is DossierStatus {
  return typeof value === 'string' && (dossierStatuses as readonly string[]).includes(value);
}
