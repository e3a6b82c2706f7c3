// The calendar's user-facing strings, waiting to be merged into src/platform/i18n/messages.vi.ts
// and messages.en.ts (same keys). Until then, calendarText and calendarProblem read them here;
// once a key is in the shared catalogue, they use the shared one, so merging needs no code change.
import type { FieldProblem } from '../../platform/errors/app-error.js';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../platform/i18n/i18n.js';
import { vi as sharedVi } from '../../platform/i18n/messages.vi.js';

export const vi = {
  'calendar.title': 'Lịch làm việc',
  'calendar.titleYear': 'Lịch làm việc năm {year}',
  'calendar.intro':
    'Cơ quan hành chính nhà nước làm việc từ thứ Hai đến thứ Sáu, trừ các ngày nghỉ lễ, Tết và ngày nghỉ bù; ngày làm bù (thứ Bảy hoặc Chủ nhật) là ngày làm việc. Thời hạn giải quyết hồ sơ được tính theo ngày làm việc.',
  'calendar.officeHours': 'Giờ làm việc: sáng 07:30–11:30, chiều 13:30–17:00.',
  'calendar.workingDayCount': 'Năm {year} có {count} ngày làm việc.',
  'calendar.yearNav': 'Các năm khác',
  'calendar.previousYear': 'Năm {year}',
  'calendar.nextYear': 'Năm {year}',
  'calendar.yearLabel': 'Năm',
  'calendar.show': 'Xem',
  'calendar.caption': 'Ngày nghỉ lễ, Tết, ngày nghỉ bù và ngày làm bù năm {year}',
  'calendar.none': 'Chưa có ngày nghỉ nào trong năm này.',
  'calendar.col.date': 'Ngày',
  'calendar.col.weekday': 'Thứ',
  'calendar.col.lunar': 'Âm lịch',
  'calendar.col.name': 'Tên',
  'calendar.col.kind': 'Loại',
  'calendar.kind.holiday': 'Nghỉ lễ, Tết',
  'calendar.kind.day-off': 'Nghỉ bù, hoán đổi',
  'calendar.kind.swap-workday': 'Làm bù',
  'calendar.lunarLeap': '{day}/{month} nhuận',
  'calendar.weekday.0': 'Chủ nhật',
  'calendar.weekday.1': 'Thứ Hai',
  'calendar.weekday.2': 'Thứ Ba',
  'calendar.weekday.3': 'Thứ Tư',
  'calendar.weekday.4': 'Thứ Năm',
  'calendar.weekday.5': 'Thứ Sáu',
  'calendar.weekday.6': 'Thứ Bảy',
  'calendar.source.configured': 'Lịch do Ủy ban nhân dân tỉnh công bố. Căn cứ: {source}',
  'calendar.source.announced': 'Theo thông báo lịch nghỉ của cơ quan có thẩm quyền.',
  'calendar.source.computed':
    'Chưa có thông báo lịch nghỉ chính thức cho năm {year}. Lịch dưới đây được tính theo {rule}; các ngày nghỉ Tết Nguyên Đán cụ thể do Thủ tướng Chính phủ quyết định hằng năm và có thể khác.',
  'calendar.sources': 'Nguồn thông tin',

  'calendar.error.invalidDate': 'Ngày "{value}" không tồn tại hoặc không đúng dạng YYYY-MM-DD',
  'calendar.error.invalidInstant': 'Thời điểm không hợp lệ',
  'calendar.error.dateOutOfRange': 'Ngày nằm ngoài phạm vi lịch được hỗ trợ (từ {min} đến {max})',
  'calendar.error.yearOutOfRange': 'Năm {year} nằm ngoài phạm vi lịch làm việc được hỗ trợ (từ năm {min} đến năm {max})',
  'calendar.error.invalidLunarDate': 'Ngày âm lịch "{value}" không hợp lệ',
  'calendar.error.noLeapMonth': 'Năm âm lịch {year} không có tháng {month} nhuận',
  'calendar.error.lunarDayTooLarge': 'Tháng {month} âm lịch năm {year} chỉ có {length} ngày, không có ngày {day}',
  'calendar.error.leapLunarDayTooLarge': 'Tháng {month} nhuận âm lịch năm {year} chỉ có {length} ngày, không có ngày {day}',
  'calendar.error.workingDayCount': 'Số ngày làm việc phải là số nguyên từ 0 đến {max}',
  'calendar.error.cutoffHour': 'Giờ chốt tiếp nhận phải là số nguyên từ 0 đến 24',
  'calendar.error.pauseOrder': 'Thời điểm tiếp tục phải sau thời điểm tạm dừng',
  'calendar.error.dateNotInYear': 'Ngày {date} không thuộc năm {year}',
  'calendar.error.duplicateDate': 'Ngày {date} bị trùng với {other}',
  'calendar.error.swapNotWeekend': 'Ngày làm bù {date} phải là thứ Bảy hoặc Chủ nhật',
  'calendar.error.holidayIsSwap': 'Ngày {date} không thể vừa là ngày nghỉ vừa là ngày làm bù',
  'calendar.error.tooManyDays': 'Tối đa {max} ngày',
} as const;

