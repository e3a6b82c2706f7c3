// The notify module's own error: a caller asked for an email that cannot be built (an unknown
// template, a parameter of the wrong shape, an address that is not one mailbox). These are
// programming errors of the calling module, thrown inside its transaction so that nothing is
// stored. Messages name the template and the parameter, never its value (personal data).
export type NotifyErrorCode = 'template_unknown' | 'locale_unknown' | 'params_invalid' | 'address_invalid' | 'payload_invalid';

export class NotifyError extends Error {
  constructor(
    readonly code: NotifyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
}
