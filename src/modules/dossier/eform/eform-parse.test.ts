import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRepeatAction, parseNumberText, parseRepeatAction, parseStepData } from './eform-parse.js';
import { browserBody, procedure } from './eform-test-fixtures.js';

const birth = procedure('1.001193').formSchema;
const birthFields = Object.keys(birth.properties as object);

// A schema with every kind of field, groups holding an address, a date, a number and a yes/no.
const allKinds = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Họ và tên', maxLength: 100 },
    note: { type: 'string', title: 'Ghi chú', 'x-widget': 'textarea' },
    email: { type: 'string', title: 'Thư điện tử', format: 'email' },
    sex: { type: 'string', title: 'Giới tính', oneOf: [{ const: 'nam', title: 'Nam' }, { const: 'nu', title: 'Nữ' }] },
    copies: { type: 'integer', title: 'Số bản sao', minimum: 0 },
    area: { type: 'number', title: 'Diện tích (m²)', exclusiveMinimum: 0 },
    agreed: { type: 'boolean', title: 'Cam đoan' },
    born: { type: 'string', format: 'date', title: 'Ngày sinh' },
    home: {
      type: 'object',
      title: 'Nơi cư trú',
      'x-widget': 'address',
      properties: { provinceCode: { type: 'string', title: 'Tỉnh' }, communeCode: { type: 'string', title: 'Xã' }, street: { type: 'string', title: 'Số nhà' } },
      required: ['provinceCode', 'communeCode'],
    },
    members: {
      type: 'array',
      title: 'Thành viên',
      items: {
        type: 'object',
        properties: {
          fullName: { type: 'string', title: 'Họ tên' },
          share: { type: 'number', title: 'Tỷ lệ (%)' },
          since: { type: 'string', format: 'date', title: 'Từ ngày' },
          isMain: { type: 'boolean', title: 'Chủ hộ' },
          residence: {
            type: 'object',
            title: 'Địa chỉ',
            'x-widget': 'address',
            properties: { provinceCode: { type: 'string', title: 'Tỉnh' }, communeCode: { type: 'string', title: 'Xã' }, street: { type: 'string', title: 'Số nhà' } },
          },
        },
        required: ['fullName'],
      },
    },
  },
};
const allFields = Object.keys(allKinds.properties);

