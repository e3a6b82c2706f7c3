// The email templates, in Vietnamese (default) and English. Each template is plain data (a subject,
// a greeting, paragraphs, one action link) laid out by one renderer into a text and an HTML part,
// so escaping happens in exactly one place: every parameter is escaped in the HTML part, and
// control characters are folded to spaces everywhere (a name cannot forge lines or headers).
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { isLocale, translate, type Locale } from '../../platform/i18n/i18n.js';
import { NotifyError } from './notify-error.js';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
/** Absolute http(s) links only: a `javascript:` or relative link never reaches an inbox. */
const Link = Type.String({ minLength: 10, maxLength: 2048, pattern: '^https?://[^\\s<>"]+$' });

/** One schema per template: the template's parameters, checked when queued and again when sent. */
export const emailTemplateParamSchemas = {
  'account.verify-email': Type.Object({ name: Text(200), link: Link }, { additionalProperties: false }),
  'account.reset-password': Type.Object(
    { name: Text(200), link: Link, expiresInMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }) },
    { additionalProperties: false },
  ),
  'account.officer-created': Type.Object({ name: Text(200), agency: Text(300), link: Link }, { additionalProperties: false }),
  'dossier.status-changed': Type.Object(
    { name: Text(200), dossierCode: Text(60), statusText: Text(200), link: Link },
    { additionalProperties: false },
  ),
  'dossier.apology': Type.Object(
    { name: Text(200), dossierCode: Text(60), agency: Text(300), reason: Text(2000), newDate: Text(40), link: Link },
    { additionalProperties: false },
  ),
  'workflow.digest': Type.Object(
    { name: Text(200), date: Text(40), overdue: Type.Integer({ minimum: 0 }), dueSoon: Type.Integer({ minimum: 0 }), waiting: Type.Integer({ minimum: 0 }), link: Link },
    { additionalProperties: false },
  ),
} as const satisfies Record<string, TSchema>;

export type EmailTemplateName = keyof typeof emailTemplateParamSchemas;
/** Template name → the type of its parameters. */
export type EmailTemplateParams = { [K in EmailTemplateName]: Static<(typeof emailTemplateParamSchemas)[K]> };

export const emailTemplateNames = Object.keys(emailTemplateParamSchemas) as EmailTemplateName[];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What a template says; the layout below turns it into text and HTML. */
interface EmailContent {
  subject: string;
  greeting: string;
  /** Paragraphs before the action link. */
  intro: string[];
  action: { label: string; link: string };
  /** Paragraphs after it. */
  outro: string[];
}

type TemplateFn<T extends EmailTemplateName> = (p: EmailTemplateParams[T]) => EmailContent;
type TemplateSet = { [T in EmailTemplateName]: Record<Locale, TemplateFn<T>> };

