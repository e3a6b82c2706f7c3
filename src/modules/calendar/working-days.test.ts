import { translate } from '../../platform/i18n/i18n.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CalendarInputError } from './calendar-error.js';
import { defaultYearCalendar, holidayRuleBook } from './holiday-rule.js';
import { localDateOf, localMinutesOf } from './local-date.js';
import { createWorkingDays, timeliness, type Pause } from './working-days.js';

const book = holidayRuleBook();
// The bundled calendar: the announced 2025 and 2026 schedules, computed defaults elsewhere.
const wd = createWorkingDays((year) => defaultYearCalendar(book, year), { minYear: book.minYear, maxYear: book.maxYear });

/** An instant written in Vietnam's local time. */
const vn = (local: string) => new Date(`${local}+07:00`);
/** An instant shown in Vietnam's local time, to the minute. */
const show = (instant: Date | null) => {
  if (!instant) return 'null';
  const minutes = localMinutesOf(instant);
  return `${localDateOf(instant)} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(Math.round(minutes % 60)).padStart(2, '0')}`;
};

describe('working days', () => {
  test('Monday to Friday, minus days off, plus swap days: the swap Saturday 2026-01-10 for Friday 2026-01-02', () => {
    assert.equal(wd.isWorkingDay('2026-01-01'), false, 'New Year');
    assert.equal(wd.isWorkingDay('2026-01-02'), false, 'Friday swapped away');
    assert.equal(wd.isWorkingDay('2026-01-03'), false, 'Saturday');
    assert.equal(wd.isWorkingDay('2026-01-05'), true, 'Monday');
    assert.equal(wd.isWorkingDay('2026-01-10'), true, 'the swap Saturday is a working day');
    assert.equal(wd.isWorkingDay('2026-01-17'), false, 'an ordinary Saturday');
    assert.equal(wd.isWorkingDay(vn('2026-01-10T08:00:00')), true, 'an instant is judged by its day in Vietnam');
    // 2026-01-09 17:30 UTC is already Saturday 10/1 00:30 in Vietnam.
    assert.equal(wd.isWorkingDay(new Date('2026-01-09T17:30:00Z')), true);
    // A dossier received on Friday 9/1 for 1 working day is due on the swap Saturday.
    assert.equal(show(wd.addWorkingDays(vn('2026-01-09T09:00:00'), 1)), '2026-01-10 17:00');
    // One received on New Year's Eve for 1 working day: not 1/1, not 2/1, not the weekend → Monday 5/1.
    assert.equal(show(wd.addWorkingDays(vn('2025-12-31T09:00:00'), 1)), '2026-01-05 17:00');
  });

  test('a deadline across Tết 2026: received Thursday 12/2, 5 working days → Thursday 26/2 (days off 16–20/2)', () => {
    const due = wd.addWorkingDays(vn('2026-02-12T10:00:00'), 5);
    // Counting starts on 12/2; the days are 13/2, 23/2, 24/2, 25/2, 26/2.
    assert.equal(show(due), '2026-02-26 17:00');
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) assert.equal(wd.isWorkingDay(day), false, day);
    assert.equal(wd.countWorkingDays('2026-02-13', '2026-02-26'), 5);
  });

  test('n = 0 is the end of the same working day; the start day itself is not counted', () => {
    assert.equal(show(wd.addWorkingDays(vn('2026-03-02T09:00:00'), 0)), '2026-03-02 17:00');
    assert.equal(show(wd.addWorkingDays(vn('2026-03-02T09:00:00'), 1)), '2026-03-03 17:00');
    assert.equal(show(wd.addWorkingDays(vn('2026-03-02T09:00:00'), 3)), '2026-03-05 17:00');
    // Received on a Saturday: counted from Monday.
    assert.equal(wd.countingStartDay(vn('2026-03-07T09:00:00')), '2026-03-09');
    assert.equal(show(wd.addWorkingDays(vn('2026-03-07T09:00:00'), 0)), '2026-03-09 17:00');
    // After the office day has ended (17:00), counted from the next working day.
    assert.equal(wd.countingStartDay(vn('2026-03-02T17:00:00')), '2026-03-03');
    assert.equal(wd.countingStartDay(vn('2026-03-02T16:59:00')), '2026-03-02');
    // A cut-off later than the office day changes nothing: 20:00 is after the day has ended.
    assert.equal(wd.countingStartDay(vn('2026-03-02T20:00:00'), { cutoffHour: 24 }), '2026-03-03');
  });

  test('the 15:00 rule on the eve of a holiday: received 29/4/2026 at 15:30 → counted from Monday 4/5', () => {
    const received = vn('2026-04-29T15:30:00');
    assert.equal(wd.countingStartDay(received, { cutoffHour: 15 }), '2026-05-04', 'after 30/4, 1/5 and the weekend');
    assert.equal(show(wd.addWorkingDays(received, 0, { cutoffHour: 15 })), '2026-05-04 17:00');
    assert.equal(show(wd.addWorkingDays(received, 2, { cutoffHour: 15 })), '2026-05-06 17:00');
    // Without the rule (or before 15:00) the same dossier counts from 29/4.
    assert.equal(wd.countingStartDay(received), '2026-04-29');
    assert.equal(show(wd.addWorkingDays(received, 2)), '2026-05-05 17:00');
    assert.equal(wd.countingStartDay(vn('2026-04-29T14:59:00'), { cutoffHour: 15 }), '2026-04-29');
    // The working time used follows the same start.
    const at = vn('2026-05-05T17:00:00');
    assert.equal(wd.workingTimeBetween(received, at, [], { cutoffHour: 15 }).days, 1);
    assert.equal(wd.workingTimeBetween(received, at).days, 2);
  });

  test('pause and resume: two office days paused move the due day by two working days', () => {
    const received = vn('2026-03-02T09:00:00'); // Monday
    assert.equal(show(wd.addWorkingDays(received, 5)), '2026-03-09 17:00');
    // Asked for a missing document on Wednesday 10:00; it arrived on Friday 10:00.
    const pause: Pause = { from: vn('2026-03-04T10:00:00'), to: vn('2026-03-06T10:00:00') };
    // Paused office time: Wed 10:00–11:30 and 13:30–17:00 (300 min), Thu (450), Fri 07:30–10:00 (150).
    assert.equal(wd.officeMinutesBetween(pause.from, pause.to!), 900);
    const due = wd.dueAfterPauses(received, 5, [pause]);
    assert.equal(show(due), '2026-03-11 17:00');
    assert.equal(wd.workingTimeBetween(received, due!, [pause]).days, 5);
    // Friday at noon: Tue (450) + Wed 07:30–10:00 (150) + Fri 10:00–11:30 (90) = 690 minutes.
    assert.deepEqual(wd.workingTimeBetween(received, vn('2026-03-06T12:00:00'), [pause]), { minutes: 690, days: 690 / 450 });
    // While the pause is open there is no due date, and the clock does not run.
    assert.equal(wd.dueAfterPauses(received, 5, [{ from: pause.from }]), null);
    assert.equal(wd.workingTimeBetween(received, vn('2026-03-20T12:00:00'), [{ from: pause.from }]).minutes, 450 + 150);
    // A short pause moves the due instant by the office time it covered, not by whole days.
    const short: Pause = { from: vn('2026-03-03T10:00:00'), to: vn('2026-03-03T15:00:00') }; // 90 + 90 minutes
    assert.equal(show(wd.dueAfterPauses(received, 5, [short])), '2026-03-10 10:30');
    // Overlapping pauses count once.
    assert.equal(show(wd.dueAfterPauses(received, 5, [short, short, { from: vn('2026-03-03T11:00:00'), to: vn('2026-03-03T14:00:00') }])), '2026-03-10 10:30');
  });

  test('a pause over Tết costs only the working time it covered', () => {
    const received = vn('2026-02-09T09:00:00'); // Monday before Tết
    const pause: Pause = { from: vn('2026-02-13T07:00:00'), to: vn('2026-02-24T07:00:00') };
    // Working days covered: Friday 13/2 and Monday 23/2 (16–20/2 are days off).
    assert.equal(wd.officeMinutesBetween(pause.from, pause.to!), 900);
    // 10, 11, 12, 13 and 23/2 → due Monday 23/2; paused for 13/2 and 23/2 → Wednesday 25/2.
    assert.equal(show(wd.addWorkingDays(received, 5)), '2026-02-23 17:00');
    assert.equal(show(wd.dueAfterPauses(received, 5, [pause])), '2026-02-25 17:00');
  });

  test('timeliness: early before the due day, on time on it (up to 17:00), late after the due instant', () => {
    const due = wd.addWorkingDays(vn('2026-02-12T10:00:00'), 5); // 26/2 17:00
    assert.equal(timeliness(vn('2026-02-25T16:00:00'), due), 'early');
    assert.equal(timeliness(vn('2026-02-26T08:00:00'), due), 'on-time');
    assert.equal(timeliness(vn('2026-02-26T17:00:00'), due), 'on-time');
    assert.equal(timeliness(vn('2026-02-26T17:01:00'), due), 'late');
    assert.equal(timeliness(vn('2026-02-27T08:00:00'), due), 'late');
  });

  test('bad input: each refused with a clear reason naming it', () => {
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof CalendarInputError, String(error));
        const p = error.problems[0]!;
        return `${p.name}: ${typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params)}`;
      }
      assert.fail('accepted');
    };
    assert.match(reason(() => wd.addWorkingDays(vn('2026-03-02T09:00:00'), -1)), /^n: Số ngày làm việc phải là số nguyên từ 0 đến 3650/);
    assert.match(reason(() => wd.addWorkingDays(vn('2026-03-02T09:00:00'), 1.5)), /^n: /);
    assert.match(reason(() => wd.addWorkingDays(vn('2026-03-02T09:00:00'), 1, { cutoffHour: 25 })), /^cutoffHour: /);
    assert.match(reason(() => wd.addWorkingDays(new Date('nope'), 1)), /^start: Thời điểm không hợp lệ/);
    assert.match(reason(() => wd.addWorkingDays(vn('2013-06-03T09:00:00'), 1)), /^date: Ngày nằm ngoài phạm vi lịch được hỗ trợ \(từ 2014-01-01 đến 2199-12-31\)/);
    assert.match(reason(() => wd.addWorkingDays(vn('2199-12-30T09:00:00'), 10)), /^date: Ngày nằm ngoài phạm vi/);
    assert.match(reason(() => wd.isWorkingDay('2026-02-30')), /^date: Ngày "2026-02-30" không tồn tại/);
    assert.match(
      reason(() => wd.workingTimeBetween(vn('2026-03-02T09:00:00'), vn('2026-03-09T09:00:00'), [{ from: vn('2026-03-05T09:00:00'), to: vn('2026-03-04T09:00:00') }])),
      /^pauses\.0\.to: Thời điểm tiếp tục phải sau thời điểm tạm dừng/,
    );
  });
});

