// The payment pages (UI.md, GOV.UK patterns; no script, real forms):
//  - /thanh-toan ("Thanh toán trực tuyến"): anyone looks up what they owe (a fine by its decision
//    number, social or health insurance, a tax, a dossier's fee by its code) with the payer's id,
//    sees it, and pays it; lookups and starts are rate-limited per client address;
//  - /thanh-toan/ket-qua: where the provider sends the payer back; it checks the signature and
//    shows the attempt as the database has it (display only: the IPN decides);
//  - /thanh-toan/giao-dich/:id: an attempt's page and its electronic receipt (the id is the
//    capability);
//  - /quan-tri/thanh-toan: the officers' day of payments with the mismatches flagged, the daily
//    reconciliation report per agency (CSV, XLSX), and the refund of money that was not owed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasAccess } from '../../platform/access/access.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, NotificationBanner, Radios, SummaryList, Table, Tag, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import { hrefWith, type PageContext } from '../../platform/html/page-context.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { hiddenFromApi, HtmlResponse, optionalText } from '../../platform/http/route-schemas.js';
import type { MessageKey } from '../../platform/i18n/i18n.js';
import { formatDate, formatDateTime } from '../../platform/text/vietnam-time.js';
import { officerGate } from '../identity/backoffice.pages.js';
import type { ProviderReport } from './payment-provider.js';
import { isDay, vietnamDay } from './payment-day.js';
import { receiptPath } from './payment.presenters.js';
import {
  getPayment,
  listDayPayments,
  lookupKinds,
  lookupObligation,
  paymentFlags,
  payerMatches,
  refundPayment,
  renderPaymentReceipt,
  startPayment,
  viewReturn,
  type PaymentDeps,
  type PaymentObligation,
  type PaymentState,
  type PaymentView,
  type ReportRow,
} from './payment.service.js';
import { findObligation } from './payment.repository.js';

const hide = hiddenFromApi;
const Str = optionalText;
const LOOKUP = '/thanh-toan';
const BACK_OFFICE = '/quan-tri/thanh-toan';
const paymentHref = (id: string) => `/thanh-toan/giao-dich/${id}`;

const vnd = (ctx: PageContext, amount: number) => `${new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB').format(amount)} ₫`;
const kindText = (ctx: PageContext, kind: string) => ctx.t(`payment.kind.${kind}` as MessageKey);
const stateColour: Record<PaymentState, 'green' | 'amber' | 'red' | 'grey' | 'blue'> = { created: 'grey', pending: 'amber', paid: 'green', failed: 'red', expired: 'grey', refunded: 'blue' };

function StateTag({ ctx, state }: { ctx: PageContext; state: PaymentState }) {
  return <Tag colour={stateColour[state]}>{ctx.t(`payment.state.${state}` as MessageKey)}</Tag>;
}

function ObligationStatusTag({ ctx, status }: { ctx: PageContext; status: string }) {
  return <Tag colour={status === 'paid' ? 'green' : status === 'cancelled' ? 'grey' : 'amber'}>{ctx.t(`payment.obligationStatus.${status}` as MessageKey)}</Tag>;
}

// ---------- the lookup ----------