const templates: TemplateSet = {
  'account.verify-email': {
    vi: (p) => ({
      subject: 'Xác nhận địa chỉ thư điện tử trên Cổng Dịch vụ công',
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [
        'Ông/bà vừa đăng ký tài khoản trên Cổng Dịch vụ công. Để hoàn tất việc đăng ký, xin ông/bà vui lòng xác nhận địa chỉ thư điện tử này bằng liên kết dưới đây.',
      ],
      action: { label: 'Xác nhận địa chỉ thư điện tử', link: p.link },
      outro: ['Nếu ông/bà không thực hiện việc đăng ký này, xin vui lòng bỏ qua thư; tài khoản sẽ không được kích hoạt.'],
    }),
    en: (p) => ({
      subject: 'Confirm your email address for the Public Service Portal',
      greeting: `Dear ${p.name},`,
      intro: ['You have just registered an account on the Public Service Portal. To complete your registration, please confirm this email address using the link below.'],
      action: { label: 'Confirm email address', link: p.link },
      outro: ['If you did not register, please ignore this email; the account will not be activated.'],
    }),
  },
  'account.reset-password': {
    vi: (p) => ({
      subject: 'Đặt lại mật khẩu tài khoản Cổng Dịch vụ công',
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [
        'Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của ông/bà trên Cổng Dịch vụ công. Để đặt mật khẩu mới, xin ông/bà vui lòng dùng liên kết dưới đây.',
      ],
      action: { label: 'Đặt lại mật khẩu', link: p.link },
      outro: [
        `Liên kết có hiệu lực trong ${p.expiresInMinutes} phút và chỉ dùng được một lần.`,
        'Nếu ông/bà không yêu cầu đặt lại mật khẩu, xin vui lòng bỏ qua thư này; mật khẩu hiện tại vẫn được giữ nguyên.',
      ],
    }),
    en: (p) => ({
      subject: 'Reset the password of your Public Service Portal account',
      greeting: `Dear ${p.name},`,
      intro: ['We received a request to reset the password of your account on the Public Service Portal. To choose a new password, please use the link below.'],
      action: { label: 'Reset password', link: p.link },
      outro: [
        `The link is valid for ${p.expiresInMinutes} minutes and can be used once.`,
        'If you did not ask for a new password, please ignore this email; your current password stays unchanged.',
      ],
    }),
  },
  'account.officer-created': {
    vi: (p) => ({
      subject: 'Tài khoản cán bộ trên hệ thống một cửa điện tử',
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [
        `Tài khoản cán bộ của ông/bà thuộc ${p.agency} đã được tạo trên hệ thống một cửa điện tử.`,
        'Để kích hoạt tài khoản và đặt mật khẩu, xin ông/bà vui lòng dùng liên kết dưới đây.',
      ],
      action: { label: 'Kích hoạt tài khoản', link: p.link },
      outro: ['Nếu ông/bà cho rằng thư này bị gửi nhầm, xin vui lòng báo cho bộ phận quản trị hệ thống của cơ quan.'],
    }),
    en: (p) => ({
      subject: 'Your officer account on the one-stop system',
      greeting: `Dear ${p.name},`,
      intro: [`An officer account has been created for you at ${p.agency} on the electronic one-stop system.`, 'To activate the account and set your password, please use the link below.'],
      action: { label: 'Activate account', link: p.link },
      outro: ['If you believe this email was sent to you by mistake, please tell your agency’s system administrators.'],
    }),
  },
  'dossier.apology': {
    vi: (p) => ({
      subject: `Hồ sơ ${p.dossierCode}: xin lỗi và hẹn lại ngày trả kết quả`,
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [
        `${p.agency} chân thành xin lỗi ông/bà vì hồ sơ số ${p.dossierCode} chưa giải quyết được đúng hẹn.`,
        `Lý do: ${p.reason}`,
        `Ngày hẹn trả kết quả mới: ${p.newDate}.`,
      ],
      action: { label: 'Xem hồ sơ', link: p.link },
      outro: ['Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu số 04) được lưu cùng hồ sơ.'],
    }),
    en: (p) => ({
      subject: `Application ${p.dossierCode}: apology and a new date`,
      greeting: `Dear ${p.name},`,
      intro: [`${p.agency} apologises that application ${p.dossierCode} could not be completed on time.`, `Reason: ${p.reason}`, `The new date for the result: ${p.newDate}.`],
      action: { label: 'View application', link: p.link },
      outro: ['The apology letter with the new date (form 04) is kept with the application.'],
    }),
  },
  'workflow.digest': {
    vi: (p) => ({
      subject: `Tình hình hồ sơ ngày ${p.date}: ${p.overdue} quá hạn, ${p.dueSoon} sắp đến hạn`,
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [`Tổng hợp hồ sơ thuộc phạm vi phụ trách ngày ${p.date}:`, `- Quá hạn: ${p.overdue}`, `- Sắp đến hạn (trong 2 ngày làm việc): ${p.dueSoon}`, `- Chờ tiếp nhận: ${p.waiting}`],
      action: { label: 'Mở hộp hồ sơ', link: p.link },
      outro: ['Thư tổng hợp gửi mỗi ngày làm việc một lần, không gửi riêng từng hồ sơ.'],
    }),
    en: (p) => ({
      subject: `Dossiers on ${p.date}: ${p.overdue} overdue, ${p.dueSoon} due soon`,
      greeting: `Dear ${p.name},`,
      intro: [`The dossiers in your remit on ${p.date}:`, `- Overdue: ${p.overdue}`, `- Due within 2 working days: ${p.dueSoon}`, `- Waiting for reception: ${p.waiting}`],
      action: { label: 'Open the inbox', link: p.link },
      outro: ['This summary is sent once each working day, not once per dossier.'],
    }),
  },
  'dossier.status-changed': {
    vi: (p) => ({
      subject: `Hồ sơ ${p.dossierCode}: ${p.statusText}`,
      greeting: `Kính gửi ông/bà ${p.name},`,
      intro: [`Hồ sơ số ${p.dossierCode} của ông/bà đã chuyển sang trạng thái: ${p.statusText}.`, 'Ông/bà có thể xem chi tiết hồ sơ và các bước tiếp theo tại liên kết dưới đây.'],
      action: { label: 'Xem hồ sơ', link: p.link },
      outro: [],
    }),
    en: (p) => ({
      subject: `Application ${p.dossierCode}: ${p.statusText}`,
      greeting: `Dear ${p.name},`,
      intro: [`The status of your application ${p.dossierCode} is now: ${p.statusText}.`, 'You can see the details and the next steps using the link below.'],
      action: { label: 'View application', link: p.link },
      outro: [],
    }),
  },
};