describe('parseStepData', () => {
  it('reads every type of field from a body sent by a browser', () => {
    const body = browserBody([
      ['_csrf', 'token'],
      // Decomposed Vietnamese (as some keyboards send it) comes back composed, trimmed.
      ['f.name', '  Nguye\u0302\u0303n Thi\u0323 Hoa\u0300 '],
      ['f.note', 'Dòng một\r\nDòng hai & "ba"'],
      ['f.email', 'an@example.vn'],
      ['f.sex', 'nu'],
      ['f.copies', '1.000'],
      ['f.area', '1,5'],
      ['f.agreed', 'yes'],
      ['f.born.day', '5'],
      ['f.born.month', '3'],
      ['f.born.year', '2020'],
      ['f.home.provinceCode', '01'],
      ['f.home.communeCode', '00004'],
      ['f.home.street', 'Số 1 Tràng Tiền'],
    ]);
    assert.deepEqual(parseStepData(allKinds, allFields, body), {
      name: 'Nguyễn Thị Hoà',
      note: 'Dòng một\nDòng hai & "ba"',
      email: 'an@example.vn',
      sex: 'nu',
      copies: 1000,
      area: 1.5,
      agreed: true,
      born: '2020-03-05',
      home: { provinceCode: '01', communeCode: '00004', street: 'Số 1 Tràng Tiền' },
    });
  });

  it('leaves empty answers out, so that "required" catches them', () => {
    const body = browserBody([
      ['f.name', '   '],
      ['f.email', ''],
      ['f.sex', ''],
      ['f.copies', ''],
      ['f.born.day', ''],
      ['f.born.month', ''],
      ['f.born.year', ''],
      ['f.home.provinceCode', ''],
      ['f.home.communeCode', ''],
      ['f.home.street', ''],
      ['f.members.0.fullName', ''],
      ['f.members.0.share', ''],
    ]);
    assert.deepEqual(parseStepData(allKinds, allFields, body), {});
  });

  it('reads "no" as false and keeps an unknown yes/no answer for the validator', () => {
    assert.deepEqual(parseStepData(allKinds, ['agreed'], browserBody([['f.agreed', 'no']])), { agreed: false });
    assert.deepEqual(parseStepData(allKinds, ['agreed'], browserBody([['f.agreed', 'maybe']])), { agreed: 'maybe' });
    assert.deepEqual(parseStepData(allKinds, ['agreed'], browserBody([])), {});
  });

  it('combines the date boxes, keeping an impossible or incomplete date for the validator', () => {
    const date = (day: string, month: string, year: string) =>
      parseStepData(allKinds, ['born'], browserBody([['f.born.day', day], ['f.born.month', month], ['f.born.year', year]])).born;
    assert.equal(date('05', '03', '2020'), '2020-03-05');
    assert.equal(date(' 9 ', '12', '1990'), '1990-12-09');
    assert.equal(date('31', '02', '2026'), '2026-02-31');
    assert.equal(date('5', '', '2020'), '2020--05');
    assert.equal(date('', '', '2020'), '2020--');
    assert.equal(date('5', '3', '20'), '20-03-05');
    assert.equal(date('ba', '3', '2020'), '2020-03-ba');
    assert.equal(date('', '', ''), undefined);
  });

  it('reads numbers written the Vietnamese way, and keeps text that is not a number', () => {
    assert.equal(parseNumberText('1.000', 'integer'), 1000);
    assert.equal(parseNumberText('1.000.000', 'integer'), 1000000);
    assert.equal(parseNumberText('1 000 000', 'integer'), 1000000);
    assert.equal(parseNumberText('1,000,000', 'integer'), 1000000);
    assert.equal(parseNumberText('12', 'integer'), 12);
    assert.equal(parseNumberText('1,5', 'integer'), 1.5, 'a decimal in an integer field is left for the validator to refuse');
    assert.equal(parseNumberText('1,5', 'number'), 1.5);
    assert.equal(parseNumberText('1.000,25', 'number'), 1000.25);
    assert.equal(parseNumberText('120.5', 'number'), 120.5);
    assert.equal(parseNumberText('-3', 'number'), -3);
    assert.equal(parseNumberText('mười', 'integer'), 'mười');
    assert.equal(parseNumberText('12abc', 'number'), '12abc');
    assert.equal(parseNumberText('1.2.3', 'number'), '1.2.3');
    const parsed = parseStepData(allKinds, ['copies', 'area'], browserBody([['f.copies', 'hai'], ['f.area', '1.250,5']]));
    assert.deepEqual(parsed, { copies: 'hai', area: 1250.5 });
  });

  it('reads repeating groups, dropping rows left entirely empty', () => {
    const body = browserBody([
      ['f.members.0.fullName', 'Trần Văn Bình'],
      ['f.members.0.share', '60'],
      ['f.members.0.since.day', '1'],
      ['f.members.0.since.month', '1'],
      ['f.members.0.since.year', '2024'],
      ['f.members.0.isMain', 'yes'],
      ['f.members.0.residence.provinceCode', '92'],
      ['f.members.0.residence.communeCode', '31117'],
      ['f.members.0.residence.street', ''],
      ['f.members.1.fullName', ''],
      ['f.members.1.share', ''],
      ['f.members.1.since.day', ''],
      ['f.members.1.since.month', ''],
      ['f.members.1.since.year', ''],
      ['f.members.1.residence.provinceCode', ''],
      ['f.members.1.residence.communeCode', ''],
      ['f.members.1.residence.street', ''],
      ['f.members.2.fullName', 'Lê Thị Cúc'],
      ['f.members.2.share', '40,5'],
      ['f.members.2.isMain', 'no'],
      ['f.members.10.fullName', 'Phạm Đức'],
    ]);
    assert.deepEqual(parseStepData(allKinds, ['members'], body), {
      members: [
        { fullName: 'Trần Văn Bình', share: 60, since: '2024-01-01', isMain: true, residence: { provinceCode: '92', communeCode: '31117' } },
        { fullName: 'Lê Thị Cúc', share: 40.5, isMain: false },
        { fullName: 'Phạm Đức' },
      ],
    });
    const empty = browserBody([['f.members.0.fullName', ''], ['f.members.0.share', '']]);
    assert.deepEqual(parseStepData(allKinds, ['members'], empty), {});
  });

  it('keeps empty rows on an add/remove submit, so that the pressed button still points at its row', () => {
    const body = browserBody([
      ['f.members.0.fullName', 'An'],
      ['f.members.1.fullName', ''],
      ['f.members.2.fullName', 'Cúc'],
      ['action', 'remove:members:1'],
    ]);
    const data = parseStepData(allKinds, ['members'], body);
    assert.deepEqual(data, { members: [{ fullName: 'An' }, {}, { fullName: 'Cúc' }] });
    const action = parseRepeatAction(body);
    assert.ok(action);
    assert.deepEqual(applyRepeatAction(data, action), { members: [{ fullName: 'An' }, { fullName: 'Cúc' }] });
  });

  it('reads only the fields of the step', () => {
    const body = browserBody([
      ['f.applicantName', 'Nguyễn Văn An'],
      ['f.applicantIdNumber', '001203004567'],
      ['f.childFullName', 'Nguyễn Văn Bé'],
      ['f.numberOfCopies', '2'],
    ]);
    assert.deepEqual(parseStepData(birth, ['applicantName', 'applicantIdNumber', 'unknownField'], body), { applicantName: 'Nguyễn Văn An', applicantIdNumber: '001203004567' });
    assert.deepEqual(parseStepData(birth, birthFields, body), {
      applicantName: 'Nguyễn Văn An',
      applicantIdNumber: '001203004567',
      childFullName: 'Nguyễn Văn Bé',
      numberOfCopies: 2,
    });
  });

  it('takes the first value of a repeated name', () => {
    assert.deepEqual(parseStepData(allKinds, ['name'], browserBody([['f.name', 'Một'], ['f.name', 'Hai']])), { name: 'Một' });
  });
});