function LookupPage({ ctx, values, errors }: { ctx: PageContext; values: Record<string, string | undefined>; errors: FormErrors }) {
  const e = errors.byField;
  return (
    <Layout ctx={ctx} title={ctx.t('payment.lookup.title')} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { label: ctx.t('payment.lookup.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('payment.lookup.title')}</h1>
      <p class="lead">{ctx.t('payment.lookup.lead')}</p>
      <Form ctx={ctx} action={LOOKUP}>
        <Radios name="kind" label={ctx.t('payment.lookup.kind')} value={values.kind} error={e.kind} options={lookupKinds.map((k) => ({ value: k, label: kindText(ctx, k) }))} />
        <TextInput name="reference" label={ctx.t('payment.lookup.reference')} hint={ctx.t('payment.lookup.referenceHint')} value={values.reference} error={e.reference} maxLength={100} autocomplete="off" spellcheck={false} />
        <TextInput name="payerId" label={ctx.t('payment.lookup.payerId')} hint={ctx.t('payment.lookup.payerIdHint')} value={values.payerId} error={e.payerId} maxLength={30} autocomplete="off" inputmode="numeric" />
        <Button>{ctx.t('payment.lookup.submit')}</Button>
      </Form>
    </Layout>
  );
}

function ObligationPage({ ctx, obligation, agency, payerId, paidPaymentId, livePayment, errors }: { ctx: PageContext; obligation: PaymentObligation; agency: string; payerId: string; paidPaymentId: string | null; livePayment: boolean; errors: FormErrors }) {
  const title = `${kindText(ctx, obligation.kind)} ${obligation.reference}`;
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: LOOKUP, label: ctx.t('payment.lookup.title') }, { label: obligation.reference }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: ctx.t('payment.field.status'), value: <ObligationStatusTag ctx={ctx} status={obligation.status} /> },
          { key: ctx.t('payment.field.description'), value: obligation.description },
          { key: ctx.t('payment.field.payer'), value: obligation.payerName },
          { key: ctx.t('payment.field.agency'), value: agency },
          ...(obligation.dueDate ? [{ key: ctx.t('payment.field.dueDate'), value: formatDate(ctx.locale, new Date(`${obligation.dueDate}T00:00:00+07:00`)) }] : []),
          ...(obligation.paidAt ? [{ key: ctx.t('payment.field.paidAt'), value: formatDateTime(ctx.locale, new Date(obligation.paidAt)) }] : []),
        ]}
      />
      <Table
        caption={ctx.t('payment.field.lines')}
        columns={[
          { header: ctx.t('payment.field.line'), cell: (l: { label: string; amount: number }) => l.label },
          { header: ctx.t('payment.field.amount'), cell: (l) => vnd(ctx, l.amount), numeric: true },
        ]}
        rows={[...obligation.lines, { label: ctx.t('payment.field.total'), amount: obligation.total }]}
      />
      {obligation.status === 'unpaid' ? (
        <>
          {livePayment ? <NotificationBanner>{ctx.t('payment.obligation.livePayment')}</NotificationBanner> : null}
          <Form ctx={ctx} action="/thanh-toan/nop">
            <input type="hidden" name="obligationId" value={obligation.id} />
            <input type="hidden" name="payerId" value={payerId} />
            <p>{ctx.t('payment.obligation.goToProvider')}</p>
            <Button>{ctx.t('payment.obligation.pay', { amount: vnd(ctx, obligation.total) })}</Button>
          </Form>
        </>
      ) : null}
      {obligation.status === 'paid' && paidPaymentId ? (
        <p>
          <a href={paymentHref(paidPaymentId)}>{ctx.t('payment.obligation.openPayment')}</a> · <a href={receiptPath(paidPaymentId)}>{ctx.t('payment.receipt.download')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

// ---------- an attempt ----------

/** What to say about the payer's return, beside the state the database holds. */
function returnNote(ctx: PageContext, view: PaymentView, report: ProviderReport | undefined): string | undefined {
  if (!report) return undefined;
  if (view.state === 'pending' || view.state === 'created') {
    return report.outcome === 'paid' ? ctx.t('payment.return.awaitingIpn') : report.responseCode === '24' ? ctx.t('payment.return.cancelled') : ctx.t('payment.return.declined', { code: report.responseCode });
  }
  return undefined;
}

function PaymentPage({ ctx, view, report }: { ctx: PageContext; view: PaymentView; report?: ProviderReport | undefined }) {
  const note = returnNote(ctx, view, report);
  return (
    <Layout ctx={ctx} title={ctx.t('payment.page.title', { ref: view.txnRef })}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: LOOKUP, label: ctx.t('payment.lookup.title') }, { label: view.txnRef }]} />
      <NotificationBanner variant={view.state === 'paid' ? 'info' : 'warning'}>
        <p>
          <strong>{ctx.t(`payment.page.state.${view.state}` as MessageKey)}</strong>
        </p>
        {note ? <p>{note}</p> : null}
        {view.refundDue ? <p>{ctx.t('payment.page.refundDue')}</p> : null}
      </NotificationBanner>
      <h1>{ctx.t('payment.page.title', { ref: view.txnRef })}</h1>
      <SummaryList
        rows={[
          { key: ctx.t('payment.field.state'), value: <StateTag ctx={ctx} state={view.state} /> },
          { key: ctx.t('payment.field.amount'), value: vnd(ctx, view.amount) },
          { key: ctx.t('payment.field.what'), value: `${kindText(ctx, view.kind)} ${view.reference}` },
          { key: ctx.t('payment.field.description'), value: view.description },
          { key: ctx.t('payment.field.agency'), value: view.agencyName },
          { key: ctx.t('payment.field.provider'), value: ctx.t(`payment.provider.${view.provider}` as MessageKey) },
          { key: ctx.t('payment.field.providerRef'), value: view.providerRef ?? '—' },
          view.paidAt ? { key: ctx.t('payment.field.paidAt'), value: formatDateTime(ctx.locale, new Date(view.paidAt)) } : { key: ctx.t('payment.field.expiresAt'), value: formatDateTime(ctx.locale, new Date(view.expiresAt)) },
        ]}
      />
      <ul>
        {view.state === 'paid' ? (
          <li>
            <a href={receiptPath(view.id)}>{ctx.t('payment.receipt.download')}</a>
          </li>
        ) : null}
        {view.state === 'pending' || view.state === 'created' ? (
          <li>
            <a href={paymentHref(view.id)}>{ctx.t('payment.page.reload')}</a>
          </li>
        ) : null}
        {view.state === 'failed' || view.state === 'expired' ? (
          <li>
            <a href={LOOKUP}>{ctx.t('payment.page.again')}</a>
          </li>
        ) : null}
        <li>
          <a href={LOOKUP}>{ctx.t('payment.page.back')}</a>
        </li>
      </ul>
    </Layout>
  );
}

