import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formSteps } from '../../catalog/form-schema.js';
import { validateEformData } from './eform-validate.js';
import { communeCodes, procedure, procedures, sampleObject } from './eform-test-fixtures.js';

const birth = procedure('1.001193').formSchema; // đăng ký khai sinh
const company = procedure('DT.006').formSchema; // groups with integer, number, date and address items
const land = procedure('1.013978').formSchema; // a top-level number (landArea) and a group (coOwners)

const validBirth = sampleObject(birth, true);

/** The problems for the valid birth answers with some of them changed. */
function birthWith(changes: Record<string, unknown>, options: Parameters<typeof validateEformData>[2] = {}) {
  return validateEformData(birth, { ...validBirth, ...changes }, { communeCodes, ...options });
}

describe('validateEformData', () => {
  it('accepts complete, valid answers for every demo procedure', () => {
    assert.equal(procedures.length, 54);
    for (const { code, formSchema } of procedures) {
      assert.deepEqual(validateEformData(formSchema, sampleObject(formSchema, true), { communeCodes }), [], code);
      assert.deepEqual(validateEformData(formSchema, sampleObject(formSchema, false), { communeCodes }), [], `${code} (required only)`);
    }
  });

  it('asks for each missing required field of the step, in the order of the form', () => {
    const step = formSteps(birth)[0]!;
    assert.deepEqual(validateEformData(birth, {}, { fields: step.fields }), [
      { name: 'applicantName', message: 'Nhập họ, chữ đệm và tên người yêu cầu' },
      { name: 'applicantIdNumber', message: 'Nhập số định danh cá nhân (CCCD)' },
      { name: 'applicantPhone', message: 'Nhập số điện thoại' },
      { name: 'applicantAddress.provinceCode', message: 'Nơi cư trú của người yêu cầu: chọn tỉnh, thành phố' },
      { name: 'relationshipToChild', message: 'Chọn quan hệ với người được khai sinh' },
    ]);
  });

  it('reports only the fields of the step it is given', () => {
    const steps = formSteps(birth);
    assert.deepEqual(validateEformData(birth, {}, { fields: steps[3]!.fields }), [], 'numberOfCopies is optional');
    const second = validateEformData(birth, { applicantName: '' }, { fields: steps[1]!.fields });
    assert.deepEqual(
      second.map((p) => p.name),
      ['childFullName', 'childDateOfBirth.day', 'childSex', 'childPlaceOfBirth', 'childEthnicity', 'childNationality'],
    );
    assert.equal(second[1]!.message, 'Nhập ngày, tháng, năm sinh');
    assert.equal(second[2]!.message, 'Chọn giới tính');
    // The whole form: every step's problems, in the schema's order.
    const all = validateEformData(birth, {});
    const order = Object.keys(birth.properties as object);
    const positions = all.map((p) => order.indexOf(p.name.split('.')[0]!));
    assert.equal(all.length, 17);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  });

  it('explains a pattern with the field description, and reports one problem per field', () => {
    const idMessage = 'Số định danh cá nhân (CCCD): Gồm 12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.';
    assert.deepEqual(birthWith({ applicantIdNumber: '12345' }), [{ name: 'applicantIdNumber', message: idMessage }]);
    // Too long and not digits: the pattern's explanation comes first, once.
    assert.deepEqual(birthWith({ applicantIdNumber: '0012030045678' }), [{ name: 'applicantIdNumber', message: idMessage }]);
    assert.deepEqual(birthWith({ motherIdNumber: 'abc' }), [
      { name: 'motherIdNumber', message: 'Số định danh cá nhân của mẹ: Gồm 12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.' },
    ]);
    // A pattern without a description.
    const schema = { type: 'object', properties: { code: { type: 'string', title: 'Mã hồ sơ', pattern: '^[A-Z]{2}$' } } };
    assert.deepEqual(validateEformData(schema, { code: 'a1' }), [{ name: 'code', message: 'Mã hồ sơ không đúng định dạng' }]);
  });

  it('reports text that is too long, counting Vietnamese letters as one character each', () => {
    assert.deepEqual(birthWith({ applicantName: 'A'.repeat(101) }), [{ name: 'applicantName', message: 'Họ, chữ đệm và tên người yêu cầu không được quá 100 ký tự' }]);
    assert.deepEqual(birthWith({ applicantName: 'Nguyễn'.repeat(16) + 'Hồng' }), []);
  });

  it('reports an email address in the wrong form', () => {
    assert.deepEqual(birthWith({ applicantEmail: 'an.example.vn' }), [{ name: 'applicantEmail', message: 'Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@example.vn' }]);
  });

  it('reports an impossible or incomplete date on the box to correct', () => {
    assert.deepEqual(birthWith({ childDateOfBirth: '2026-02-31' }), [
      { name: 'childDateOfBirth.day', message: 'Ngày, tháng, năm sinh phải là ngày có thật, ví dụ 05 03 2020' },
    ]);
    assert.deepEqual(birthWith({ childDateOfBirth: '2023-02-29' }), [
      { name: 'childDateOfBirth.day', message: 'Ngày, tháng, năm sinh phải là ngày có thật, ví dụ 05 03 2020' },
    ]);
    assert.deepEqual(birthWith({ childDateOfBirth: '2024-02-29' }), []);
    assert.deepEqual(birthWith({ childDateOfBirth: '2020-13-05' }), [
      { name: 'childDateOfBirth.day', message: 'Ngày, tháng, năm sinh phải là ngày có thật, ví dụ 05 03 2020' },
    ]);
    assert.deepEqual(birthWith({ childDateOfBirth: '2020--05' }), [{ name: 'childDateOfBirth.month', message: 'Ngày, tháng, năm sinh phải có tháng' }]);
    assert.deepEqual(birthWith({ motherDateOfBirth: '1990--' }), [{ name: 'motherDateOfBirth.day', message: 'Ngày, tháng, năm sinh của mẹ phải có ngày và tháng' }]);
    assert.deepEqual(birthWith({ childDateOfBirth: '20-03-05' }), [{ name: 'childDateOfBirth.year', message: 'Ngày, tháng, năm sinh: năm phải gồm 4 chữ số' }]);
    assert.deepEqual(birthWith({ childDateOfBirth: '2020-03-ba' }), [
      { name: 'childDateOfBirth.day', message: 'Ngày, tháng, năm sinh phải là ngày có thật, ví dụ 05 03 2020' },
    ]);
  });

  it('refuses a select value that is not one of the options', () => {
    assert.deepEqual(birthWith({ relationshipToChild: 'vo' }), [{ name: 'relationshipToChild', message: 'Chọn quan hệ với người được khai sinh trong danh sách' }]);
    assert.deepEqual(birthWith({ childSex: 'khac' }), [{ name: 'childSex', message: 'Chọn giới tính trong danh sách' }]);
  });

  it('checks numbers: whole numbers, limits', () => {
    const copies = 'Số bản sao Giấy khai sinh yêu cầu cấp';
    assert.deepEqual(birthWith({ numberOfCopies: 'hai' }), [{ name: 'numberOfCopies', message: `${copies} phải là số nguyên, ví dụ 12` }]);
    assert.deepEqual(birthWith({ numberOfCopies: 1.5 }), [{ name: 'numberOfCopies', message: `${copies} phải là số nguyên, ví dụ 12` }]);
    assert.deepEqual(birthWith({ numberOfCopies: 21 }), [{ name: 'numberOfCopies', message: `${copies} không được lớn hơn 20` }]);
    assert.deepEqual(birthWith({ numberOfCopies: -1 }), [{ name: 'numberOfCopies', message: `${copies} phải từ 0 trở lên` }]);
    const validLand = sampleObject(land, true);
    assert.deepEqual(validateEformData(land, { ...validLand, landArea: 0 }), [{ name: 'landArea', message: 'Diện tích (m²) phải lớn hơn 0' }]);
    assert.deepEqual(validateEformData(land, { ...validLand, landArea: 'rộng' }), [{ name: 'landArea', message: 'Diện tích (m²) phải là số, ví dụ 12,5' }]);
    assert.deepEqual(validateEformData(company, { ...sampleObject(company, true), charterCapital: 1_000_000_000 }), []);
    assert.deepEqual(validateEformData(company, { ...sampleObject(company, true), employees: 100_001 }), [
      { name: 'employees', message: 'Số lao động dự kiến không được lớn hơn 100.000' },
    ]);
  });

  it('checks addresses: the parts required, and the commune inside the chosen province', () => {
    assert.deepEqual(birthWith({ applicantAddress: { street: 'Số 1' } }), [
      { name: 'applicantAddress.provinceCode', message: 'Nơi cư trú của người yêu cầu: chọn tỉnh, thành phố' },
    ]);
    assert.deepEqual(birthWith({ motherResidence: { provinceCode: '01' } }), [
      { name: 'motherResidence.communeCode', message: 'Nơi cư trú của mẹ: chọn xã, phường, đặc khu' },
    ]);
    assert.deepEqual(birthWith({ applicantAddress: { provinceCode: '01', communeCode: '31117' } }), [
      { name: 'applicantAddress.communeCode', message: 'Nơi cư trú của người yêu cầu: chọn xã, phường thuộc tỉnh đã chọn' },
    ]);
    assert.deepEqual(birthWith({ applicantAddress: { provinceCode: '99', communeCode: '31117' } }), [
      { name: 'applicantAddress.provinceCode', message: 'Nơi cư trú của người yêu cầu: chọn tỉnh, thành phố trong danh sách' },
    ]);
    // Without the list of communes, codes are not checked.
    assert.deepEqual(validateEformData(birth, { ...validBirth, applicantAddress: { provinceCode: '01', communeCode: '31117' } }), []);
    // An optional address left empty is fine; one half filled is not.
    assert.deepEqual(birthWith({ fatherResidence: undefined }), []);
    assert.deepEqual(birthWith({ fatherResidence: { street: 'Ấp 3' } }), [
      { name: 'fatherResidence.provinceCode', message: 'Nơi cư trú của cha: chọn tỉnh, thành phố' },
    ]);
    assert.deepEqual(birthWith({ applicantAddress: { provinceCode: '01', communeCode: '00004', street: 'x'.repeat(201) } }), [
      { name: 'applicantAddress.street', message: 'Nơi cư trú của người yêu cầu: số nhà, đường, thôn, ấp không được quá 200 ký tự' },
    ]);
  });

  it('checks repeating groups: the number of items and each item’s fields, by item', () => {
    const step = formSteps(company)[2]!; // members, legalRepresentatives
    assert.deepEqual(validateEformData(company, {}, { fields: step.fields }), [
      { name: 'members', message: 'Danh sách thành viên (từ 02 đến 50): nhập ít nhất 2 mục' },
      { name: 'legalRepresentatives', message: 'Người đại diện theo pháp luật: nhập ít nhất 1 mục' },
    ]);
    const data = {
      members: [
        { name: 'Công ty TNHH An Phú', idOrRegistrationNumber: '0101234567', contribution: 'nhiều', sharePercent: 120, contributionDeadline: '2026-02-30' },
        {},
      ],
      legalRepresentatives: [{ fullName: 'Trần Thị Mai', idNumber: '001203004567', position: 'Giám đốc', residence: { provinceCode: '92', communeCode: '00004' } }],
    };
    assert.deepEqual(validateEformData(company, data, { fields: step.fields, communeCodes }), [
      { name: 'members.0.contribution', message: 'Giá trị phần vốn góp (đồng) phải là số nguyên, ví dụ 12' },
      { name: 'members.0.sharePercent', message: 'Tỷ lệ phần vốn góp (%) không được lớn hơn 100' },
      { name: 'members.0.contributionDeadline.day', message: 'Thời hạn góp vốn phải là ngày có thật, ví dụ 05 03 2020' },
      { name: 'members.1.name', message: 'Nhập tên thành viên (cá nhân hoặc tổ chức)' },
      { name: 'members.1.idOrRegistrationNumber', message: 'Nhập số giấy tờ pháp lý cá nhân hoặc mã số doanh nghiệp' },
      { name: 'members.1.contribution', message: 'Nhập giá trị phần vốn góp (đồng)' },
      { name: 'members.1.sharePercent', message: 'Nhập tỷ lệ phần vốn góp (%)' },
      { name: 'legalRepresentatives.0.residence.communeCode', message: 'Địa chỉ liên lạc: chọn xã, phường thuộc tỉnh đã chọn' },
    ]);
    const one = validateEformData(company, { members: [data.members[0]] }, { fields: ['members'] });
    assert.deepEqual(one[0], { name: 'members', message: 'Danh sách thành viên (từ 02 đến 50): nhập ít nhất 2 mục' });
    const tooMany = Array.from({ length: 21 }, () => ({ fullName: 'Lê Văn Tám', idNumber: '001203004567' }));
    assert.deepEqual(validateEformData(land, { coOwners: tooMany }, { fields: ['coOwners'] }), [
      { name: 'coOwners', message: 'Người cùng sử dụng đất, sở hữu tài sản: nhập nhiều nhất 20 mục' },
    ]);
  });

  it('speaks English when asked', () => {
    const step = formSteps(birth)[0]!;
    assert.deepEqual(validateEformData(birth, { applicantEmail: 'x' }, { fields: step.fields, locale: 'en' }), [
      { name: 'applicantName', message: 'Enter Họ, chữ đệm và tên người yêu cầu' },
      { name: 'applicantIdNumber', message: 'Enter Số định danh cá nhân (CCCD)' },
      { name: 'applicantPhone', message: 'Enter Số điện thoại' },
      { name: 'applicantEmail', message: 'Enter an email address in the correct format, like name@example.vn' },
      { name: 'applicantAddress.provinceCode', message: 'Nơi cư trú của người yêu cầu: select Tỉnh, thành phố' },
      { name: 'relationshipToChild', message: 'Select Quan hệ với người được khai sinh' },
    ]);
    assert.deepEqual(birthWith({ childDateOfBirth: '2026-02-31' }, { locale: 'en' }), [
      { name: 'childDateOfBirth.day', message: 'Ngày, tháng, năm sinh must be a real date, for example 05 03 2020' },
    ]);
    assert.deepEqual(birthWith({ numberOfCopies: 1000 }, { locale: 'en' }), [{ name: 'numberOfCopies', message: 'Số bản sao Giấy khai sinh yêu cầu cấp must be 20 or less' }]);
  });

  it('compiles a schema once and gives the same answer each time', () => {
    const first = validateEformData(birth, {});
    const started = performance.now();
    for (let i = 0; i < 50; i += 1) validateEformData(birth, {});
    assert.ok(performance.now() - started < 1000, 'validating again does not recompile');
    assert.deepEqual(validateEformData(birth, {}), first);
  });
});