/** The words every email shares, per language. The signature is the portal's name from the site catalogue. */
const common: Record<Locale, { closing: string; linkFallback: string; automated: string }> = {
  vi: {
    closing: 'Trân trọng,',
    linkFallback: 'Nếu không bấm được vào liên kết, xin ông/bà sao chép địa chỉ sau vào trình duyệt:',
    automated: 'Đây là thư tự động từ hệ thống, xin vui lòng không trả lời thư này.',
  },
  en: {
    closing: 'Kind regards,',
    linkFallback: 'If the link does not open, copy this address into your browser:',
    automated: 'This is an automated message; please do not reply to it.',
  },
};

const checkers = Object.fromEntries(
  Object.entries(emailTemplateParamSchemas).map(([name, schema]) => [name, Compile(schema as TSchema)]),
) as Record<EmailTemplateName, ReturnType<typeof Compile>>;

export function isEmailTemplateName(value: unknown): value is EmailTemplateName {
  return typeof value === 'string' && Object.hasOwn(emailTemplateParamSchemas, value);
}

/** Renders a template; the parameters are typed by the template name. */
export function renderEmail<T extends EmailTemplateName>(template: T, locale: Locale, params: EmailTemplateParams[T]): RenderedEmail {
  return renderUntrusted(template, locale, params);
}

/**
 * Renders from values that come from outside the compiler's reach (an outbox payload read back
 * as JSON): the template, the locale and every parameter are checked first.
 */
export function renderUntrusted(template: unknown, locale: unknown, params: unknown): RenderedEmail {
  const name = checkTemplate(template);
  if (!isLocale(locale)) throw new NotifyError('locale_unknown', `Email template "${name}": locale must be "vi" or "en"`);
  const cleaned = checkParams(name, params);
  const content = (templates[name][locale] as TemplateFn<EmailTemplateName>)(cleaned as never);
  return layout(locale, content);
}

/** Checks and cleans the parameters of a template: the form in which they are queued. */
export function checkParams<T extends EmailTemplateName>(template: T, params: unknown): EmailTemplateParams[T] {
  const cleaned = cleanParams(params);
  const checker = checkers[template];
  if (!checker.Check(cleaned)) {
    // Name the parameter and the rule, never the value: it may be personal data.
    const problems = [...checker.Errors(cleaned)]
      .filter((e) => e.keyword !== 'boolean')
      .map((e) => `${e.instancePath || '(params)'} ${e.message}`);
    throw new NotifyError('params_invalid', `Email template "${template}": invalid params: ${problems.join('; ')}`);
  }
  return cleaned as EmailTemplateParams[T];
}

function checkTemplate(template: unknown): EmailTemplateName {
  if (isEmailTemplateName(template)) return template;
  throw new NotifyError('template_unknown', `Email template ${JSON.stringify(String(template)).slice(0, 80)} does not exist`);
}

/** NFC (one code point per Vietnamese letter, as mail clients and search expect), no control characters. */
export function cleanText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function cleanParams(params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? cleanText(value) : value]));
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function layout(locale: Locale, content: EmailContent): RenderedEmail {
  const words = common[locale];
  const signature = translate(locale, 'site.name');
  const subject = cleanText(content.subject);
  const { label, link } = content.action;

  const text = [
    content.greeting,
    ...content.intro,
    `${label}:\n${link}`,
    ...content.outro,
    `${words.closing}\n${signature}`,
    `--\n${words.automated}`,
  ].join('\n\n');

  const p = (inner: string, style = '') => `<p style="margin:0 0 16px${style}">${inner}</p>`;
  const href = escapeHtml(link);
  const html = [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;background:#ffffff;color:#0b0c0c;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    '<div style="max-width:640px">',
    p(escapeHtml(content.greeting)),
    ...content.intro.map((para) => p(escapeHtml(para))),
    p(
      `<a href="${href}" style="display:inline-block;padding:8px 16px;background:#00703c;color:#ffffff;font-weight:bold;text-decoration:none">${escapeHtml(label)}</a>`,
    ),
    p(`${escapeHtml(words.linkFallback)}<br><a href="${href}" style="color:#1d70b8;word-break:break-all">${href}</a>`, ';font-size:14px;color:#505a5f'),
    ...content.outro.map((para) => p(escapeHtml(para))),
    p(`${escapeHtml(words.closing)}<br>${escapeHtml(signature)}`),
    `<hr style="border:0;border-top:1px solid #b1b4b6;margin:24px 0 16px">`,
    p(escapeHtml(words.automated), ';font-size:14px;color:#505a5f'),
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');

  return { subject, text, html };
}
