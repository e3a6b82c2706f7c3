// The identity pages: registration (citizen, business), email verification, login with the
// officers' second step, password reset, profile, and the VNeID login. Every form is a real
// <form> that works without JavaScript; errors come back on the same page with a summary.
import { safeNextPath } from '../../platform/errors/error-handler.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { Button, NotificationBanner, Panel, SummaryList, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { HtmlResponse, hiddenFromApi, optionalText } from '../../platform/http/route-schemas.js';
import type { VneidClient } from './vneid/vneid-client.js';
import { isVneidLoginError } from './vneid/vneid-error.js';
import type { IdentityDeps } from './identity-deps.js';
import { clearSessionCookie, requestMeta, setSessionCookie } from './identity.plugin.js';
import {
  beginTotpEnrolment,
  completeVneidLogin,
  confirmTotpEnrolment,
  actForBusiness,
  getProfile,
  hasSecondFactor,
  linkDelegate,
  listDelegates,
  login,
  logout,
  registerBusiness,
  registerCitizen,
  requestPasswordReset,
  resetPassword,
  startVneidLogin,
  verifyEmail,
  verifySecondFactor,
} from './identity.service.js';

const Html = HtmlResponse;
const hide = hiddenFromApi;
const Str = optionalText;
const limited = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

type Values = Record<string, string | undefined>;

/** Runs a form's use case; an input error re-renders the form with its messages and status. */
async function handleForm(
  request: FastifyRequest,
  reply: FastifyReply,
  render: (ctx: PageContext, errors: FormErrors) => preact.ComponentChildren,
  action: (ctx: PageContext) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const ctx = pageContext(request, reply);
  try {
    return await action(ctx);
  } catch (error) {
    if (isAppError(error) && error.status < 500 && error.code !== 'not_found') {
      return sendPage(reply, render(ctx, formErrors(ctx, error)), error.status);
    }
    throw error;
  }
}

function secureCookies(request: FastifyRequest): boolean {
  return request.secureCookies;
}

// ---------- pages ----------

/** What both registrations ask last: how to reach the account, and its password. */
function ContactAndPasswordFields({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: FormErrors }) {
  const e = errors.byField;
  return (
    <>
      <TextInput name="email" type="email" label={ctx.t('account.field.email')} value={values.email} error={e.email} autocomplete="email" maxLength={254} />
      <TextInput name="phone" type="tel" label={ctx.t('account.field.phone')} value={values.phone} error={e.phone} autocomplete="tel" maxLength={15} />
      <TextInput name="password" type="password" label={ctx.t('account.field.password')} hint={ctx.t('account.field.passwordHint')} error={e.password} autocomplete="new-password" maxLength={128} />
      <Button>{ctx.t('account.register.submit')}</Button>
    </>
  );
}

function RegisterCitizenPage({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: FormErrors }) {
  const e = errors.byField;
  return (
    <Layout ctx={ctx} title={ctx.t('account.register.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.register.title')}</h1>
      <p>
        {ctx.t('account.register.intro')} <a href="/dang-ky/doanh-nghiep">{ctx.t('account.register.businessLink')}</a>
      </p>
      <Form ctx={ctx} action="/dang-ky">
        <TextInput name="fullName" label={ctx.t('account.field.fullName')} value={values.fullName} error={e.fullName} autocomplete="name" maxLength={200} />
        <TextInput name="idNumber" label={ctx.t('account.field.idNumber')} hint={ctx.t('account.field.idNumberHint')} value={values.idNumber} error={e.idNumber} inputmode="numeric" maxLength={12} />
        <ContactAndPasswordFields ctx={ctx} values={values} errors={errors} />
      </Form>
    </Layout>
  );
}

