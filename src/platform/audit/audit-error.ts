export type AuditErrorCode =
  | 'audit_entry_invalid'
  | 'audit_details_forbidden'
  | 'audit_not_in_transaction'
  | 'audit_isolation_unsupported'
  | 'audit_query_invalid';

/**
 * A programming error of the caller (a bad entry, a forbidden detail, the wrong transaction),
 * never a citizen's: the HTTP layer answers 500 for it. The code keeps tests and logs stable.
 */
export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditError';
  }
}
