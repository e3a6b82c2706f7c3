import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { fieldId } from '../../../platform/html/components.js';
import { addressPickerScriptUrl, registerAssets } from '../../../platform/http/assets.js';
import { formSteps } from '../../catalog/form-schema.js';
import { parseRepeatAction, parseStepData } from './eform-parse.js';
import { EformFields, eformAnswerRows } from './eform-render.js';
import { type Json, fieldKind, itemSchemaOf, propertiesOf, titleOf } from './eform-schema.js';
import { validateEformData } from './eform-validate.js';
import { addressChoices, browserBody, communeCodes, pageContext, pick, procedure, procedures, sampleObject, submittedPairs } from './eform-test-fixtures.js';

const birth = procedure('1.001193').formSchema;
const company = procedure('DT.006').formSchema;

function renderStep(schema: Json, fields: readonly string[], data: Json = {}, errors: Record<string, string> = {}, locale: 'vi' | 'en' = 'vi'): string {
  return render(<EformFields ctx={pageContext(locale)} schema={schema} fields={fields} data={data} errors={errors} address={addressChoices} />);
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function texts(html: string, tag: 'label' | 'legend'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => decode(m[1]!.replace(/<[^>]+>/g, '')).trim());
}

function attributeValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => decode(m[1]!));
}

/** Every title of the step's fields (and of their items' fields), as a label or legend shows it. */
function titlesOf(schema: Json, fields: readonly string[]): string[] {
  const titles: string[] = [];
  const visit = (prop: Json, name: string) => {
    titles.push(titleOf(prop, name));
    const kind = fieldKind(prop);
    if (kind === 'group') for (const [child, childProp] of propertiesOf(itemSchemaOf(prop))) visit(childProp, child);
    if (kind === 'address' || kind === 'object') for (const [child, childProp] of propertiesOf(prop)) visit(childProp, child);
  };
  for (const [name, prop] of propertiesOf(schema)) if (fields.includes(name)) visit(prop, name);
  return titles;
}

/** The structural checks every rendered step must pass. */
function checkAccessible(html: string, label: string) {
  const ids = attributeValues(html, 'id');
  assert.equal(new Set(ids).size, ids.length, `${label}: duplicate ids`);
  const labelled = new Set(attributeValues(html, 'for'));
  for (const tag of html.match(/<(input|select|textarea)\b[^>]*>/g) ?? []) {
    const id = /\sid="([^"]+)"/.exec(tag)?.[1];
    assert.ok(id, `${label}: an input without id: ${tag}`);
    assert.ok(labelled.has(id), `${label}: no <label for="${id}">`);
  }
  const described = new Set(attributeValues(html, 'aria-describedby').flatMap((v) => v.split(' ')));
  for (const id of attributeValues(html, 'id').filter((id) => id.endsWith('-hint') || id.endsWith('-error'))) {
    assert.ok(described.has(id), `${label}: ${id} is not referenced by aria-describedby`);
  }
}