function ReturnRejectedPage({ ctx, reason }: { ctx: PageContext; reason: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('payment.return.rejectedTitle')} hasErrors>
      <h1>{ctx.t('payment.return.rejectedTitle')}</h1>
      <p class="lead">{ctx.t(reason === 'unknown' ? 'payment.return.unknown' : 'payment.return.rejected')}</p>
      <p class="small">{ctx.t('error.requestId', { id: ctx.requestId })}</p>
      <p>
        <a href={LOOKUP}>{ctx.t('payment.page.back')}</a>
      </p>
    </Layout>
  );
}

// ---------- the back office ----------

interface AgencyDay {
  code: string | null;
  name: string;
  count: number;
  paid: number;
  flagged: number;
}

function BackOfficePage({ ctx, date, rows, refundable, errors, done }: { ctx: PageContext; date: string; rows: ReportRow[]; refundable: (row: ReportRow) => boolean; errors: FormErrors; done?: boolean }) {
  const now = new Date();
  const agencies = new Map<number, AgencyDay>();
  for (const r of rows) {
    const a = agencies.get(r.agencyId) ?? { code: r.agencyCode, name: r.agencyName, count: 0, paid: 0, flagged: 0 };
    a.count += 1;
    if (r.state === 'paid') a.paid += r.amount;
    if (paymentFlags(r, now).length) a.flagged += 1;
    agencies.set(r.agencyId, a);
  }
  const report = (code: string | null, format: 'csv' | 'xlsx') => hrefWith('/api/v1/payments/reconciliation', { date, agency: code ?? '', format });
  return (
    <Layout ctx={ctx} title={ctx.t('payment.office.title')} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { label: ctx.t('payment.office.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      {done ? <NotificationBanner>{ctx.t('payment.office.refunded')}</NotificationBanner> : null}
      <h1>{ctx.t('payment.office.title')}</h1>
      <Form ctx={ctx} action={BACK_OFFICE} method="get">
        <TextInput name="date" type="date" label={ctx.t('payment.office.date')} hint={ctx.t('payment.office.dateHint')} value={date} error={errors.byField.date} maxLength={10} />
        <Button variant="secondary">{ctx.t('payment.office.show')}</Button>
      </Form>
      <h2>{ctx.t('payment.office.reports')}</h2>
      {agencies.size === 0 ? (
        <p>{ctx.t('payment.office.none')}</p>
      ) : (
        <Table
          caption={ctx.t('payment.office.reports')}
          columns={[
            { header: ctx.t('payment.office.col.agency'), cell: (a: AgencyDay) => a.name },
            { header: ctx.t('payment.office.col.count'), cell: (a) => String(a.count), numeric: true },
            { header: ctx.t('payment.office.col.paid'), cell: (a) => vnd(ctx, a.paid), numeric: true },
            { header: ctx.t('payment.office.col.flagged'), cell: (a) => (a.flagged ? <Tag colour="red">{String(a.flagged)}</Tag> : '0'), numeric: true },
            {
              header: ctx.t('payment.office.col.report'),
              cell: (a) => (
                <>
                  <a href={report(a.code, 'csv')}>CSV</a> · <a href={report(a.code, 'xlsx')}>XLSX</a>
                </>
              ),
            },
          ]}
          rows={[...agencies.values()]}
        />
      )}
      {rows.length ? (
        <>
          <h2>{ctx.t('payment.office.payments')}</h2>
          <Table
            caption={ctx.t('payment.office.payments')}
            columns={[
              { header: ctx.t('payment.report.col.txnRef'), cell: (r: ReportRow) => r.txnRef, numeric: true },
              { header: ctx.t('payment.report.col.kind'), cell: (r) => `${kindText(ctx, r.kind)} ${r.reference}` },
              { header: ctx.t('payment.report.col.amount'), cell: (r) => vnd(ctx, r.amount), numeric: true },
              { header: ctx.t('payment.report.col.state'), cell: (r) => <StateTag ctx={ctx} state={r.state} /> },
              { header: ctx.t('payment.report.col.providerRef'), cell: (r) => r.providerRef ?? '—' },
              {
                header: ctx.t('payment.report.col.flags'),
                cell: (r) => (
                  <>
                    {paymentFlags(r, now).map((f) => (
                      <>
                        <Tag colour={f === 'refund_due' ? 'amber' : 'red'}>{ctx.t(`payment.flag.${f}` as MessageKey)}</Tag>{' '}
                      </>
                    ))}
                  </>
                ),
              },
              {
                header: ctx.t('payment.office.col.action'),
                cell: (r) =>
                  refundable(r) ? (
                    <Form ctx={ctx} action={`${BACK_OFFICE}/${r.id}/hoan-tien`}>
                      <input type="hidden" name="date" value={date} />
                      <Button variant="warning">{ctx.t('payment.office.refund')}</Button>
                    </Form>
                  ) : (
                    '—'
                  ),
              },
            ]}
            rows={rows}
          />
        </>
      ) : null}
    </Layout>
  );
}

// ---------- routes ----------

const LookupBody = Type.Object({ _csrf: Str(), kind: Str(40), reference: Str(100), payerId: Str(30) });
const StartBody = Type.Object({ _csrf: Str(), obligationId: Str(40), payerId: Str(30), bankCode: Str(20) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const paymentPages: FastifyPluginAsyncTypebox<{ deps: PaymentDeps; lookupsPerMinute: number }> = async (app, { deps, lookupsPerMinute }) => {
  const limit = { rateLimit: lookupsPerMinute > 0 ? { max: lookupsPerMinute, timeWindow: '1 minute' } : (false as const) };

  /** The obligation page for a payer who proved their id. */
  async function obligationPage(request: FastifyRequest, reply: FastifyReply, obligation: PaymentObligation, payerId: string, errors: FormErrors, status = 200) {
    const agency = await deps.db.selectFrom('agency').select('name').where('id', '=', obligation.agencyId).executeTakeFirstOrThrow();
    const live = await deps.db
      .selectFrom('payment')
      .select('id')
      .where('obligationId', '=', obligation.id)
      .where('state', '=', 'pending')
      .where('expiresAt', '>', deps.now())
      .executeTakeFirst();
    return sendPage(
      reply,
      <ObligationPage ctx={pageContext(request, reply)} obligation={obligation} agency={agency.name} payerId={payerId} paidPaymentId={obligation.paidPaymentId} livePayment={live !== undefined} errors={errors} />,
      status,
    );
  }

  app.get(LOOKUP, { schema: { ...hide, response: HtmlResponse } }, async (request, reply) => sendPage(reply, <LookupPage ctx={pageContext(request, reply)} values={{}} errors={noErrors} />));

  app.post(LOOKUP, { config: limit, schema: { ...hide, body: LookupBody, response: HtmlResponse } }, async (request, reply) => {
    const values = { kind: request.body.kind, reference: request.body.reference, payerId: request.body.payerId };
    try {
      const obligation = await lookupObligation(deps.db, values);
      return await obligationPage(request, reply, obligation, values.payerId ?? '', noErrors);
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'invalid_input' && error.code !== 'not_found')) throw error;
      const ctx = pageContext(request, reply);
      // The number typed is kept in the form; it is the person's own.
      return sendPage(reply, <LookupPage ctx={ctx} values={values} errors={formErrors(ctx, error)} />, error.status);
    }
  });

  app.post('/thanh-toan/nop', { config: limit, schema: { ...hide, body: StartBody, response: HtmlResponse } }, async (request, reply) => {
    const { obligationId, payerId, bankCode } = request.body;
    if (!obligationId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(obligationId)) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'obligationId', message: { key: 'payment.error.lookupNotFound' } }]);
    try {
      const started = await startPayment(deps, request.actor, { obligationId, payerId, bankCode: bankCode && /^[A-Z0-9]{2,20}$/.test(bankCode) ? bankCode : undefined, locale: resolveLocale(request), clientIp: request.ip });
      return reply.redirect(started.redirectUrl, 303);
    } catch (error) {
      if (!isAppError(error) || !['conflict', 'unprocessable', 'unavailable'].includes(error.code)) throw error;
      // Shown on the obligation's page, for a payer who proved their id (anyone else gets the plain error page).
      const obligation = await findObligation(deps.db, obligationId);
      if (!obligation || !payerMatches(obligation, payerId)) throw error;
      return obligationPage(request, reply, obligation, payerId ?? '', formErrors(pageContext(request, reply), error), error.status);
    }
  });

  app.get('/thanh-toan/ket-qua', { schema: { ...hide, querystring: Type.Record(Type.String(), Type.String({ maxLength: 2000 })), response: HtmlResponse } }, async (request, reply) => {
    const result = await viewReturn(deps, 'vnpay', request.query as Record<string, unknown>, { ip: request.ip });
    if (!result.ok) return sendPage(reply, <ReturnRejectedPage ctx={pageContext(request, reply)} reason={result.reason} />, result.reason === 'unknown' ? 404 : 400);
    return sendPage(reply, <PaymentPage ctx={pageContext(request, reply)} view={await getPayment(deps, result.paymentId)} report={result.report} />);
  });

  app.get('/thanh-toan/giao-dich/:id', { config: limit, schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) =>
    sendPage(reply, <PaymentPage ctx={pageContext(request, reply)} view={await getPayment(deps, request.params.id)} />),
  );

  app.get('/thanh-toan/giao-dich/:id/bien-lai.pdf', { config: limit, schema: { ...hide, params: IdParams, response: { 200: { content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } } } } }, async (request, reply) => {
    const { fileName, pdf } = await renderPaymentReceipt(deps, request.params.id, resolveLocale(request));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).header('cache-control', 'private, no-store').send(pdf as never);
  });

  // ---------- back office ----------

  async function officeRows(request: FastifyRequest, date: string) {
    if (request.actor.kind !== 'officer') throw new AppError('not_found');
    return listDayPayments(deps, request.actor, date);
  }
  const refundableFor = (request: FastifyRequest) => (row: ReportRow) => row.state === 'paid' && row.refundDue && hasAccess(request.actor, 'dossier.approve', { agencyPath: row.agencyPath });
  const today = () => vietnamDay(deps.now());

  app.get(BACK_OFFICE, { schema: { ...hide, querystring: Type.Object({ date: Str(10), done: Str(10) }), response: HtmlResponse } }, async (request, reply) => {
    if (!(await officerGate(request, reply, deps))) return reply;
    const date = request.query.date || today();
    const ctx = pageContext(request, reply);
    if (!isDay(date)) {
      await officeRows(request, today());
      const error = new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'date', message: { key: 'payment.error.date' } }]);
      return sendPage(reply, <BackOfficePage ctx={ctx} date={date} rows={[]} refundable={() => false} errors={formErrors(ctx, error)} />, 400);
    }
    const rows = await officeRows(request, date);
    return sendPage(reply, <BackOfficePage ctx={ctx} date={date} rows={rows} refundable={refundableFor(request)} errors={noErrors} done={request.query.done === 'refund'} />);
  });

  app.post(`${BACK_OFFICE}/:id/hoan-tien`, { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), date: Str(10) }), response: HtmlResponse } }, async (request, reply) => {
    if (!(await officerGate(request, reply, deps))) return reply;
    if (request.actor.kind !== 'officer') throw new AppError('not_found');
    const date = isDay(request.body.date) ? request.body.date : today();
    try {
      await refundPayment(deps, request.actor, request.params.id, { ip: request.ip });
    } catch (error) {
      if (!isAppError(error) || !['conflict', 'unprocessable', 'unavailable'].includes(error.code)) throw error;
      const ctx = pageContext(request, reply);
      return sendPage(reply, <BackOfficePage ctx={ctx} date={date} rows={await officeRows(request, date)} refundable={refundableFor(request)} errors={formErrors(ctx, error)} />, error.status);
    }
    return reply.redirect(hrefWith(BACK_OFFICE, { date, done: 'refund' }), 303);
  });
};

