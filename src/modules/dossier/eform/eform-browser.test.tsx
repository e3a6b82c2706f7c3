// The e-form in a real browser (Debian's Chromium through playwright-core; skipped when absent):
// the address picker filters communes under the CSP, Enter in a text box does not press "Xoá",
// and axe-core finds no WCAG 2.1 AA violation on rendered steps, with and without errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { assertNoAxeViolations, chromiumMissing, launchChromium } from '../../../../test/helpers/browser.js';
import { ErrorSummary } from '../../../platform/html/components.js';
import { Layout, renderDocument } from '../../../platform/html/layout.js';
import { registerAssets, stylesheetUrl } from '../../../platform/http/assets.js';
import { formSteps } from '../../catalog/form-schema.js';
import { EformFields } from './eform-render.js';
import type { Json } from './eform-schema.js';
import { addressChoices, communeCodes, pageContext, procedure } from './eform-test-fixtures.js';
import { validateEformData } from './eform-validate.js';

const ORIGIN = 'http://eform.test';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'";

function page(schema: Json, fields: readonly string[], data: Json = {}, withErrors = false): string {
  const ctx = { ...pageContext(), stylesheet: stylesheetUrl };
  const problems = withErrors ? validateEformData(schema, data, { fields, communeCodes }) : [];
  const errors = Object.fromEntries(problems.map((p) => [p.name, p.message]));
  return renderDocument(
    <Layout ctx={ctx} title="Biểu mẫu" hasErrors={problems.length > 0}>
      <ErrorSummary title="Có lỗi trong thông tin đã nhập" problems={problems} />
      <h1>Biểu mẫu</h1>
      <form method="post" action="/nop" novalidate>
        <EformFields ctx={ctx} schema={schema} fields={fields} data={data} errors={errors} address={addressChoices} />
        <button class="button" type="submit" name="nav" value="next">
          Tiếp tục
        </button>
      </form>
    </Layout>,
  );
}

describe('the e-form in a browser', { skip: chromiumMissing }, () => {
  let browser: Browser;
  let assets: FastifyInstance;

  before(async () => {
    browser = await launchChromium();
    assets = Fastify();
    await registerAssets(assets);
  });

  after(async () => {
    await browser?.close();
    await assets?.close();
  });

  async function open(html: string, bypassCSP = false): Promise<Page> {
    const context = await browser.newContext({ bypassCSP });
    const tab = await context.newPage();
    await tab.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') {
        return route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }, body: html });
      }
      const response = await assets.inject(url.pathname);
      return route.fulfill({ status: response.statusCode, headers: { 'content-type': String(response.headers['content-type'] ?? 'text/plain') }, body: response.rawPayload });
    });
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await tab.goto(`${ORIGIN}/`);
    await tab.waitForLoadState('load');
    assert.deepEqual(errors, [], 'no script error, nothing refused by the CSP');
    return tab;
  }

  const communeValues = (tab: Page, id: string) => tab.$$eval(`#${id} option`, (options) => options.map((o) => (o as HTMLOptionElement).value));

  it('filters communes by the chosen province and by what is typed', async () => {
    const birth = procedure('1.001193').formSchema;
    const tab = await open(page(birth, formSteps(birth)[0]!.fields));
    const commune = 'f-applicantAddress-communeCode';
    assert.deepEqual(await communeValues(tab, commune), ['', '00004', '00008', '31117', '31120'], 'no province yet: every commune, grouped');
    assert.equal(await tab.textContent(`label[for="${commune}-filter"]`), 'Tìm xã, phường theo tên');

    await tab.selectOption('#f-applicantAddress-provinceCode', '92');
    assert.deepEqual(await communeValues(tab, commune), ['', '31117', '31120']);
    await tab.fill(`#${commune}-filter`, 'ninh kieu');
    assert.deepEqual(await communeValues(tab, commune), ['', '31117'], 'accents ignored');
    await tab.selectOption(`#${commune}`, '31117');
    await tab.fill(`#${commune}-filter`, 'phong');
    assert.deepEqual(await communeValues(tab, commune), ['', '31117', '31120'], 'the chosen commune stays');
    assert.equal(await tab.inputValue(`#${commune}`), '31117');

    await tab.selectOption('#f-applicantAddress-provinceCode', '01');
    assert.deepEqual(await communeValues(tab, commune), ['', '00004', '00008']);
    assert.equal(await tab.inputValue(`#${commune}`), '', 'a commune of another province is unselected');

    const submitted = await tab.$eval('form', (form) => [...new FormData(form as HTMLFormElement).keys()]);
    assert.ok(!submitted.some((name) => name.endsWith('-filter') || name === ''), 'the filter box is not submitted');
    assert.ok(submitted.includes('f.applicantAddress.communeCode'));
    await tab.context().close();
  });

  it('submits the step, not "Xoá", when Enter is pressed in a text box', async () => {
    const company = procedure('DT.006').formSchema;
    const data = { members: [{ name: 'An' }, { name: 'Bình' }, { name: 'Cúc' }] };
    const tab = await open(page(company, ['members'], data));
    await tab.evaluate(() => {
      document.querySelector('form')!.addEventListener('submit', (event) => {
        event.preventDefault();
        const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
        document.body.dataset.submitter = submitter ? `${submitter.name}=${submitter.value}` : 'none';
      });
    });
    await tab.focus('#f-members-1-name');
    await tab.keyboard.press('Enter');
    assert.equal(await tab.evaluate(() => document.body.dataset.submitter), '=', 'the nameless default button');
    await tab.click('button[value="remove:members:1"]');
    assert.equal(await tab.evaluate(() => document.body.dataset.submitter), 'action=remove:members:1');
    await tab.context().close();
  });

  it('passes axe (WCAG 2.1 AA) on steps with every widget, with and without errors', async () => {
    const birth = procedure('1.001193').formSchema;
    const company = procedure('DT.006').formSchema;
    const cases: [Json, readonly string[], Json][] = [
      [birth, formSteps(birth)[0]!.fields, {}],
      [birth, formSteps(birth)[1]!.fields, { childDateOfBirth: '2026-02-31' }],
      [company, formSteps(company)[2]!.fields, { members: [{ name: 'An', sharePercent: 120 }] }],
      [company, formSteps(company)[3]!.fields, {}],
    ];
    for (const [schema, fields, data] of cases) {
      for (const withErrors of [false, true]) {
        const tab = await open(page(schema, fields, data, withErrors), true);
        await assertNoAxeViolations(tab);
        await tab.context().close();
      }
    }
  });
});
