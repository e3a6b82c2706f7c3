// Where a rendered email goes: the MailTransport interface and its two drivers. SMTP (nodemailer)
// when SMTP_URL is set; otherwise the development driver, which keeps each message in dev_mail for
// the developer inbox (/dev/hop-thu) instead of sending it. SMS will get an interface of its own.
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../../db/schema.js';
import { insertDevMail } from './notify.repository.js';

export const defaultMailFrom = 'MộtCửa <no-reply@motcua.local>';

export interface OutgoingMail {
  /** A UUID fixed when the email was queued; the Message-ID is built from it. */
  readonly mailId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly locale: 'vi' | 'en';
}

export interface SentMail {
  /** The Message-ID, angle brackets included. Safe to log: it carries no personal data. */
  readonly messageId: string;
  /** The development driver's inbox page of the message. */
  readonly inboxPath?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'dev';
  /** Resolves once the message is accepted (by the SMTP server, or stored); throws to have the job retried. */
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Releases connections; the transport must not be used afterwards. */
  close(): Promise<void>;
}

/** Thrown by the SMTP driver. The message names the failure (code, SMTP reply) but no address or body. */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly smtpCode: string | undefined,
    readonly responseCode: number | undefined,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** The address part of a mailbox such as `MộtCửa <no-reply@motcua.local>`. */
export function mailboxAddress(mailbox: string): string {
  const match = /<([^<>]+)>\s*$/.exec(mailbox);
  return (match ? match[1]! : mailbox).trim();
}

/** `<uuid@sender-domain>`: unique, stable across retries, so receivers can drop duplicates. */
export function messageIdFor(mailId: string, from: string): string {
  const domain = mailboxAddress(from).split('@')[1] || 'motcua.local';
  return `<${mailId}@${domain}>`;
}

export interface SmtpTransportOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. Query
   *  parameters are nodemailer options, e.g. ?pool=true or ?tls.rejectUnauthorized=false. */
  url: string;
  from: string;
  /** Milliseconds; the defaults keep one attempt well inside the outbox lease (5 min). */
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.connectionTimeoutMs ?? 30_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    // Our messages never attach files or URLs; refuse them so a template bug cannot read the disk.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      const messageId = messageIdFor(mail.mailId, options.from);
      try {
        await transporter.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId,
          headers: {
            'Content-Language': mail.locale,
            // RFC 3834: no vacation replies to a no-reply address.
            'Auto-Submitted': 'auto-generated',
          },
          textEncoding: 'quoted-printable',
        });
      } catch (error) {
        throw toMailSendError(error);
      }
      return { messageId };
    },
    async close() {
      transporter.close();
    },
  };
}

const EMAIL_LIKE = /[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g;

/**
 * nodemailer's errors may quote the recipient ("550 <an@example.vn> unknown"): the message kept in
 * outbox_job.last_error and in the logs has addresses masked, and is short.
 */
export function toMailSendError(error: unknown): MailSendError {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command.replace(EMAIL_LIKE, '…').slice(0, 40) : undefined;
  const detail = (typeof e.message === 'string' ? e.message : String(error)).replace(EMAIL_LIKE, '<…>').replace(/\s+/g, ' ').trim().slice(0, 300);
  const facts = [code, responseCode !== undefined ? `reply ${responseCode}` : undefined, command ? `at ${command}` : undefined].filter(Boolean).join(', ');
  return new MailSendError(`SMTP send failed${facts ? ` (${facts})` : ''}: ${detail}`, code, responseCode);
}

export interface DevMailTransportOptions {
  db: Kysely<DB>;
  from?: string;
}

/** Stores messages in dev_mail instead of sending them; idempotent per Message-ID. */
export function createDevMailTransport(options: DevMailTransportOptions): MailTransport {
  const from = options.from ?? defaultMailFrom;
  return {
    kind: 'dev',
    async send(mail) {
      const messageId = messageIdFor(mail.mailId, from);
      const id = await insertDevMail(options.db, { messageId, toAddress: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
      return { messageId, inboxPath: `/dev/hop-thu/${id}` };
    },
    async close() {},
  };
}

export interface MailSettings {
  /** From SMTP_URL; undefined selects the development driver. */
  smtpUrl: string | undefined;
  /** From MAIL_FROM. */
  mailFrom: string;
  /** The development driver writes dev_mail through it. */
  db: Kysely<DB>;
}

/** The driver the configuration asks for: SMTP when SMTP_URL is set, the developer inbox otherwise. */
export function createMailTransport(settings: MailSettings): MailTransport {
  return settings.smtpUrl
    ? createSmtpTransport({ url: settings.smtpUrl, from: settings.mailFrom })
    : createDevMailTransport({ db: settings.db, from: settings.mailFrom });
}