describe('working days: properties', () => {
  // Instants from 2014 to mid-2199, leaving room after them for the deadlines.
  const instant = fc.integer({ min: Date.UTC(2014, 0, 1), max: Date.UTC(2199, 5, 1) }).map((ms) => new Date(ms));
  const count = fc.integer({ min: 0, max: 60 });
  const cutoff = fc.constantFrom(undefined, 15);

  test('addWorkingDays lands at 17:00 on a working day, and later for a larger n', () => {
    fc.assert(
      fc.property(instant, count, count, cutoff, (start, n1, n2, cutoffHour) => {
        const due1 = wd.addWorkingDays(start, n1, { cutoffHour });
        const due2 = wd.addWorkingDays(start, n2, { cutoffHour });
        assert.ok(wd.isWorkingDay(due1));
        assert.equal(localMinutesOf(due1), 17 * 60);
        if (n1 < n2) assert.ok(due1 < due2);
        if (n1 === n2) assert.equal(due1.getTime(), due2.getTime());
        // Never before the dossier arrived, even for n = 0.
        assert.ok(due1.getTime() >= start.getTime());
      }),
      { numRuns: 300 },
    );
  });

  test('workingTimeBetween(a, addWorkingDays(a, n)) is n working days when nothing paused', () => {
    fc.assert(
      fc.property(instant, count, cutoff, (start, n, cutoffHour) => {
        const due = wd.addWorkingDays(start, n, { cutoffHour });
        assert.ok(Math.abs(wd.workingTimeBetween(start, due, [], { cutoffHour }).days - n) < 1e-9);
        assert.equal(wd.dueAfterPauses(start, n, [], { cutoffHour })?.getTime(), due.getTime());
      }),
      { numRuns: 300 },
    );
  });

  const pauses = (start: Date) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: 90 * 24 * 60 }), fc.integer({ min: 0, max: 20 * 24 * 60 })).map(([offset, length]) => ({
        from: new Date(start.getTime() + offset * 60_000),
        to: new Date(start.getTime() + (offset + length) * 60_000),
      })),
      { maxLength: 4 },
    );

  test('pauses never increase the working time, and push the due instant so that n days remain', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), pauses(start), fc.integer({ min: 0, max: 120 * 24 * 60 }), count)),
        ([start, paused, later, n]) => {
          const end = new Date(start.getTime() + later * 60_000);
          const free = wd.workingTimeBetween(start, end);
          const withPauses = wd.workingTimeBetween(start, end, paused);
          assert.ok(withPauses.minutes <= free.minutes + 1e-9);
          assert.ok(withPauses.minutes >= 0);
          const due = wd.dueAfterPauses(start, n, paused)!;
          assert.ok(due.getTime() >= wd.addWorkingDays(start, n).getTime());
          assert.ok(Math.abs(wd.workingTimeBetween(start, due, paused).days - n) < 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a step’s own budget in office time (addOfficeTime)', () => {
  test('counts from the hand-over, skips lunch, nights and weekends', () => {
    assert.equal(wd.addOfficeTime(vn('2026-11-25T11:00:00'), 60).getTime(), vn('2026-11-25T14:00:00').getTime(), 'lunch is not office time');
    assert.equal(wd.addOfficeTime(vn('2026-11-27T16:00:00'), 120).getTime(), vn('2026-11-30T08:30:00').getTime(), 'Friday 16:00 + 2 h is Monday 08:30');
    assert.equal(wd.addOfficeTime(vn('2026-11-28T10:00:00'), 30).getTime(), vn('2026-11-30T08:00:00').getTime(), 'handed over on a Saturday: counted from Monday');
    assert.equal(wd.addOfficeTime(vn('2026-11-25T08:00:00'), 450 * 2).getTime(), vn('2026-11-27T08:00:00').getTime(), 'two office days later, same time of day');
    assert.throws(() => wd.addOfficeTime(vn('2026-11-25T08:00:00'), -1));
  });
});
