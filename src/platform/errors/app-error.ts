// One error type with a closed list of codes, and one code → HTTP status table.
// docs/errors.md lists the same codes; a test keeps the two in sync. Messages are catalogue
// keys, translated for each request by the error handler.
import type { MessageKey, MessageParams } from '../i18n/i18n.js';

export const errorStatus = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** One problem with one named input: a form field, a query parameter or an import row. */
export interface FieldProblem {
  /** The field or parameter name, e.g. `pageSize`, or `dòng 12` for imports. */
  name: string;
  /** Already-translated text, or a catalogue key with its parameters. */
  message: string | { key: MessageKey; params?: MessageParams };
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey = `error.${code}`,
    readonly params: MessageParams = {},
    readonly problems: FieldProblem[] = [],
  ) {
    super(`${code}: ${messageKey}`);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