function RegisterBusinessPage({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: FormErrors }) {
  const e = errors.byField;
  return (
    <Layout ctx={ctx} title={ctx.t('account.registerBusiness.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.registerBusiness.title')}</h1>
      <Form ctx={ctx} action="/dang-ky/doanh-nghiep">
        <TextInput name="businessName" label={ctx.t('account.field.businessName')} value={values.businessName} error={e.businessName} maxLength={200} />
        <TextInput name="taxCode" label={ctx.t('account.field.taxCode')} hint={ctx.t('account.field.taxCodeHint')} value={values.taxCode} error={e.taxCode} maxLength={14} />
        <TextInput name="legalRepName" label={ctx.t('account.field.legalRepName')} value={values.legalRepName} error={e.legalRepName} maxLength={200} />
        <TextInput name="legalRepIdNumber" label={ctx.t('account.field.legalRepIdNumber')} value={values.legalRepIdNumber} error={e.legalRepIdNumber} inputmode="numeric" maxLength={12} />
        <ContactAndPasswordFields ctx={ctx} values={values} errors={errors} />
      </Form>
    </Layout>
  );
}

function MessagePage({ ctx, title, children, hasErrors = false }: { ctx: PageContext; title: string; children: preact.ComponentChildren; hasErrors?: boolean }) {
  return (
    <Layout ctx={ctx} title={title} hasErrors={hasErrors}>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

function LoginPage({ ctx, values, errors, vneid, next }: { ctx: PageContext; values: Values; errors: FormErrors; vneid: boolean; next?: string | undefined }) {
  const e = errors.byField;
  return (
    <Layout ctx={ctx} title={ctx.t('account.login.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1 id="main-title">{ctx.t('account.login.title')}</h1>
      {vneid ? (
        <p>
          <Button href="/dang-nhap/vneid" variant="secondary">
            {ctx.t('account.login.vneid')}
          </Button>
        </p>
      ) : null}
      <Form ctx={ctx} action="/dang-nhap">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextInput name="email" type="email" label={ctx.t('account.field.email')} value={values.email} error={e.email} autocomplete="username" maxLength={254} />
        <TextInput name="password" type="password" label={ctx.t('account.field.password')} error={e.password} autocomplete="current-password" maxLength={128} />
        <Button>{ctx.t('account.login.submit')}</Button>
      </Form>
      <p>
        <a href="/quen-mat-khau">{ctx.t('account.login.forgot')}</a> · <a href="/dang-ky">{ctx.t('account.login.register')}</a>
      </p>
    </Layout>
  );
}

function TotpPage({ ctx, errors }: { ctx: PageContext; errors: FormErrors }) {
  return (
    <Layout ctx={ctx} title={ctx.t('account.totp.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.totp.title')}</h1>
      <Form ctx={ctx} action="/dang-nhap/xac-thuc">
        <TextInput name="code" label={ctx.t('account.totp.code')} hint={ctx.t('account.totp.codeHint')} error={errors.byField.code} inputmode="numeric" autocomplete="one-time-code" maxLength={12} />
        <Button>{ctx.t('account.totp.submit')}</Button>
      </Form>
    </Layout>
  );
}

function EnrolPage({ ctx, errors, qrSvg, secret }: { ctx: PageContext; errors: FormErrors; qrSvg: string; secret: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('account.enrol.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.enrol.title')}</h1>
      <p>{ctx.t('account.enrol.intro')}</p>
      {/* The SVG comes from the qrcode library, built from our own otpauth URI: no user text. */}
      <div class="qr" role="img" aria-label={ctx.t('account.enrol.qrLabel')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>
        {ctx.t('account.enrol.manual')} <code data-totp-secret>{secret}</code>
      </p>
      <Form ctx={ctx} action="/dang-nhap/thiet-lap-xac-thuc">
        <TextInput name="code" label={ctx.t('account.totp.code')} hint={ctx.t('account.totp.codeHint')} error={errors.byField.code} inputmode="numeric" autocomplete="one-time-code" maxLength={6} />
        <Button>{ctx.t('account.enrol.submit')}</Button>
      </Form>
    </Layout>
  );
}

function RecoveryCodesPage({ ctx, codes }: { ctx: PageContext; codes: string[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('account.enrol.doneTitle')}>
      <Panel title={ctx.t('account.enrol.doneTitle')} />
      <p>{ctx.t('account.enrol.recoveryIntro')}</p>
      <ul class="codes">
        {codes.map((c) => (
          <li>{c}</li>
        ))}
      </ul>
      <p>
        <Button href="/quan-tri">{ctx.t('account.enrol.continue')}</Button>
      </p>
    </Layout>
  );
}

function EmailFormPage({ ctx, values, errors, action, title, intro, submit }: { ctx: PageContext; values: Values; errors: FormErrors; action: string; title: string; intro: string; submit: string }) {
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <p>{intro}</p>
      <Form ctx={ctx} action={action}>
        <TextInput name="email" type="email" label={ctx.t('account.field.email')} value={values.email} error={errors.byField.email} autocomplete="email" maxLength={254} />
        <Button>{submit}</Button>
      </Form>
    </Layout>
  );
}

function NewPasswordPage({ ctx, errors, token, action, title }: { ctx: PageContext; errors: FormErrors; token: string; action: string; title: string }) {
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="token" value={token} />
        <TextInput name="password" type="password" label={ctx.t('account.field.newPassword')} hint={ctx.t('account.field.passwordHint')} error={errors.byField.password} autocomplete="new-password" maxLength={128} />
        <Button>{ctx.t('account.reset.submit')}</Button>
      </Form>
    </Layout>
  );
}

function ConfirmEmailPage({ ctx, token, errors }: { ctx: PageContext; token: string; errors: FormErrors }) {
  return (
    <Layout ctx={ctx} title={ctx.t('account.verify.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.verify.title')}</h1>
      <p>{ctx.t('account.verify.intro')}</p>
      <Form ctx={ctx} action="/xac-thuc-email">
        <input type="hidden" name="token" value={token} />
        <Button>{ctx.t('account.verify.submit')}</Button>
      </Form>
    </Layout>
  );
}

type Delegates = Awaited<ReturnType<typeof listDelegates>>;

function ProfilePage({ ctx, profile, actingFor, delegates, errors, values }: { ctx: PageContext; profile: Awaited<ReturnType<typeof getProfile>>; actingFor: string | undefined; delegates: Delegates | undefined; errors: FormErrors; values: Values }) {
  const rows = [
    { key: ctx.t('account.field.fullName'), value: profile.fullName },
    ...(profile.idNumber ? [{ key: ctx.t('account.field.idNumber'), value: profile.idNumber }] : []),
    ...(profile.taxCode ? [{ key: ctx.t('account.field.taxCode'), value: profile.taxCode }] : []),
    { key: ctx.t('account.field.email'), value: profile.email },
    { key: ctx.t('account.field.phone'), value: profile.phone ?? '—' },
    ...(profile.birthDate ? [{ key: ctx.t('account.field.birthDate'), value: profile.birthDate }] : []),
    ...(profile.address ? [{ key: ctx.t('account.field.address'), value: profile.address }] : []),
  ];
  return (
    <Layout ctx={ctx} title={ctx.t('account.profile.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      {actingFor ? (
        <NotificationBanner>
          <p>{ctx.t('account.business.acting', { name: actingFor })}</p>
          <Form ctx={ctx} action="/tai-khoan/dai-dien">
            <input type="hidden" name="businessId" value="" />
            <Button variant="secondary">{ctx.t('account.business.stop')}</Button>
          </Form>
        </NotificationBanner>
      ) : null}
      <h1>{ctx.t('account.profile.title')}</h1>
      <SummaryList rows={rows} />
      <p>
        <a href="/ho-so">{ctx.t('nav.myDossiers')}</a> · <a href="/kho-du-lieu">{ctx.t('apply.repository.title')}</a> · <a href="/tai-khoan/ma-api">{ctx.t('account.tokens.link')}</a>
      </p>
      {profile.businesses.length ? (
        <>
          <h2>{ctx.t('account.profile.businesses')}</h2>
          <ul>
            {profile.businesses.map((b) => (
              <li>
                {b.fullName} ({b.taxCode}){' '}
                <Form ctx={ctx} action="/tai-khoan/dai-dien">
                  <input type="hidden" name="businessId" value={String(b.id)} />
                  <Button variant="secondary">{ctx.t('account.business.actFor')}</Button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {delegates ? (
        <>
          <h2>{ctx.t('account.business.title')}</h2>
          <p>{ctx.t('account.business.intro')}</p>
          <ul>
            {delegates.map((d) => (
              <li>{d.fullName}</li>
            ))}
          </ul>
          <Form ctx={ctx} action="/tai-khoan/uy-quyen">
            <TextInput name="idNumber" label={ctx.t('account.field.idNumber')} value={values.idNumber} error={errors.byField.idNumber} inputmode="numeric" maxLength={12} />
            <TextInput name="email" type="email" label={ctx.t('account.field.email')} value={values.email} error={errors.byField.email} maxLength={254} />
            <Button>{ctx.t('account.business.add')}</Button>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}

// ---------- routes ----------

export const identityPages: FastifyPluginAsyncTypebox<{ deps: IdentityDeps; vneid: VneidClient | undefined }> = async (app, { deps, vneid }) => {
  const meta = requestMeta;

  app.get('/dang-ky', { schema: { ...hide, response: Html } }, async (request, reply) =>
    sendPage(reply, <RegisterCitizenPage ctx={pageContext(request, reply)} values={{}} errors={noErrors} />),
  );
  app.post(
    '/dang-ky',
    {
      config: limited(10),
      schema: { ...hide, body: Type.Object({ _csrf: Str(), fullName: Str(), idNumber: Str(), email: Str(300), phone: Str(), password: Str(200) }), response: Html },
    },
    async (request, reply) => {
      const b = request.body;
      const values = { fullName: b.fullName, idNumber: b.idNumber, email: b.email, phone: b.phone };
      return handleForm(request, reply, (ctx, errors) => <RegisterCitizenPage ctx={ctx} values={values} errors={errors} />, async () => {
        await registerCitizen(deps, { fullName: b.fullName ?? '', idNumber: b.idNumber ?? '', email: b.email ?? '', phone: b.phone ?? '', password: b.password ?? '' }, meta(request));
        return reply.redirect('/dang-ky/kiem-tra-thu', 303);
      });
    },
  );
  app.get('/dang-ky/doanh-nghiep', { schema: { ...hide, response: Html } }, async (request, reply) =>
    sendPage(reply, <RegisterBusinessPage ctx={pageContext(request, reply)} values={{}} errors={noErrors} />),
  );
  app.post(
    '/dang-ky/doanh-nghiep',
    {
      config: limited(10),
      schema: {
        ...hide,
        body: Type.Object({ _csrf: Str(), businessName: Str(), taxCode: Str(), legalRepName: Str(), legalRepIdNumber: Str(), email: Str(300), phone: Str(), password: Str(200) }),
        response: Html,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const values = { businessName: b.businessName, taxCode: b.taxCode, legalRepName: b.legalRepName, legalRepIdNumber: b.legalRepIdNumber, email: b.email, phone: b.phone };
      return handleForm(request, reply, (ctx, errors) => <RegisterBusinessPage ctx={ctx} values={values} errors={errors} />, async () => {
        await registerBusiness(
          deps,
          { businessName: b.businessName ?? '', taxCode: b.taxCode ?? '', legalRepName: b.legalRepName ?? '', legalRepIdNumber: b.legalRepIdNumber ?? '', email: b.email ?? '', phone: b.phone ?? '', password: b.password ?? '' },
          meta(request),
        );
        return reply.redirect('/dang-ky/kiem-tra-thu', 303);
      });
    },
  );
  app.get('/dang-ky/kiem-tra-thu', { schema: { ...hide, response: Html } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, <MessagePage ctx={ctx} title={ctx.t('account.checkEmail.title')}><p>{ctx.t('account.checkEmail.body')}</p></MessagePage>);
  });

  // The link only shows a button: mail scanners open links, and must not verify on our behalf.
  app.get('/xac-thuc-email', { schema: { ...hide, querystring: Type.Object({ token: Str(100) }), response: Html } }, async (request, reply) =>
    sendPage(reply, <ConfirmEmailPage ctx={pageContext(request, reply)} token={request.query.token ?? ''} errors={noErrors} />),
  );
  app.post('/xac-thuc-email', { config: limited(20), schema: { ...hide, body: Type.Object({ _csrf: Str(), token: Str(100) }), response: Html } }, async (request, reply) =>
    handleForm(request, reply, (ctx, errors) => <ConfirmEmailPage ctx={ctx} token={request.body.token ?? ''} errors={errors} />, async (ctx) => {
      await verifyEmail(deps, request.body.token ?? '', meta(request));
      return sendPage(reply, <MessagePage ctx={ctx} title={ctx.t('account.verify.doneTitle')}><p><a href="/dang-nhap">{ctx.t('account.verify.doneLogin')}</a></p></MessagePage>);
    }),
  );

  app.get('/dang-nhap', { schema: { ...hide, querystring: Type.Object({ next: Str(600) }), response: Html } }, async (request, reply) =>
    sendPage(reply, <LoginPage ctx={pageContext(request, reply)} values={{}} errors={noErrors} vneid={Boolean(vneid)} next={safeNextPath(request.query.next)} />),
  );
  app.post('/dang-nhap', { config: limited(10), schema: { ...hide, body: Type.Object({ _csrf: Str(), email: Str(300), password: Str(200), next: Str(600) }), response: Html } }, async (request, reply) => {
    const values = { email: request.body.email };
    const back = safeNextPath(request.body.next);
    return handleForm(request, reply, (ctx, errors) => <LoginPage ctx={ctx} values={values} errors={errors} vneid={Boolean(vneid)} next={back} />, async () => {
      const result = await login(deps, { email: request.body.email ?? '', password: request.body.password ?? '' }, meta(request));
      setSessionCookie(reply, result.sessionToken, secureCookies(request));
      // Citizens go back to what they were doing (e.g. applying online); officers pass TOTP first.
      const next = result.next === 'totp' ? '/dang-nhap/xac-thuc' : result.next === 'totp-enrol' ? '/dang-nhap/thiet-lap-xac-thuc' : (back ?? '/tai-khoan');
      return reply.redirect(next, 303);
    });
  });

  const pendingOfficer = (request: FastifyRequest) => {
    const actor = request.actor;
    if (actor.kind !== 'officer' || !request.session) throw new AppError('unauthenticated');
    return request.session;
  };

  app.get('/dang-nhap/xac-thuc', { schema: { ...hide, response: Html } }, async (request, reply) => {
    const session = pendingOfficer(request);
    if (!(await hasSecondFactor(deps, session.accountId))) return reply.redirect('/dang-nhap/thiet-lap-xac-thuc', 303);
    return sendPage(reply, <TotpPage ctx={pageContext(request, reply)} errors={noErrors} />);
  });
  app.post('/dang-nhap/xac-thuc', { config: limited(10), schema: { ...hide, body: Type.Object({ _csrf: Str(), code: Str(20) }), response: Html } }, async (request, reply) => {
    const session = pendingOfficer(request);
    return handleForm(request, reply, (ctx, errors) => <TotpPage ctx={ctx} errors={errors} />, async () => {
      const token = await verifySecondFactor(deps, session, request.body.code ?? '', meta(request));
      setSessionCookie(reply, token, secureCookies(request));
      return reply.redirect('/quan-tri', 303);
    });
  });
  app.get('/dang-nhap/thiet-lap-xac-thuc', { schema: { ...hide, response: Html } }, async (request, reply) => {
    const session = pendingOfficer(request);
    // Already enrolled: the next step is the code, and an officer who passed it is done.
    if (await hasSecondFactor(deps, session.accountId)) return reply.redirect(session.mfaPassed ? '/quan-tri' : '/dang-nhap/xac-thuc', 303);
    const enrolment = await beginTotpEnrolment(deps, session.accountId);
    return sendPage(reply, <EnrolPage ctx={pageContext(request, reply)} errors={noErrors} qrSvg={enrolment.qrSvg} secret={enrolment.secret} />);
  });
  app.post('/dang-nhap/thiet-lap-xac-thuc', { config: limited(10), schema: { ...hide, body: Type.Object({ _csrf: Str(), code: Str(20) }), response: Html } }, async (request, reply) => {
    const session = pendingOfficer(request);
    if (await hasSecondFactor(deps, session.accountId)) return reply.redirect(session.mfaPassed ? '/quan-tri' : '/dang-nhap/xac-thuc', 303);
    const enrolment = await beginTotpEnrolment(deps, session.accountId);
    return handleForm(request, reply, (ctx, errors) => <EnrolPage ctx={ctx} errors={errors} qrSvg={enrolment.qrSvg} secret={enrolment.secret} />, async (ctx) => {
      const result = await confirmTotpEnrolment(deps, session, request.body.code ?? '', meta(request));
      setSessionCookie(reply, result.sessionToken, secureCookies(request));
      return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} />);
    });
  });

  app.post('/dang-xuat', { schema: { ...hide, body: Type.Object({ _csrf: Str() }) } }, async (request, reply) => {
    if (request.session) await logout(deps, request.session, request.actor, meta(request));
    clearSessionCookie(reply, secureCookies(request));
    return reply.redirect('/', 303);
  });

  app.get('/quen-mat-khau', { schema: { ...hide, response: Html } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, <EmailFormPage ctx={ctx} values={{}} errors={noErrors} action="/quen-mat-khau" title={ctx.t('account.forgot.title')} intro={ctx.t('account.forgot.intro')} submit={ctx.t('account.forgot.submit')} />);
  });
  app.post('/quen-mat-khau', { config: limited(5), schema: { ...hide, body: Type.Object({ _csrf: Str(), email: Str(300) }), response: Html } }, async (request, reply) =>
    handleForm(
      request,
      reply,
      (ctx, errors) => <EmailFormPage ctx={ctx} values={{ email: request.body.email }} errors={errors} action="/quen-mat-khau" title={ctx.t('account.forgot.title')} intro={ctx.t('account.forgot.intro')} submit={ctx.t('account.forgot.submit')} />,
      async (ctx) => {
        await requestPasswordReset(deps, request.body.email ?? '', meta(request));
        return sendPage(reply, <MessagePage ctx={ctx} title={ctx.t('account.forgot.sentTitle')}><p>{ctx.t('account.forgot.sent')}</p></MessagePage>);
      },
    ),
  );

  for (const [path, purpose, titleKey] of [
    ['/dat-lai-mat-khau', 'reset-password', 'account.reset.title'],
    ['/dat-mat-khau', 'set-password', 'account.setPassword.title'],
  ] as const) {
    app.get(path, { schema: { ...hide, querystring: Type.Object({ token: Str(100) }), response: Html } }, async (request, reply) => {
      const ctx = pageContext(request, reply);
      return sendPage(reply, <NewPasswordPage ctx={ctx} errors={noErrors} token={request.query.token ?? ''} action={path} title={ctx.t(titleKey)} />);
    });
    app.post(path, { config: limited(10), schema: { ...hide, body: Type.Object({ _csrf: Str(), token: Str(100), password: Str(200) }), response: Html } }, async (request, reply) =>
      handleForm(request, reply, (ctx, errors) => <NewPasswordPage ctx={ctx} errors={errors} token={request.body.token ?? ''} action={path} title={ctx.t(titleKey)} />, async (ctx) => {
        await resetPassword(deps, request.body.token ?? '', request.body.password ?? '', meta(request), purpose);
        return sendPage(reply, <MessagePage ctx={ctx} title={ctx.t('account.reset.doneTitle')}><p><a href="/dang-nhap">{ctx.t('account.verify.doneLogin')}</a></p></MessagePage>);
      }),
    );
  }

  const profileProps = async (request: FastifyRequest) => {
    const profile = await getProfile(deps, request.actor);
    const actingId = request.session?.actingBusinessId ?? null;
    const actingFor = actingId === null ? undefined : profile.businesses.find((b) => b.id === actingId)?.fullName;
    const delegates = request.actor.kind === 'business' ? await listDelegates(deps, request.actor) : undefined;
    return { profile, actingFor, delegates };
  };
  app.get('/tai-khoan', { schema: { ...hide, response: Html } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous') return reply.redirect('/dang-nhap', 303);
    if (request.actor.kind === 'officer') return reply.redirect('/quan-tri', 303);
    return sendPage(reply, <ProfilePage ctx={pageContext(request, reply)} {...await profileProps(request)} errors={noErrors} values={{}} />);
  });
  app.post('/tai-khoan/uy-quyen', { config: limited(10), schema: { ...hide, body: Type.Object({ _csrf: Str(), idNumber: Str(20), email: Str(300) }), response: Html } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous') return reply.redirect('/dang-nhap', 303);
    const props = await profileProps(request);
    return handleForm(request, reply, (ctx, errors) => <ProfilePage ctx={ctx} {...props} errors={errors} values={{ idNumber: request.body.idNumber, email: request.body.email }} />, async () => {
      await linkDelegate(deps, request.actor, { idNumber: request.body.idNumber ?? '', email: request.body.email ?? '' }, meta(request));
      return reply.redirect('/tai-khoan', 303);
    });
  });
  app.post('/tai-khoan/dai-dien', { schema: { ...hide, body: Type.Object({ _csrf: Str(), businessId: Type.Optional(Type.String({ pattern: '^\\d{0,9}$' })) }) } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous' || !request.session) return reply.redirect('/dang-nhap', 303);
    const businessId = request.body.businessId ? Number(request.body.businessId) : null;
    const token = await actForBusiness(deps, request.actor, request.session, businessId);
    setSessionCookie(reply, token, secureCookies(request));
    return reply.redirect('/tai-khoan', 303);
  });

  // The login's state is bound to the browser that started it: a callback URL made by someone else
  // (signed in as themselves at the provider) must not sign this browser in (login CSRF).
  const VNEID_STATE_COOKIE = 'mc_vneid_state';
  const vneidCookie = (request: FastifyRequest) => ({ path: '/dang-nhap/vneid', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(request), maxAge: 600 });
  app.get('/dang-nhap/vneid', { config: limited(20), schema: hide }, async (request, reply) => {
    if (!vneid) throw new AppError('not_found');
    const url = await startVneidLogin(deps, vneid);
    reply.setCookie(VNEID_STATE_COOKIE, new URL(url).searchParams.get('state') ?? '', vneidCookie(request));
    return reply.redirect(url, 303);
  });
  app.get(
    '/dang-nhap/vneid/callback',
    { config: limited(20), schema: { ...hide, querystring: Type.Object({ state: Str(200), code: Str(2000), error: Str(200) }, { additionalProperties: true }), response: Html } },
    async (request, reply) => {
      if (!vneid) throw new AppError('not_found');
      const ctx = pageContext(request, reply);
      try {
        const url = new URL(request.url, deps.publicUrl);
        const started = request.cookies[VNEID_STATE_COOKIE];
        if (!started || started !== url.searchParams.get('state')) throw new AppError('invalid_input', 'identity.vneid.state');
        reply.clearCookie(VNEID_STATE_COOKIE, vneidCookie(request));
        const result = await completeVneidLogin(deps, vneid, url, meta(request));
        setSessionCookie(reply, result.sessionToken, secureCookies(request));
        return reply.redirect('/tai-khoan', 303);
      } catch (error) {
        if (isVneidLoginError(error) || (isAppError(error) && error.status < 500)) {
          return sendPage(reply, <MessagePage ctx={ctx} title={ctx.t('account.vneid.failedTitle')} hasErrors><NotificationBanner variant="warning">{ctx.t('account.vneid.failed')}</NotificationBanner><p><a href="/dang-nhap">{ctx.t('account.login.title')}</a></p></MessagePage>, 400);
        }
        throw error;
      }
    },
  );
};
