// TypeBox schemas of the notify module: the outbox payload of `notify.email` and the developer
// inbox's route parameters.
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { emailTemplateNames, type EmailTemplateName } from './notify.templates.js';

/**
 * One mailbox, address only: no display name, no list, no whitespace or control characters
 * (which could smuggle extra headers or recipients). Deliberately simple: the identity module
 * checks what a person types; this guards what reaches the mail server.
 */
export const EmailAddressSchema = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s@<>()\\[\\]\\\\,;:"]{1,64}@[^\\s@<>()\\[\\]\\\\,;:"]+\\.[^\\s@<>()\\[\\]\\\\,;:".]{2,63}$',
});

const emailAddress = Compile(EmailAddressSchema);

export function isEmailAddress(value: unknown): value is string {
  return emailAddress.Check(value);
}

/** The outbox job type of an email. */
export const NOTIFY_EMAIL = 'notify.email';

/** The outbox payload of a `notify.email` job, as written by queueEmail. */
export const EmailJobPayloadSchema = Type.Object(
  {
    /** Fixed when queued, so every retry of the job sends the same Message-ID. */
    mailId: Type.String({ format: 'uuid' }),
    to: EmailAddressSchema,
    template: Type.Unsafe<EmailTemplateName>(Type.Union(emailTemplateNames.map((name) => Type.Literal(name)))),
    locale: Type.Union([Type.Literal('vi'), Type.Literal('en')]),
    /** Checked against the template's own schema when the job renders it. */
    params: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export type EmailJobPayload = Static<typeof EmailJobPayloadSchema>;

export const emailJobPayload = Compile(EmailJobPayloadSchema);

export const DevMailParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });
export const DevInboxQuerySchema = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
});