describe('repeat actions', () => {
  it('recognises the add and remove buttons, and nothing else', () => {
    assert.deepEqual(parseRepeatAction(browserBody([['action', 'add:members']])), { kind: 'add', field: 'members' });
    assert.deepEqual(parseRepeatAction(browserBody([['action', 'remove:members:3']])), { kind: 'remove', field: 'members', index: 3 });
    assert.deepEqual(parseRepeatAction(browserBody([['action', 'add:a.0.b']])), { kind: 'add', field: 'a.0.b' });
    for (const value of ['', 'continue', 'add:', 'remove:members', 'remove:members:x', 'remove:members:-1', 'add:members:1', 'add:<script>', 'delete:members:0']) {
      assert.equal(parseRepeatAction(browserBody([['action', value]])), undefined, value);
    }
    assert.equal(parseRepeatAction({}), undefined);
  });

  it('adds an empty item and removes the chosen one, without changing the data given', () => {
    const data = Object.freeze({ name: 'An', members: Object.freeze([{ fullName: 'A' }, { fullName: 'B' }, { fullName: 'C' }]) });
    assert.deepEqual(applyRepeatAction(data, { kind: 'add', field: 'members' }), { name: 'An', members: [{ fullName: 'A' }, { fullName: 'B' }, { fullName: 'C' }, {}] });
    assert.deepEqual(applyRepeatAction(data, { kind: 'remove', field: 'members', index: 1 }), { name: 'An', members: [{ fullName: 'A' }, { fullName: 'C' }] });
    assert.deepEqual(applyRepeatAction(data, { kind: 'remove', field: 'members', index: 7 }), data);
    assert.deepEqual(data.members, [{ fullName: 'A' }, { fullName: 'B' }, { fullName: 'C' }]);
    assert.deepEqual(applyRepeatAction({}, { kind: 'add', field: 'members' }), { members: [{}] });
    assert.deepEqual(applyRepeatAction({}, { kind: 'remove', field: 'members', index: 0 }), { members: [] });
  });

  it('works on a group inside an item', () => {
    const data = { a: [{ b: [{ x: 1 }, { x: 2 }] }] };
    assert.deepEqual(applyRepeatAction(data, { kind: 'remove', field: 'a.0.b', index: 0 }), { a: [{ b: [{ x: 2 }] }] });
    assert.deepEqual(applyRepeatAction(data, { kind: 'add', field: 'a.0.b' }), { a: [{ b: [{ x: 1 }, { x: 2 }, {}] }] });
    assert.deepEqual(applyRepeatAction(data, { kind: 'add', field: 'a.5.b' }), data);
  });
});
