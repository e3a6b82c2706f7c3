// The email templates: every template exists in Vietnamese and English, says what it is about,
// carries its link, and escapes whatever a citizen typed into a parameter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotifyError } from './notify-error.js';
import { emailTemplateNames, renderEmail, renderUntrusted, type EmailTemplateName, type EmailTemplateParams } from './notify.templates.js';

const link = 'https://dichvucong.example.vn/xac-nhan?token=abc123&lang=vi';

const sample: { [T in EmailTemplateName]: EmailTemplateParams[T] } = {
  'account.verify-email': { name: 'Nguyễn Thị Hồng Nhung', link },
  'account.reset-password': { name: 'Trần Văn Đức', link, expiresInMinutes: 30 },
  'account.officer-created': { name: 'Lê Minh Khoa', agency: 'Sở Tư pháp tỉnh Đồng Tháp', link },
  'dossier.status-changed': { name: 'Phạm Thu Hà', dossierCode: 'H01.01-241128-0001', statusText: 'Đã tiếp nhận', link },
  'dossier.apology': { name: 'Phạm Thu Hà', dossierCode: 'H01.01-241128-0001', agency: 'UBND phường Mỹ Tho', reason: 'Cần xác minh thêm', newDate: '15/12/2026', link },
  'workflow.digest': { name: 'Phạm Minh Đức', date: '28/11/2026', overdue: 3, dueSoon: 5, waiting: 2, link },
};

/** What each template must say, in each language: the words a reader looks for. */
const expected: Record<EmailTemplateName, { vi: RegExp[]; en: RegExp[] }> = {
  'account.verify-email': { vi: [/Xác nhận địa chỉ thư điện tử/], en: [/Confirm your email address/] },
  'account.reset-password': { vi: [/Đặt lại mật khẩu/, /30 phút/], en: [/Reset the password/, /30 minutes/] },
  'account.officer-created': { vi: [/Tài khoản cán bộ/, /Sở Tư pháp tỉnh Đồng Tháp/], en: [/officer account/, /Sở Tư pháp tỉnh Đồng Tháp/] },
  'dossier.status-changed': { vi: [/Hồ sơ H01\.01-241128-0001: Đã tiếp nhận/], en: [/Application H01\.01-241128-0001: Đã tiếp nhận/] },
  'dossier.apology': { vi: [/xin lỗi/, /15\/12\/2026/, /Cần xác minh thêm/], en: [/apologises/, /15\/12\/2026/] },
  'workflow.digest': { vi: [/3 quá hạn/, /Sắp đến hạn \(trong 2 ngày làm việc\): 5/], en: [/3 overdue/, /Due within 2 working days: 5/] },
};

describe('email templates', () => {
  test('the templates are the ones the product needs', () => {
    assert.deepEqual([...emailTemplateNames].sort(), ['account.officer-created', 'account.reset-password', 'account.verify-email', 'dossier.apology', 'dossier.status-changed', 'workflow.digest']);
  });

  for (const name of emailTemplateNames) {
    test(`${name}: Vietnamese and English, with subject, greeting, link and signature`, () => {
      const vi = renderEmail(name, 'vi', sample[name] as never);
      const en = renderEmail(name, 'en', sample[name] as never);
      const person = (sample[name] as { name: string }).name;

      assert.match(vi.text, new RegExp(`^Kính gửi ông/bà ${person},`));
      assert.match(en.text, new RegExp(`^Dear ${person},`));
      assert.notEqual(vi.subject, en.subject);
      for (const [rendered, patterns] of [
        [vi, expected[name].vi],
        [en, expected[name].en],
      ] as const) {
        for (const pattern of patterns) assert.match(`${rendered.subject}\n${rendered.text}`, pattern);
        assert.ok(rendered.text.includes(link), 'the text part carries the link as is');
        assert.ok(rendered.html.includes(`href="${link.replace('&', '&amp;')}"`), 'the HTML part links to it');
        assert.doesNotMatch(rendered.subject, /[\r\n]/);
        assert.equal(rendered.subject, rendered.subject.normalize('NFC'));
      }
      assert.match(vi.text, /Trân trọng,\nCổng Dịch vụ công tỉnh Đồng Tháp/);
      assert.match(vi.html, /<html lang="vi">/);
      assert.match(en.html, /<html lang="en">/);
      assert.match(vi.text, /xin vui lòng không trả lời/);
    });
  }

  test('HTML in any parameter is escaped in the HTML part, and left as text in the text part', () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const rendered = renderEmail('dossier.status-changed', 'vi', {
      name: hostile,
      dossierCode: 'H01<b>',
      statusText: `"quoted" 'single' ${hostile}`,
      link: "https://dichvucong.example.vn/ho-so?a=1&b='2'",
    });
    assert.doesNotMatch(rendered.html, /<script|<img|<b>/);
    assert.match(rendered.html, /Kính gửi ông\/bà &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &lt;img src=x onerror=alert\(1\)&gt;,/);
    assert.match(rendered.html, /&#39;single&#39;/);
    assert.match(rendered.html, /<title>Hồ sơ H01&lt;b&gt;: &quot;quoted&quot;/);
    assert.ok(rendered.html.includes('href="https://dichvucong.example.vn/ho-so?a=1&amp;b=&#39;2&#39;"'), 'the link is escaped in its attribute');
    assert.match(rendered.text, /Kính gửi ông\/bà <script>alert\("x"\)<\/script>/);
  });

  test('a name cannot forge extra lines or headers; Vietnamese typed in decomposed form comes out composed', () => {
    const decomposed = 'Nguyễn Văn An'.normalize('NFD');
    assert.notEqual(decomposed, 'Nguyễn Văn An');
    const rendered = renderEmail('dossier.status-changed', 'vi', {
      name: `${decomposed}\r\nBcc: attacker@example.com`,
      dossierCode: 'H01',
      statusText: 'Đã trả kết quả\r\nX-Evil: 1',
      link,
    });
    assert.match(rendered.text, /^Kính gửi ông\/bà Nguyễn Văn An Bcc: attacker@example\.com,\n/);
    assert.equal(rendered.subject, 'Hồ sơ H01: Đã trả kết quả X-Evil: 1');
  });

  test('a link that is not absolute http(s) is refused, naming the parameter but not its value', () => {
    for (const bad of ['javascript:alert(1)//https://x', 'https://a.vn/"><script>', '/tai-khoan/xac-nhan', 'https://a.vn/x y', 'ftp://files.example.vn/x']) {
      assert.throws(
        () => renderEmail('account.verify-email', 'vi', { name: 'An', link: bad }),
        (e: unknown) => e instanceof NotifyError && e.code === 'params_invalid' && /\/link/.test(e.message) && !e.message.includes(bad),
        bad,
      );
    }
  });

  test('untrusted input: unknown template, unknown locale, missing or extra params are refused', () => {
    assert.throws(() => renderUntrusted('account.welcome', 'vi', {}), (e: unknown) => e instanceof NotifyError && e.code === 'template_unknown');
    assert.throws(() => renderUntrusted('account.verify-email', 'fr', { name: 'An', link }), (e: unknown) => e instanceof NotifyError && e.code === 'locale_unknown');
    assert.throws(() => renderUntrusted('account.reset-password', 'vi', { name: 'An', link }), /expiresInMinutes/);
    assert.throws(() => renderUntrusted('account.verify-email', 'vi', { name: 'An', link, extra: 1 }), /additional properties/);
    assert.throws(() => renderUntrusted('account.verify-email', 'vi', { name: '  \n ', link }), /\/name/);
  });
});
