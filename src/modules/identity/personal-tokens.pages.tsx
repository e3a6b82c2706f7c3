// A citizen's or business's own API tokens (/tai-khoan/ma-api): for software that applies online
// on the account's behalf through /api/v1/dossiers. A new token is shown once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, Table, Tag, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { HtmlResponse, hiddenFromApi, optionalText } from '../../platform/http/route-schemas.js';
import { formatDateTime } from '../../platform/text/vietnam-time.js';
import type { IdentityDeps } from './identity-deps.js';
import { requestMeta } from './identity.plugin.js';
import { NewTokenPanel } from './backoffice.pages.js';
import { createPersonalToken, listPersonalTokens, revokePersonalToken } from './identity.service.js';

type TokenRow = Awaited<ReturnType<typeof listPersonalTokens>>[number];

function PersonalTokensPage({ ctx, tokens, errors, values, created }: { ctx: PageContext; tokens: TokenRow[]; errors: FormErrors; values: Record<string, string | undefined>; created?: string | undefined }) {
  return (
    <Layout ctx={ctx} title={ctx.t('account.tokens.title')} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/tai-khoan', label: ctx.t('account.profile.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('account.tokens.title')}</h1>
      <p>{ctx.t('account.tokens.intro')}</p>
      <NewTokenPanel ctx={ctx} token={created} />
      {tokens.length ? (
        <Table
          caption={ctx.t('account.tokens.title')}
          columns={[
            { header: ctx.t('backoffice.tokens.name'), cell: (t) => `${t.name} (${t.prefix}…)` },
            { header: ctx.t('backoffice.tokens.expires'), cell: (t) => formatDateTime(ctx.locale, new Date(t.expiresAt)) },
            {
              header: ctx.t('backoffice.col.actions'),
              cell: (t) =>
                t.revokedAt ? (
                  <Tag colour="grey">{ctx.t('backoffice.tokens.revoked')}</Tag>
                ) : (
                  <Form ctx={ctx} action={`/tai-khoan/ma-api/${t.id}/thu-hoi`}>
                    <Button variant="warning">{ctx.t('backoffice.officer.revoke')}</Button>
                  </Form>
                ),
            },
          ]}
          rows={tokens}
        />
      ) : null}
      <h2>{ctx.t('backoffice.tokens.create')}</h2>
      <Form ctx={ctx} action="/tai-khoan/ma-api">
        <TextInput name="name" label={ctx.t('backoffice.tokens.name')} hint={ctx.t('account.tokens.nameHint')} value={values.name} error={errors.byField.name} maxLength={100} />
        <TextInput name="expiresInDays" type="number" label={ctx.t('backoffice.tokens.days')} value={values.expiresInDays ?? '30'} error={errors.byField.expiresInDays} maxLength={3} />
        <Button>{ctx.t('backoffice.tokens.createSubmit')}</Button>
      </Form>
    </Layout>
  );
}

export const personalTokenPages: FastifyPluginAsyncTypebox<{ deps: IdentityDeps }> = async (app, { deps }) => {
  const signedIn = (request: FastifyRequest) => {
    if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
  };
  const render = async (request: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: Record<string, string | undefined>, created?: string, status = 200) =>
    sendPage(reply, <PersonalTokensPage ctx={pageContext(request, reply)} tokens={await listPersonalTokens(deps, request.actor)} errors={errors} values={values} created={created} />, status);

  app.get('/tai-khoan/ma-api', { schema: { ...hiddenFromApi, response: HtmlResponse } }, async (request, reply) => {
    signedIn(request);
    return render(request, reply, noErrors, {});
  });

  app.post('/tai-khoan/ma-api', { schema: { ...hiddenFromApi, body: Type.Object({ _csrf: optionalText(), name: optionalText(200), expiresInDays: optionalText(5) }), response: HtmlResponse } }, async (request, reply) => {
    signedIn(request);
    const values = { name: request.body.name, expiresInDays: request.body.expiresInDays };
    const days = /^\d{1,4}$/.test(request.body.expiresInDays ?? '') ? Number(request.body.expiresInDays) : Number.NaN;
    try {
      const { token } = await createPersonalToken(deps, request.actor, { name: request.body.name ?? '', expiresInDays: days }, requestMeta(request));
      return render(request, reply, noErrors, {}, token, 201);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_input') throw error;
      return render(request, reply, formErrors(pageContext(request, reply), error), values, undefined, 400);
    }
  });

  app.post('/tai-khoan/ma-api/:id/thu-hoi', { schema: { ...hiddenFromApi, params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }), body: Type.Object({ _csrf: optionalText() }) } }, async (request, reply) => {
    signedIn(request);
    await revokePersonalToken(deps, request.actor, request.params.id, requestMeta(request));
    return reply.redirect('/tai-khoan/ma-api', 303);
  });
};
