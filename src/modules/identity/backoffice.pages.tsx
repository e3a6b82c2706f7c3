// The back office's identity pages: the officer's home, officers and their roles (for agency and
// province admins, inside their own subtree), and API tokens (province admins).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasAccess, roles, machineScopes } from '../../platform/access/access.js';
import { isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, NotificationBanner, Panel, Select, SummaryList, Table, Tag, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { HtmlResponse, hiddenFromApi, optionalText } from '../../platform/http/route-schemas.js';
import type { MessageKey } from '../../platform/i18n/i18n.js';
import type { IdentityDeps } from './identity-deps.js';
import { requestMeta } from './identity.plugin.js';
import {
  assignRole,
  createApiToken,
  createOfficer,
  getBackOfficeHome,
  hasSecondFactor,
  getManagedOfficer,
  listApiTokens,
  listManagedOfficers,
  revokeApiToken,
  revokeRole,
  unlockAccount,
} from './identity.service.js';

const Html = HtmlResponse;
const hide = hiddenFromApi;
const Str = optionalText;
// Ids are PostgreSQL integers: a larger number is a malformed address (400), not a database error (500).
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const IdParams = Type.Object({ id: Id });
const time = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });

const roleLabel = (ctx: PageContext, role: string) => ctx.t(`role.${role}` as MessageKey);

/** Pages behind a login: nobody signed in goes to the login page; the rest is the use case's call. */
function signedIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor.kind !== 'anonymous') return true;
  void reply.redirect('/dang-nhap', 303);
  return false;
}

/**
 * The door of the officer's own pages (the home, the dossier inbox): nobody signed in goes to log
 * in, and an officer who has typed the password but not passed the second step goes back to it
 * (or to enrolment). False when the reply is that redirect; who may see what is the use case's call.
 * Only `db` is read (hasSecondFactor), so other modules' page plugins can pass their own deps.
 */
export async function officerGate(request: FastifyRequest, reply: FastifyReply, deps: Pick<IdentityDeps, 'db'>): Promise<boolean> {
  if (!signedIn(request, reply)) return false;
  const actor = request.actor;
  if (actor.kind === 'officer' && !actor.mfaPassed) {
    void reply.redirect((await hasSecondFactor(deps as IdentityDeps, actor.accountId)) ? '/dang-nhap/xac-thuc' : '/dang-nhap/thiet-lap-xac-thuc', 303);
    return false;
  }
  return true;
}

async function formOrError(reply: FastifyReply, render: (errors: FormErrors) => preact.ComponentChildren, ctx: PageContext, action: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await action();
  } catch (error) {
    if (isAppError(error) && error.status < 500 && error.code !== 'not_found' && error.code !== 'unauthenticated') {
      return sendPage(reply, render(formErrors(ctx, error)), error.status);
    }
    throw error;
  }
}

function HomePage({ ctx, grants, dossiers, receives }: { ctx: PageContext; grants: { role: string; code: string | null; name: string }[]; dossiers: boolean; receives: boolean }) {
  const manages = grants.some((g) => g.role === 'agency_admin' || g.role === 'province_admin');
  return (
    <Layout ctx={ctx} title={ctx.t('backoffice.home.title')}>
      <h1>{ctx.t('backoffice.home.title')}</h1>
      {dossiers ? (
        <>
          <p class="lead">
            <a href="/quan-tri/ho-so">{ctx.t('workflow.inbox.title')}</a>
          </p>
          <p>
            <a href="/quan-tri/thanh-toan">{ctx.t('payment.office.title')}</a>
          </p>
        </>
      ) : null}
      {receives ? (
        <p>
          <a href="/quan-tri/ho-so/tiep-nhan">{ctx.t('walkIn.title')}</a>
        </p>
      ) : null}
      <h2>{ctx.t('backoffice.home.roles')}</h2>
      <Table
        caption={ctx.t('backoffice.home.roles')}
        columns={[
          { header: ctx.t('backoffice.col.role'), cell: (g) => roleLabel(ctx, g.role) },
          { header: ctx.t('backoffice.col.agency'), cell: (g) => `${g.name} (${g.code ?? '—'})` },
        ]}
        rows={grants}
      />
      {manages ? (
        <ul>
          <li>
            <a href="/quan-tri/can-bo">{ctx.t('backoffice.officers.title')}</a>
          </li>
          {grants.some((g) => g.role === 'province_admin') ? (
            <>
              <li>
                <a href="/quan-tri/token">{ctx.t('backoffice.tokens.title')}</a>
              </li>
              <li>
                <a href="/quan-tri/lich">{ctx.t('backoffice.calendar')}</a>
              </li>
            </>
          ) : null}
        </ul>
      ) : null}
    </Layout>
  );
}

