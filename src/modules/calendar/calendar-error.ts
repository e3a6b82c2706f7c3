// The one error of the calendar: bad input (an impossible date, a date outside the supported
// range, a negative count of days). It is an AppError 'invalid_input' (HTTP 400) whose single
// problem names the input, so a route that passes a parameter straight through answers a clear
// 400 without catching anything.
import { AppError } from '../../platform/errors/app-error.js';
import type { MessageParams } from '../../platform/i18n/i18n.js';
import { calendarProblem, calendarText, type CalendarMessageKey } from './calendar-text.js';

export class CalendarInputError extends AppError {
  constructor(
    /** The input at fault: `date`, `year`, `n`, a field path… */
    readonly field: string,
    readonly reason: CalendarMessageKey,
    readonly reasonParams: MessageParams = {},
  ) {
    super('invalid_input', 'error.invalid_input', {}, [{ name: field, message: calendarProblem(reason, reasonParams) }]);
    this.name = 'CalendarInputError';
    // For logs and failing tests: the Vietnamese reason, not just the code.
    this.message = `${field}: ${calendarText('vi', reason, reasonParams)}`;
  }
}
