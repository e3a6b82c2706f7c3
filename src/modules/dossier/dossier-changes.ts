// When the dossiers of each agency last changed in this process, for the caches of what officers
// see (the inbox's counts per tab). changeStatus notes every change, before its transaction
// commits; a reader treats anything it read within `settleMs` of a change as possibly missing
// it, so a value read between the change and the commit is never kept.
const lastChangeAt = new Map<number, number>();

/** How long after a noted change a read may still miss it (the change's transaction commits). */
export const settleMs = 2_000;

export function noteDossierChange(agencyIds: readonly (number | null | undefined)[], at: number = Date.now()): void {
  for (const id of agencyIds) if (typeof id === 'number') lastChangeAt.set(id, at);
}

/** Whether a read that started at `readAt` may lack a change to a dossier of one of these agencies. */
export function mayLackChange(agencyIds: readonly number[], readAt: number): boolean {
  return agencyIds.some((id) => (lastChangeAt.get(id) ?? -Infinity) + settleMs >= readAt);
}