type OfficerRow = { id: number; fullName: string; email: string | null; lockedUntil: Date | null; totpConfirmedAt: Date | null };

function OfficersPage({ ctx, officers, values, errors }: { ctx: PageContext; officers: OfficerRow[]; values: Record<string, string | undefined>; errors: FormErrors }) {
  const e = errors.byField;
  return (
    <Layout ctx={ctx} title={ctx.t('backoffice.officers.title')} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { label: ctx.t('backoffice.officers.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('backoffice.officers.title')}</h1>
      <Table
        caption={ctx.t('backoffice.officers.title')}
        columns={[
          { header: ctx.t('account.field.fullName'), cell: (o) => <a href={`/quan-tri/can-bo/${o.id}`}>{o.fullName}</a> },
          { header: ctx.t('account.field.email'), cell: (o) => o.email ?? '—' },
          {
            header: ctx.t('backoffice.col.state'),
            cell: (o) =>
              o.lockedUntil && new Date(o.lockedUntil) > new Date() ? (
                <Tag colour="red">{ctx.t('backoffice.state.locked')}</Tag>
              ) : o.totpConfirmedAt ? (
                <Tag colour="green">{ctx.t('backoffice.state.active')}</Tag>
              ) : (
                <Tag colour="amber">{ctx.t('backoffice.state.pending')}</Tag>
              ),
          },
        ]}
        rows={officers}
      />
      <h2>{ctx.t('backoffice.officers.create')}</h2>
      <Form ctx={ctx} action="/quan-tri/can-bo">
        <TextInput name="fullName" label={ctx.t('account.field.fullName')} value={values.fullName} error={e.fullName} maxLength={200} />
        <TextInput name="email" type="email" label={ctx.t('account.field.email')} value={values.email} error={e.email} maxLength={254} />
        <Select name="role" label={ctx.t('backoffice.col.role')} value={values.role} error={e.role} options={roles.map((r) => ({ value: r, label: roleLabel(ctx, r) }))} />
        <TextInput name="agencyCode" label={ctx.t('backoffice.field.agencyCode')} hint={ctx.t('backoffice.field.agencyCodeHint')} value={values.agencyCode} error={e.agencyCode} maxLength={35} />
        <Button>{ctx.t('backoffice.officers.createSubmit')}</Button>
      </Form>
    </Layout>
  );
}

function OfficerPage({ ctx, officer, errors, values }: { ctx: PageContext; officer: Awaited<ReturnType<typeof getManagedOfficer>>; errors: FormErrors; values: Record<string, string | undefined> }) {
  const locked = officer.lockedUntil && new Date(officer.lockedUntil) > new Date();
  return (
    <Layout ctx={ctx} title={officer.fullName} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { href: '/quan-tri/can-bo', label: ctx.t('backoffice.officers.title') }, { label: officer.fullName }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{officer.fullName}</h1>
      <SummaryList
        rows={[
          { key: ctx.t('account.field.email'), value: officer.email ?? '—' },
          { key: ctx.t('backoffice.col.created'), value: time.format(new Date(officer.createdAt)) },
        ]}
      />
      {locked ? (
        <Form ctx={ctx} action={`/quan-tri/can-bo/${officer.id}/mo-khoa`}>
          <NotificationBanner variant="warning">{ctx.t('backoffice.state.locked')}</NotificationBanner>
          <Button variant="secondary">{ctx.t('backoffice.officer.unlock')}</Button>
        </Form>
      ) : null}
      <h2>{ctx.t('backoffice.home.roles')}</h2>
      <Table
        caption={ctx.t('backoffice.home.roles')}
        columns={[
          { header: ctx.t('backoffice.col.role'), cell: (g) => roleLabel(ctx, g.role) },
          { header: ctx.t('backoffice.col.agency'), cell: (g) => `${g.agencyName} (${g.agencyCode ?? '—'})` },
          {
            header: ctx.t('backoffice.col.actions'),
            cell: (g) => (
              <Form ctx={ctx} action={`/quan-tri/can-bo/${officer.id}/vai-tro/${g.id}/thu-hoi`}>
                <Button variant="warning">{ctx.t('backoffice.officer.revoke')}</Button>
              </Form>
            ),
          },
        ]}
        rows={officer.grants}
      />
      <h2>{ctx.t('backoffice.officer.assign')}</h2>
      <Form ctx={ctx} action={`/quan-tri/can-bo/${officer.id}/vai-tro`}>
        <Select name="role" label={ctx.t('backoffice.col.role')} value={values.role} error={errors.byField.role} options={roles.map((r) => ({ value: r, label: roleLabel(ctx, r) }))} />
        <TextInput name="agencyCode" label={ctx.t('backoffice.field.agencyCode')} value={values.agencyCode} error={errors.byField.agencyCode} maxLength={35} />
        <Button>{ctx.t('backoffice.officer.assignSubmit')}</Button>
      </Form>
    </Layout>
  );
}

type TokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

/** A token just made: shown this once, since only its hash is kept. */
export function NewTokenPanel({ ctx, token }: { ctx: PageContext; token: string | undefined }) {
  if (!token) return null;
  return (
    <Panel title={ctx.t('backoffice.tokens.created')}>
      <p>
        <code data-api-token>{token}</code>
      </p>
      <p>{ctx.t('backoffice.tokens.once')}</p>
    </Panel>
  );
}

function TokensPage({ ctx, tokens, errors, values, created }: { ctx: PageContext; tokens: TokenRow[]; errors: FormErrors; values: Record<string, string | undefined>; created?: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('backoffice.tokens.title')} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { label: ctx.t('backoffice.tokens.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('backoffice.tokens.title')}</h1>
      <NewTokenPanel ctx={ctx} token={created} />
      <Table
        caption={ctx.t('backoffice.tokens.title')}
        columns={[
          { header: ctx.t('backoffice.tokens.name'), cell: (t) => `${t.name} (${t.prefix}…)` },
          { header: ctx.t('backoffice.tokens.scopes'), cell: (t) => t.scopes.join(', ') },
          { header: ctx.t('backoffice.tokens.expires'), cell: (t) => time.format(new Date(t.expiresAt)) },
          {
            header: ctx.t('backoffice.col.actions'),
            cell: (t) =>
              t.revokedAt ? (
                <Tag colour="grey">{ctx.t('backoffice.tokens.revoked')}</Tag>
              ) : (
                <Form ctx={ctx} action={`/quan-tri/token/${t.id}/thu-hoi`}>
                  <Button variant="warning">{ctx.t('backoffice.officer.revoke')}</Button>
                </Form>
              ),
          },
        ]}
        rows={tokens}
      />
      <h2>{ctx.t('backoffice.tokens.create')}</h2>
      <Form ctx={ctx} action="/quan-tri/token">
        <TextInput name="name" label={ctx.t('backoffice.tokens.name')} value={values.name} error={errors.byField.name} maxLength={100} />
        <Select name="scope" label={ctx.t('backoffice.tokens.scopes')} value={values.scope} error={errors.byField.scopes} options={machineScopes.map((s) => ({ value: s, label: s }))} />
        <TextInput name="expiresInDays" type="number" label={ctx.t('backoffice.tokens.days')} value={values.expiresInDays ?? '90'} error={errors.byField.expiresInDays} maxLength={3} />
        <Button>{ctx.t('backoffice.tokens.createSubmit')}</Button>
      </Form>
    </Layout>
  );
}

export const backOfficeIdentityPages: FastifyPluginAsyncTypebox<{ deps: IdentityDeps }> = async (app, { deps }) => {
  app.get('/quan-tri', { schema: { ...hide, response: Html } }, async (request, reply) => {
    if (!(await officerGate(request, reply, deps))) return reply;
    const actor = request.actor;
    const grants = await getBackOfficeHome(deps, actor);
    return sendPage(reply, <HomePage ctx={pageContext(request, reply)} grants={grants} dossiers={hasAccess(actor, 'dossier.read')} receives={hasAccess(actor, 'dossier.receive')} />);
  });

  app.get('/quan-tri/can-bo', { schema: { ...hide, response: Html } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    const officers = await listManagedOfficers(deps, request.actor);
    return sendPage(reply, <OfficersPage ctx={pageContext(request, reply)} officers={officers} values={{}} errors={noErrors} />);
  });
  app.post(
    '/quan-tri/can-bo',
    { schema: { ...hide, body: Type.Object({ _csrf: Str(), fullName: Str(), email: Str(300), role: Str(30), agencyCode: Str(40) }), response: Html } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const ctx = pageContext(request, reply);
      const b = request.body;
      const officers = await listManagedOfficers(deps, request.actor);
      return formOrError(reply, (errors) => <OfficersPage ctx={ctx} officers={officers} values={b} errors={errors} />, ctx, async () => {
        const id = await createOfficer(deps, request.actor, { fullName: b.fullName ?? '', email: b.email ?? '', role: b.role ?? '', agencyCode: b.agencyCode ?? '' }, requestMeta(request));
        return reply.redirect(`/quan-tri/can-bo/${id}`, 303);
      });
    },
  );
  app.get('/quan-tri/can-bo/:id', { schema: { ...hide, params: IdParams, response: Html } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    const officer = await getManagedOfficer(deps, request.actor, request.params.id);
    return sendPage(reply, <OfficerPage ctx={pageContext(request, reply)} officer={officer} errors={noErrors} values={{}} />);
  });
  app.post(
    '/quan-tri/can-bo/:id/vai-tro',
    { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), role: Str(30), agencyCode: Str(40) }), response: Html } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const ctx = pageContext(request, reply);
      const officer = await getManagedOfficer(deps, request.actor, request.params.id);
      return formOrError(reply, (errors) => <OfficerPage ctx={ctx} officer={officer} errors={errors} values={request.body} />, ctx, async () => {
        await assignRole(deps, request.actor, officer.id, { role: request.body.role ?? '', agencyCode: request.body.agencyCode ?? '' }, requestMeta(request));
        return reply.redirect(`/quan-tri/can-bo/${officer.id}`, 303);
      });
    },
  );
  app.post(
    '/quan-tri/can-bo/:id/vai-tro/:assignment/thu-hoi',
    { schema: { ...hide, params: Type.Object({ id: Id, assignment: Id }), body: Type.Object({ _csrf: Str() }) } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      await revokeRole(deps, request.actor, request.params.id, request.params.assignment, requestMeta(request));
      return reply.redirect(`/quan-tri/can-bo/${request.params.id}`, 303);
    },
  );
  app.post('/quan-tri/can-bo/:id/mo-khoa', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str() }) } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    await unlockAccount(deps, request.actor, request.params.id, requestMeta(request));
    return reply.redirect(`/quan-tri/can-bo/${request.params.id}`, 303);
  });

  app.get('/quan-tri/token', { schema: { ...hide, response: Html } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    const tokens = await listApiTokens(deps, request.actor);
    return sendPage(reply, <TokensPage ctx={pageContext(request, reply)} tokens={tokens} errors={noErrors} values={{}} />);
  });
  app.post(
    '/quan-tri/token',
    { schema: { ...hide, body: Type.Object({ _csrf: Str(), name: Str(), scope: Str(40), expiresInDays: Str(5) }), response: Html } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const ctx = pageContext(request, reply);
      const tokens = await listApiTokens(deps, request.actor);
      const b = request.body;
      return formOrError(reply, (errors) => <TokensPage ctx={ctx} tokens={tokens} errors={errors} values={b} />, ctx, async () => {
        const days = /^\d{1,3}$/.test(b.expiresInDays ?? '') ? Number(b.expiresInDays) : Number.NaN;
        const created = await createApiToken(deps, request.actor, { name: b.name ?? '', scopes: b.scope ? [b.scope] : [], expiresInDays: days }, requestMeta(request));
        // Shown once, on this response only; the page says so. No redirect: it would lose it.
        return sendPage(reply, <TokensPage ctx={ctx} tokens={await listApiTokens(deps, request.actor)} errors={noErrors} values={{}} created={created.token} />, 201);
      });
    },
  );
  app.post('/quan-tri/token/:id/thu-hoi', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str() }) } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    await revokeApiToken(deps, request.actor, request.params.id, requestMeta(request));
    return reply.redirect('/quan-tri/token', 303);
  });
};