export type CalendarMessageKey = keyof typeof vi;

export const en: Record<CalendarMessageKey, string> = {
  'calendar.title': 'Working calendar',
  'calendar.titleYear': 'Working calendar {year}',
  'calendar.intro':
    'Government offices work Monday to Friday, except public holidays, Tết and days off in lieu; swap working days (a Saturday or Sunday) are working days. Processing times of applications are counted in working days.',
  'calendar.officeHours': 'Office hours: 07:30–11:30 and 13:30–17:00.',
  'calendar.workingDayCount': '{year} has {count} working days.',
  'calendar.yearNav': 'Other years',
  'calendar.previousYear': '{year}',
  'calendar.nextYear': '{year}',
  'calendar.yearLabel': 'Year',
  'calendar.show': 'Show',
  'calendar.caption': 'Public holidays, Tết, days off and swap working days in {year}',
  'calendar.none': 'No days off in this year yet.',
  'calendar.col.date': 'Date',
  'calendar.col.weekday': 'Day',
  'calendar.col.lunar': 'Lunar date',
  'calendar.col.name': 'Name',
  'calendar.col.kind': 'Kind',
  'calendar.kind.holiday': 'Public holiday',
  'calendar.kind.day-off': 'Day off (in lieu or swapped)',
  'calendar.kind.swap-workday': 'Swap working day',
  'calendar.lunarLeap': '{day}/{month} (leap)',
  'calendar.weekday.0': 'Sunday',
  'calendar.weekday.1': 'Monday',
  'calendar.weekday.2': 'Tuesday',
  'calendar.weekday.3': 'Wednesday',
  'calendar.weekday.4': 'Thursday',
  'calendar.weekday.5': 'Friday',
  'calendar.weekday.6': 'Saturday',
  'calendar.source.configured': 'Calendar published by the Provincial People’s Committee. Basis: {source}',
  'calendar.source.announced': 'As announced by the competent authority.',
  'calendar.source.computed':
    'No official schedule has been announced for {year} yet. This calendar is computed from {rule}; the exact Tết days are decided by the Prime Minister each year and may differ.',
  'calendar.sources': 'Sources',

  'calendar.error.invalidDate': 'The date "{value}" does not exist or is not in the form YYYY-MM-DD',
  'calendar.error.invalidInstant': 'Invalid point in time',
  'calendar.error.dateOutOfRange': 'The date is outside the supported calendar ({min} to {max})',
  'calendar.error.yearOutOfRange': 'The year {year} is outside the supported working calendar ({min} to {max})',
  'calendar.error.invalidLunarDate': 'The lunar date "{value}" is invalid',
  'calendar.error.noLeapMonth': 'Lunar year {year} has no leap month {month}',
  'calendar.error.lunarDayTooLarge': 'Lunar month {month} of {year} has only {length} days, not {day}',
  'calendar.error.leapLunarDayTooLarge': 'Leap lunar month {month} of {year} has only {length} days, not {day}',
  'calendar.error.workingDayCount': 'The number of working days must be a whole number from 0 to {max}',
  'calendar.error.cutoffHour': 'The cut-off hour must be a whole number from 0 to 24',
  'calendar.error.pauseOrder': 'A pause must end after it starts',
  'calendar.error.dateNotInYear': 'The date {date} is not in {year}',
  'calendar.error.duplicateDate': 'The date {date} duplicates {other}',
  'calendar.error.swapNotWeekend': 'The swap working day {date} must be a Saturday or a Sunday',
  'calendar.error.holidayIsSwap': 'The date {date} cannot be both a day off and a swap working day',
  'calendar.error.tooManyDays': 'At most {max} days',
};

const local: Record<Locale, Record<CalendarMessageKey, string>> = { vi, en };

function isSharedKey(key: string): key is MessageKey {
  return Object.hasOwn(sharedVi, key);
}

function fill(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A calendar message in a language. */
export function calendarText(locale: Locale, key: CalendarMessageKey, params?: MessageParams): string {
  return isSharedKey(key) ? translate(locale, key, params) : fill(local[locale][key], params);
}

/** A calendar message for a FieldProblem: the shared catalogue key once merged (translated per
 *  request by the error handler), the Vietnamese text until then. */
export function calendarProblem(key: CalendarMessageKey, params?: MessageParams): FieldProblem['message'] {
  if (isSharedKey(key)) return params ? { key, params } : { key };
  return fill(vi[key], params);
}
