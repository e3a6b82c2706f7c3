// Messages of the notify module (the developer inbox), Vietnamese and English. The pages read
// them through notifyText; merging notifyVi/notifyEn into the catalogues of i18n.ts (as for
// identity) also makes them available to ctx.t, with no change here.
import type { Locale, MessageParams } from '../../platform/i18n/i18n.js';

export const notifyVi = {
  'devInbox.title': 'Hộp thư phát triển',
  'devInbox.intro':
    'Chưa cấu hình SMTP_URL nên thư không được gửi đi: hệ thống lưu lại tại đây để kiểm thử. Trang này không có trên máy chủ chạy thật.',
  'devInbox.count': '{total} thư',
  'devInbox.empty': 'Chưa có thư nào.',
  'devInbox.caption': 'Các thư đã lưu, mới nhất trước',
  'devInbox.col.time': 'Thời gian',
  'devInbox.col.to': 'Người nhận',
  'devInbox.col.subject': 'Tiêu đề',
  'devInbox.messageId': 'Mã thư (Message-ID)',
  'devInbox.links': 'Liên kết trong thư',
  'devInbox.noLinks': 'Thư không có liên kết nào.',
  'devInbox.textBody': 'Nội dung thư (bản văn bản)',
  'devInbox.htmlSource': 'Mã HTML của thư (hiển thị dạng văn bản, không chạy)',
} as const;

export type NotifyMessageKey = keyof typeof notifyVi;

export const notifyEn: Record<NotifyMessageKey, string> = {
  'devInbox.title': 'Developer inbox',
  'devInbox.intro': 'SMTP_URL is not set, so emails are not sent: they are kept here for testing. This page does not exist on a production server.',
  'devInbox.count': '{total} messages',
  'devInbox.empty': 'No messages yet.',
  'devInbox.caption': 'Captured messages, newest first',
  'devInbox.col.time': 'Time',
  'devInbox.col.to': 'To',
  'devInbox.col.subject': 'Subject',
  'devInbox.messageId': 'Message-ID',
  'devInbox.links': 'Links in the message',
  'devInbox.noLinks': 'The message has no links.',
  'devInbox.textBody': 'Message (text version)',
  'devInbox.htmlSource': 'HTML source of the message (shown as text, not rendered)',
};

const catalogues: Record<Locale, Record<NotifyMessageKey, string>> = { vi: notifyVi, en: notifyEn };

function fill(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A notify message in a language. */
export function notifyText(locale: Locale, key: NotifyMessageKey, params?: MessageParams): string {
  return fill(catalogues[locale][key], params);
}