describe('EformFields', () => {
  it('renders every step of every demo procedure, empty and with errors, accessibly', () => {
    assert.equal(procedures.length, 54);
    let steps = 0;
    for (const { code, formSchema } of procedures) {
      for (const [index, step] of formSteps(formSchema).entries()) {
        steps += 1;
        const label = `${code} step ${index + 1}`;
        const empty = renderStep(formSchema, step.fields);
        checkAccessible(empty, label);
        const shown = [...texts(empty, 'label'), ...texts(empty, 'legend')];
        for (const title of titlesOf(formSchema, step.fields)) {
          assert.ok(
            shown.some((text) => text.startsWith(title)),
            `${label}: "${title}" has no label or legend`,
          );
        }
        assert.doesNotMatch(empty, /error-message/, `${label}: no errors shown without errors`);

        // The validator's own problems for an empty step, then a message for every input.
        const problems = validateEformData(formSchema, {}, { fields: step.fields });
        const names = new Set(problems.map((p) => p.name));
        const errors: Record<string, string> = Object.fromEntries(problems.map((p) => [p.name, p.message]));
        let n = 0;
        for (const [name] of submittedPairs(empty)) {
          const key = name.slice(2);
          if (/\.(month|year)$/.test(key) || names.has(key)) continue;
          errors[key] = `Thông báo lỗi thử số ${(n += 1)} <b>&</b>`;
        }
        const withErrors = renderStep(formSchema, step.fields, {}, errors);
        checkAccessible(withErrors, `${label} with errors`);
        for (const [name, message] of Object.entries(errors)) {
          const id = fieldId(name);
          assert.match(withErrors, new RegExp(`\\sid="${id}"`), `${label}: the summary link #${id} lands nowhere`);
          assert.ok(
            withErrors.includes(`<span class="visually-hidden">Lỗi: </span>${escapeText(message)}</span>`),
            `${label}: the message for ${name} is not shown`,
          );
        }
        assert.match(withErrors, /class="form-group form-group--error"/);
      }
    }
    assert.ok(steps >= 54);
  });

  it('renders each widget as the design system has it', () => {
    const steps = formSteps(birth);
    const first = renderStep(birth, steps[0]!.fields);
    // Text, with the numeric keyboard for digit patterns, the hint under the label.
    assert.match(first, /<label for="f-applicantName">Họ, chữ đệm và tên người yêu cầu<\/label>/);
    assert.match(first, /<input id="f-applicantName" name="f\.applicantName" type="text" value/);
    assert.match(first, /<label for="f-applicantIdNumber">Số định danh cá nhân \(CCCD\)<\/label><span class="hint" id="f-applicantIdNumber-hint">Gồm 12 chữ số/);
    assert.match(first, /id="f-applicantIdNumber"[^>]*inputmode="numeric"[^>]*aria-describedby="f-applicantIdNumber-hint"/);
    // Optional fields say so; required ones are not starred.
    assert.match(first, /<label for="f-applicantEmail">Thư điện tử \(không bắt buộc\)<\/label>/);
    assert.match(first, /id="f-applicantEmail" name="f\.applicantEmail" type="email"/);
    assert.doesNotMatch(first, /\*/);
    // Select with an empty first choice.
    assert.match(first, /<select id="f-relationshipToChild" name="f\.relationshipToChild"><option value>— Chọn —<\/option><option value="cha">Cha<\/option>/);
    // Address: a fieldset with the province, the communes grouped by province, the street; the script.
    assert.match(first, /<div class="address-picker" data-address-picker data-filter-label="Tìm xã, phường theo tên"><div class="form-group"><fieldset class="fieldset" id="f-applicantAddress"><legend class="fieldset__legend">Nơi cư trú của người yêu cầu<\/legend>/);
    assert.match(first, /<select id="f-applicantAddress-provinceCode" name="f\.applicantAddress\.provinceCode"><option value>— Chọn —<\/option><option value="01">Thành phố Hà Nội<\/option>/);
    assert.match(
      first,
      /<select id="f-applicantAddress-communeCode" name="f\.applicantAddress\.communeCode"><option value>— Chọn —<\/option><optgroup label="Thành phố Hà Nội" data-group="01"><option value="00004">Phường Ba Đình<\/option><option value="00008">Phường Ngọc Hà<\/option><\/optgroup><optgroup label="Thành phố Cần Thơ" data-group="92">/,
    );
    assert.match(first, /<label for="f-applicantAddress-street">Số nhà, đường, thôn, ấp \(không bắt buộc\)<\/label>/);
    assert.equal(first.split(`<script src="${addressPickerScriptUrl}" defer></script>`).length, 2, 'the address script once');
    assert.doesNotMatch(first, /<script>/, 'no inline script (CSP)');
    // Date: three boxes in a fieldset, with the format shown.
    const second = renderStep(birth, steps[1]!.fields, { childDateOfBirth: '2020-03-05' });
    assert.match(
      second,
      /<fieldset class="fieldset" role="group" aria-describedby="f-childDateOfBirth-hint"><legend class="fieldset__legend">Ngày, tháng, năm sinh<\/legend><span class="hint" id="f-childDateOfBirth-hint">Ví dụ: 05 03 2020<\/span>/,
    );
    assert.match(second, /<label class="date-input__label" for="f-childDateOfBirth-day">Ngày<\/label><input class="input--width-2" id="f-childDateOfBirth-day" name="f\.childDateOfBirth\.day" type="text" inputmode="numeric" value="05"\/>/);
    assert.match(second, /id="f-childDateOfBirth-month" name="f\.childDateOfBirth\.month" type="text" inputmode="numeric" value="03"/);
    assert.match(second, /<input class="input--width-4" id="f-childDateOfBirth-year" name="f\.childDateOfBirth\.year" type="text" inputmode="numeric" value="2020"\/>/);
    assert.doesNotMatch(second, /<script/, 'no address, no script');
    // Integer.
    const fourth = renderStep(birth, steps[3]!.fields, { numberOfCopies: 2 });
    assert.match(fourth, /id="f-numberOfCopies" name="f\.numberOfCopies" type="text" value="2" inputmode="numeric"/);
  });

  it('renders yes/no as radios and repeating groups with their buttons', () => {
    const steps = formSteps(company);
    const last = renderStep(company, steps[3]!.fields, { registerOnline: true });
    assert.match(
      last,
      /<fieldset class="fieldset" aria-describedby="f-registerOnline-hint"><legend class="fieldset__legend">Nộp hồ sơ qua mạng điện tử<\/legend>/,
    );
    assert.match(last, /<input class="radios__input" id="f-registerOnline" name="f\.registerOnline" type="radio" value="yes" checked\/><label class="radios__label" for="f-registerOnline">Có<\/label>/);
    assert.match(last, /<input class="radios__input" id="f-registerOnline-2" name="f\.registerOnline" type="radio" value="no"\/><label class="radios__label" for="f-registerOnline-2">Không<\/label>/);

    const members = renderStep(company, steps[2]!.fields, {});
    // minItems 2: two items to fill in, no "Xoá" below the minimum; legalRepresentatives: one.
    assert.match(members, /<legend class="fieldset__legend eform-item__legend">Danh sách thành viên \(từ 02 đến 50\) thứ 1<\/legend>/);
    assert.match(members, /thứ 2<\/legend>/);
    assert.doesNotMatch(members, /Danh sách thành viên \(từ 02 đến 50\) thứ 3/);
    assert.doesNotMatch(members, /value="remove:/);
    assert.match(members, /<button class="button button--secondary" type="submit" name="action" value="add:members">Thêm danh sách thành viên \(từ 02 đến 50\)<\/button>/);
    assert.match(members, /value="add:legalRepresentatives">Thêm người đại diện theo pháp luật<\/button>/);
    assert.match(members, /name="f\.members\.1\.contributionDeadline\.day"/);
    assert.match(members, /name="f\.legalRepresentatives\.0\.residence\.communeCode"/);
    // Enter in a text box submits the step, not the first "Xoá": a nameless button comes first.
    assert.match(members, /^<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">Tiếp tục<\/button>/);

    const three = { members: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] };
    const more = renderStep(company, ['members'], three);
    for (const i of [0, 1, 2]) {
      assert.match(more, new RegExp(`name="action" value="remove:members:${i}">Xoá<span class="visually-hidden"> Danh sách thành viên \\(từ 02 đến 50\\) thứ ${i + 1}</span></button>`));
    }
    // The pressed button comes back as the action the caller applies.
    const pressed = browserBody([...submittedPairs(more), ['action', 'remove:members:1']]);
    assert.deepEqual(parseRepeatAction(pressed), { kind: 'remove', field: 'members', index: 1 });
    // At maxItems, no "Thêm".
    const full = { coOwners: Array.from({ length: 20 }, () => ({ fullName: 'Lê Văn Tám' })) };
    assert.doesNotMatch(renderStep(procedure('1.013978').formSchema, ['coOwners'], full), /value="add:coOwners"/);
  });

  it('shows each error above its input and marks the field', () => {
    const steps = formSteps(birth);
    const data = { applicantIdNumber: '12a', applicantAddress: { provinceCode: '01', communeCode: '31117' } };
    const problems = validateEformData(birth, data, { fields: steps[0]!.fields, communeCodes });
    const errors = Object.fromEntries(problems.map((p) => [p.name, p.message]));
    const html = renderStep(birth, steps[0]!.fields, data, errors);
    assert.match(
      html,
      /<div class="form-group form-group--error"><label for="f-applicantIdNumber">Số định danh cá nhân \(CCCD\)<\/label><span class="hint" id="f-applicantIdNumber-hint">[^<]*<\/span><span class="error-message" id="f-applicantIdNumber-error"><span class="visually-hidden">Lỗi: <\/span>Số định danh cá nhân \(CCCD\): Gồm 12 chữ số[^<]*<\/span><input class="input--error" id="f-applicantIdNumber" name="f\.applicantIdNumber" type="text" value="12a"[^>]*aria-describedby="f-applicantIdNumber-hint f-applicantIdNumber-error" aria-invalid="true"/,
    );
    assert.match(html, /id="f-applicantAddress-communeCode-error"><span class="visually-hidden">Lỗi: <\/span>Nơi cư trú của người yêu cầu: chọn xã, phường thuộc tỉnh đã chọn/);
    assert.match(html, /<option value="31117" selected>Phường Ninh Kiều<\/option>/);
    // Dates: a missing month marks the month box only; an impossible date marks all three.
    const dates = renderStep(birth, ['childDateOfBirth'], { childDateOfBirth: '2020--05' }, { 'childDateOfBirth.month': 'Ngày, tháng, năm sinh phải có tháng' });
    assert.match(dates, /<input class="input--width-2" id="f-childDateOfBirth-day"[^>]*value="05"\/>/);
    assert.match(dates, /<input class="input--width-2 input--error" id="f-childDateOfBirth-month"[^>]*aria-invalid="true"\/>/);
    assert.match(dates, /aria-describedby="f-childDateOfBirth-hint f-childDateOfBirth-error"/);
    const impossible = renderStep(birth, ['childDateOfBirth'], { childDateOfBirth: '2026-02-31' }, { 'childDateOfBirth.day': 'x' });
    assert.equal(impossible.match(/input--error/g)?.length, 3);
    assert.match(impossible, /value="31"/);
  });

  it('labels the widgets in English too', () => {
    const html = renderStep(birth, formSteps(birth)[0]!.fields, {}, {}, 'en');
    assert.match(html, /Thư điện tử \(optional\)/);
    assert.match(html, /<option value>— Select —<\/option>/);
    assert.match(html, /data-filter-label="Search communes and wards by name"/);
  });

  it('round trip: the rendered inputs, submitted, parse back to the same data, for every demo form', () => {
    for (const { code, formSchema } of procedures) {
      for (const full of [true, false]) {
        const data = sampleObject(formSchema, full, 3);
        for (const [index, step] of formSteps(formSchema).entries()) {
          const html = renderStep(formSchema, step.fields, data);
          const parsed = parseStepData(formSchema, step.fields, browserBody(submittedPairs(html)));
          assert.deepEqual(parsed, pick(data, step.fields), `${code} step ${index + 1}${full ? '' : ' (required only)'}`);
        }
      }
    }
  });

  it('round trip keeps what the validator must see: impossible dates and text in number boxes', () => {
    const schema = { type: 'object', properties: { born: { type: 'string', format: 'date', title: 'Ngày sinh' }, copies: { type: 'integer', title: 'Số bản' }, area: { type: 'number', title: 'Diện tích' } } };
    for (const data of [{ born: '2026-02-31', copies: 'hai', area: 1000.25 }, { born: '2020--05', copies: 1000, area: 0.5 }, { born: '20-03-05', area: 1e-7 }]) {
      const html = renderStep(schema, ['born', 'copies', 'area'], data);
      assert.deepEqual(parseStepData(schema, ['born', 'copies', 'area'], browserBody(submittedPairs(html))), data);
    }
  });
});

describe('eformAnswerRows', () => {
  function text(value: ComponentChildren): string {
    return decode(render(<>{value}</>).replace(/<br\/>/g, '\n').replace(/<\/(li|span)>(?=<(li|span))/g, '$&|').replace(/<[^>]+>/g, ''));
  }

  it('shows the answers the way a person reads them', () => {
    const data = {
      ...sampleObject(birth, true),
      applicantAddress: { provinceCode: '92', communeCode: '31117', street: 'Số 5 đường 30/4' },
      relationshipToChild: 'me',
      childDateOfBirth: '2020-03-05',
      numberOfCopies: 1000,
      fatherResidence: undefined,
    };
    const rows = eformAnswerRows(pageContext(), birth, Object.keys(birth.properties as object), data, addressChoices);
    const byKey = new Map(rows.map((r) => [r.key, text(r.value)]));
    assert.equal(rows.length, Object.keys(birth.properties as object).length);
    assert.equal(byKey.get('Nơi cư trú của người yêu cầu'), 'Số 5 đường 30/4, Phường Ninh Kiều, Thành phố Cần Thơ');
    assert.equal(byKey.get('Quan hệ với người được khai sinh'), 'Mẹ');
    assert.equal(byKey.get('Ngày, tháng, năm sinh'), '05/03/2020');
    assert.equal(byKey.get('Số bản sao Giấy khai sinh yêu cầu cấp'), '1.000');
    assert.equal(byKey.get('Nơi cư trú của cha'), 'Chưa nhập');
    assert.equal(rows[0]!.key, 'Họ, chữ đệm và tên người yêu cầu');

    const company = procedure('DT.006').formSchema;
    const answers = {
      registerOnline: true,
      socialInsuranceRegistration: false,
      members: [
        { name: 'Công ty TNHH An Phú', contribution: 600000000, sharePercent: 60.5, contributionDeadline: '2026-12-31' },
        { name: 'Trần Thị Mai', contribution: 400000000, sharePercent: 39.5 },
      ],
    };
    const more = new Map(eformAnswerRows(pageContext(), company, ['registerOnline', 'socialInsuranceRegistration', 'members'], answers, addressChoices).map((r) => [r.key, r]));
    assert.equal(text(more.get('Nộp hồ sơ qua mạng điện tử')!.value), 'Có');
    assert.equal(text(more.get('Đăng ký bảo hiểm xã hội cùng hồ sơ')!.value), 'Không');
    const list = render(<>{more.get('Danh sách thành viên (từ 02 đến 50)')!.value}</>);
    assert.match(list, /^<ol class="eform-answer__list"><li>/);
    assert.equal((list.match(/<li>/g) ?? []).length, 2);
    assert.equal(
      text(more.get('Danh sách thành viên (từ 02 đến 50)')!.value),
      'Tên thành viên (cá nhân hoặc tổ chức): Công ty TNHH An Phú|Giá trị phần vốn góp (đồng): 600.000.000|Tỷ lệ phần vốn góp (%): 60,5|Thời hạn góp vốn: 31/12/2026|Tên thành viên (cá nhân hoặc tổ chức): Trần Thị Mai|Giá trị phần vốn góp (đồng): 400.000.000|Tỷ lệ phần vốn góp (%): 39,5',
    );
    const en = eformAnswerRows(pageContext('en'), company, ['registerOnline', 'charterCapital'], { registerOnline: false, charterCapital: 1500000 }, addressChoices);
    assert.deepEqual(en.map((r) => text(r.value)), ['No', '1,500,000']);
  });

  it('keeps line breaks of long text and escapes it', () => {
    const schema = procedure('1.013978').formSchema;
    const rows = eformAnswerRows(pageContext(), schema, ['landUseOrigin'], { landUseOrigin: 'Được giao <đất>\nnăm 1995' }, addressChoices);
    assert.equal(render(<>{rows[0]!.value}</>), 'Được giao &lt;đất><br/>năm 1995');
  });
});

describe('address picker script', () => {
  it('is served under its content-hashed address, as a script the CSP allows', async () => {
    const app = Fastify();
    await registerAssets(app);
    const response = await app.inject(addressPickerScriptUrl);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/javascript/);
    assert.match(String(response.headers['cache-control']), /immutable/);
    assert.match(response.body, /data-address-picker/);
    assert.equal((await app.inject('/assets/address-picker.js')).statusCode, 404);
    await app.close();
  });
});
