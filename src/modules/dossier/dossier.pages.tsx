// The citizen's pages for applying online (UI.md, the GOV.UK service patterns): a start page,
// one step of the e-form per page, the documents, "Kiểm tra thông tin", the confirmation panel,
// "Hồ sơ của tôi", the e-repository and the public tracking page. Every form is a real <form>
// with a server round trip; the draft is saved at every step.
import { formatVnd } from '../../platform/text/money.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ownerAccountIdOf } from '../../platform/access/access.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, fieldId, NotificationBanner, Panel, Radios, Select, SummaryList, Table, Tag, Textarea, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { hiddenFromApi, HtmlResponse, optionalText } from '../../platform/http/route-schemas.js';
import { formatDate, formatDateTime } from '../../platform/text/vietnam-time.js';
import { randomToken } from '../../platform/security/secrets.js';
import { formSteps } from '../catalog/catalog.service.js';
import { acceptedTypesLabel } from '../document/document.service.js';
import { applyRepeatAction, parseRepeatAction, parseStepData } from './eform/eform-parse.js';
import { EformFields, eformAnswerRows, type AddressChoices } from './eform/eform-render.js';
import { validateEformData } from './eform/eform-validate.js';
import { fieldValue, readUploadPart } from './dossier.routes.js';
import { eventText } from './dossier-transition.js';
import { postalAddressForm, postalFormValue, resultDeliveryMethods, type ResultDeliveryInput } from './result-delivery.js';
import {
  addAttachment,
  attachFromRepository,
  communeCodes,
  createDraft,
  findPublishedProcedure,
  getMyDossierDetail,
  listMyDossiers,
  listRepositoryItems,
  openOwnFile,
  removeAttachment,
  renderAcknowledgement,
  saveDraft,
  submissionProblems,
  submitDossier,
  resubmitDossier,
  rateDossier,
  ratingCriteria,
  findRating,
  trackDossier,
  withdrawDossier,
  type DossierDeps,
  type DossierStatus,
  type ProcedureForSubmission,
  type TrackingView,
} from './dossier.service.js';

const hide = hiddenFromApi;
const Str = optionalText;
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const meta = (request: FastifyRequest) => ({ ip: request.ip, locale: resolveLocale(request) });

type Detail = Awaited<ReturnType<typeof getMyDossierDetail>>;

// ---------- the steps of the journey ----------

type WizardStep = { kind: 'agency'; title: string } | { kind: 'form'; title: string; fields: string[] };

function wizardSteps(ctx: PageContext, procedure: ProcedureForSubmission): WizardStep[] {
  const steps: WizardStep[] = [];
  if (procedure.agencies.length > 1) steps.push({ kind: 'agency', title: ctx.t('apply.agency.title') });
  for (const step of formSteps(procedure.formSchema)) steps.push({ kind: 'form', title: step.title || procedure.name, fields: step.fields });
  return steps;
}

const stepHref = (id: string, n: number) => `/ho-so/${id}/buoc/${n}`;
const documentsHref = (id: string) => `/ho-so/${id}/giay-to`;
const checkHref = (id: string) => `/ho-so/${id}/kiem-tra`;

function statusColour(status: DossierStatus): 'green' | 'amber' | 'red' | 'grey' | 'blue' {
  if (status === 'done' || status === 'returned' || status === 'accepted') return 'green';
  if (status === 'supplementation' || status === 'financial') return 'amber';
  if (status === 'refused' || status === 'stopped') return 'red';
  if (status === 'draft' || status === 'withdrawn') return 'grey';
  return 'blue';
}

export function StatusTag({ ctx, status }: { ctx: PageContext; status: DossierStatus }) {
  return <Tag colour={statusColour(status)}>{ctx.t(`dossier.status.${status}`)}</Tag>;
}

let addressCache: { at: number; choices: AddressChoices } | undefined;

/** The current provinces and their communes, for the address picker. */
async function addressChoices(deps: DossierDeps): Promise<AddressChoices> {
  if (addressCache && Date.now() - addressCache.at < 60_000) return addressCache.choices;
  const codes = await communeCodes(deps);
  const wanted = [...codes.keys(), ...[...codes.values()].flatMap((communes) => [...communes])];
  const units = wanted.length ? await deps.db.selectFrom('adminUnit').select(['gsoCode', 'name']).where('gsoCode', 'in', wanted).execute() : [];
  const names = new Map(units.map((u) => [u.gsoCode, u.name]));
  const collator = new Intl.Collator('vi');
  const choices: AddressChoices = {
    provinces: [...codes.entries()]
      .map(([province, communes]) => ({
        code: province,
        name: names.get(province) ?? province,
        communes: [...communes].map((c) => ({ code: c, name: names.get(c) ?? c })).sort((a, b) => collator.compare(a.name, b.name)),
      }))
      .sort((a, b) => collator.compare(a.name, b.name)),
  };
  addressCache = { at: Date.now(), choices };
  return choices;
}

/** On "Kiểm tra thông tin", each problem links to the page where it is fixed. */
function linkProblemsToSteps(errors: FormErrors, id: string, steps: WizardStep[]): FormErrors {
  const summary = errors.summary.map((p) => {
    if (p.name.startsWith('slot.')) return { ...p, href: `${documentsHref(id)}#${fieldId(p.name)}` };
    const top = p.name.split('.')[0]!;
    const index = steps.findIndex((s) => (s.kind === 'agency' ? top === 'agencyCode' : s.fields.includes(top)));
    return index < 0 ? p : { ...p, href: `${stepHref(id, index + 1)}?tu=kiem-tra#${fieldId(p.name)}` };
  });
  return { ...errors, summary };
}

function errorsFromProblems(problems: { name: string; message: string }[]): FormErrors {
  const byField: Record<string, string> = {};
  for (const p of problems) byField[p.name] ??= p.message;
  return { summary: problems, byField };
}

function procedureName(ctx: PageContext, procedure: ProcedureForSubmission): string {
  return ctx.locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name;
}

// ---------- pages ----------

/** What the office asked for, shown beside the form while the dossier is in supplementation. */
function SupplementRequest({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const items = detail.dossier.supplementItems ?? [];
  if (detail.dossier.status !== 'supplementation') return null;
  return (
    <NotificationBanner variant="warning">
      <h2 class="h3">{ctx.t('dossier.supplement.title')}</h2>
      <p>{ctx.t('dossier.supplement.intro')}</p>
      <ul>
        {items.map((i) => (
          <li>
            <strong>{i.item}</strong>: {i.reason}
          </li>
        ))}
      </ul>
    </NotificationBanner>
  );
}

function StartPage({ ctx, procedure, drafts }: { ctx: PageContext; procedure: ProcedureForSubmission; drafts: { id: string; updatedAt: Date }[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('apply.start.title', { name: procedureName(ctx, procedure) })}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: `/thu-tuc/${encodeURIComponent(procedure.code)}`, label: procedureName(ctx, procedure) }]} />
      <h1>{ctx.t('apply.start.heading')}</h1>
      <p class="lead">{procedureName(ctx, procedure)}</p>
      {!procedure.acceptsOnline ? (
        <NotificationBanner variant="warning">{ctx.t('dossier.error.notOnline')}</NotificationBanner>
      ) : (
        <>
          <p>{ctx.t('apply.start.intro')}</p>
          {drafts.length > 0 ? (
            <>
              <h2>{ctx.t('apply.start.drafts')}</h2>
              <ul>
                {drafts.map((d) => (
                  <li>
                    <a href={`/ho-so/${d.id}`}>{ctx.t('apply.start.resume', { at: formatDateTime(ctx.locale, d.updatedAt) })}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Form ctx={ctx} action={`/thu-tuc/${encodeURIComponent(procedure.code)}/nop-truc-tuyen`}>
            <Button variant="start">{ctx.t('apply.start.button')} ›</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

function StepPage(props: {
  ctx: PageContext;
  detail: Detail;
  steps: WizardStep[];
  n: number;
  data: Record<string, unknown>;
  agencyCode: string | undefined;
  errors: FormErrors;
  address: AddressChoices;
  returnToCheck: boolean;
}) {
  const { ctx, detail, steps, n, errors } = props;
  const step = steps[n - 1]!;
  const id = detail.dossier.id;
  const back = n > 1 ? stepHref(id, n - 1) : `/thu-tuc/${encodeURIComponent(detail.procedure.code)}/nop-truc-tuyen`;
  return (
    <Layout ctx={ctx} title={step.title} hasErrors={errors.summary.length > 0}>
      <p>
        <a href={back} class="back-link">
          ‹ {ctx.t('apply.back')}
        </a>
      </p>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <SupplementRequest ctx={ctx} detail={detail} />
      <span class="caption">{ctx.t('apply.stepOf', { n, total: steps.length, name: procedureName(ctx, detail.procedure) })}</span>
      <h1>{step.title}</h1>
      <Form ctx={ctx} action={`${stepHref(id, n)}${props.returnToCheck ? '?tu=kiem-tra' : ''}`}>
        {step.kind === 'agency' ? (
          <Select
            name="agencyCode"
            label={ctx.t('apply.agency.label')}
            hint={ctx.t('apply.agency.hint')}
            value={props.agencyCode}
            error={errors.byField.agencyCode}
            emptyLabel={ctx.t('apply.choose')}
            options={detail.procedure.agencies.map((a) => ({ value: a.code, label: a.name }))}
          />
        ) : (
          <EformFields ctx={ctx} schema={detail.procedure.formSchema} fields={step.fields} data={props.data} errors={errors.byField} address={props.address} />
        )}
        <Button name="action" value="continue">
          {ctx.t('apply.continue')}
        </Button>
      </Form>
      <p class="small">{ctx.t('apply.savedHint')}</p>
    </Layout>
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function DocumentsPage(props: { ctx: PageContext; detail: Detail; steps: WizardStep[]; repository: Awaited<ReturnType<typeof listRepositoryItems>>; errors: FormErrors; maxMb: number }) {
  const { ctx, detail, errors } = props;
  const id = detail.dossier.id;
  return (
    <Layout ctx={ctx} title={ctx.t('apply.documents.title')} hasErrors={errors.summary.length > 0}>
      <p>
        <a href={props.steps.length ? stepHref(id, props.steps.length) : checkHref(id)} class="back-link">
          ‹ {ctx.t('apply.back')}
        </a>
      </p>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <SupplementRequest ctx={ctx} detail={detail} />
      <h1>{ctx.t('apply.documents.title')}</h1>
      <p>{ctx.t('apply.documents.intro', { types: acceptedTypesLabel(['pdf', 'jpeg', 'png', 'docx', 'xlsx']), maxMb: props.maxMb })}</p>
      {detail.slots.map((slot) => {
        const files = detail.attachments.filter((a) => a.slot === slot.index);
        const reusable = props.repository.filter((item) => !files.some((f) => f.sha256 === item.sha256));
        const error = errors.byField[`slot.${slot.index}`];
        return (
          <section class={`document-slot${error ? ' field-error' : ''}`} id={`slot-${slot.index}`} aria-labelledby={`slot-${slot.index}-title`}>
            <h2 id={`slot-${slot.index}-title`} class="h3">
              {slot.name}
              {slot.required ? null : <span class="optional"> ({slot.note ?? ctx.t('apply.optional')})</span>}
            </h2>
            {error ? <p class="error-message">{error}</p> : null}
            {files.length > 0 ? (
              <ul class="file-list">
                {files.map((f) => (
                  <li>
                    <a href={`/ho-so/${id}/tep/${f.id}`}>{f.fileName}</a> <span class="small">({formatSize(Number(f.size))})</span>
                    <Form ctx={ctx} action={`/ho-so/${id}/giay-to/xoa`}>
                      <input type="hidden" name="attachmentId" value={f.id} />
                      <Button variant="secondary" name="remove" value={f.id}>
                        {ctx.t('apply.documents.remove')}
                        <span class="visually-hidden"> {f.fileName}</span>
                      </Button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
            <Form ctx={ctx} action={documentsHref(id)} multipart>
              <input type="hidden" name="slot" value={String(slot.index)} />
              <div class="field">
                <label for={fieldId(`slot.${slot.index}`)}>{ctx.t('apply.documents.choose')}</label>
                <input type="file" id={fieldId(`slot.${slot.index}`)} name="file" accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png" />
              </div>
              <Button variant="secondary">{ctx.t('apply.documents.upload')}</Button>
            </Form>
            {reusable.length > 0 ? (
              <Form ctx={ctx} action={`/ho-so/${id}/giay-to/kho`}>
                <input type="hidden" name="slot" value={String(slot.index)} />
                <Select
                  name="itemId"
                  label={ctx.t('apply.documents.fromRepository')}
                  emptyLabel={ctx.t('apply.choose')}
                  options={reusable.map((item) => ({ value: item.id, label: `${item.title ?? item.fileName} (${formatDate(ctx.locale, new Date(item.createdAt))})` }))}
                />
                <Button variant="secondary">{ctx.t('apply.documents.reuse')}</Button>
              </Form>
            ) : null}
          </section>
        );
      })}
      <p>
        <Button href={checkHref(id)}>{ctx.t('apply.continue')}</Button>
      </p>
    </Layout>
  );
}

/** "Nhận kết quả": online, at the desk, or by post at an address (its own small e-form). Works
 *  without JavaScript: the address fields are always there, and read only when post is chosen. */
function ResultDeliveryFields({ ctx, method, post, errors, address }: { ctx: PageContext; method: string | undefined; post: unknown; errors: FormErrors; address: AddressChoices }) {
  return (
    <>
      <Radios
        name="delivery"
        label={ctx.t('apply.delivery.legend')}
        value={method ?? 'online'}
        error={errors.byField.delivery}
        options={resultDeliveryMethods.map((m) => ({ value: m, label: ctx.t(`apply.delivery.${m}`) }))}
      />
      <p class="hint">{ctx.t('apply.delivery.postHint')}</p>
      <EformFields ctx={ctx} schema={postalAddressForm} fields={['resultPost']} data={post ? { resultPost: post } : {}} errors={errors.byField} address={address} />
    </>
  );
}

function CheckPage(props: { ctx: PageContext; detail: Detail; steps: WizardStep[]; address: AddressChoices; errors: FormErrors; submitKey: string; delivery?: { method: string | undefined; post: unknown } }) {
  const { ctx, detail, steps, errors } = props;
  const delivery = props.delivery ?? { method: detail.dossier.resultDelivery ?? undefined, post: postalFormValue(detail.dossier.resultPostAddress) };
  const id = detail.dossier.id;
  const agency = detail.procedure.agencies.find((a) => a.id === detail.dossier.agencyId);
  return (
    <Layout ctx={ctx} title={ctx.t('apply.check.title')} hasErrors={errors.summary.length > 0}>
      <p>
        <a href={detail.slots.length ? documentsHref(id) : stepHref(id, steps.length)} class="back-link">
          ‹ {ctx.t('apply.back')}
        </a>
      </p>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <SupplementRequest ctx={ctx} detail={detail} />
      <h1>{ctx.t('apply.check.title')}</h1>
      <p class="lead">{procedureName(ctx, detail.procedure)}</p>
      {steps.map((step, index) => (
        <section>
          <h2 class="h3">{step.title}</h2>
          <SummaryList
            rows={[
              ...(step.kind === 'agency'
                ? [{ key: ctx.t('apply.agency.label'), value: agency?.name ?? '—' }]
                : eformAnswerRows(ctx, detail.procedure.formSchema, step.fields, detail.dossier.data, props.address)),
            ]}
          />
          <p>
            <a href={`${stepHref(id, index + 1)}?tu=kiem-tra`}>
              {ctx.t('apply.check.change')}
              <span class="visually-hidden"> {step.title}</span>
            </a>
          </p>
        </section>
      ))}
      {detail.slots.length > 0 ? (
        <section>
          <h2 class="h3">{ctx.t('apply.documents.title')}</h2>
          <SummaryList
            rows={detail.slots.map((slot) => ({
              key: slot.name,
              value: detail.attachments.filter((a) => a.slot === slot.index).map((a) => a.fileName).join(', ') || '—',
            }))}
          />
          <p>
            <a href={documentsHref(id)}>
              {ctx.t('apply.check.change')}
              <span class="visually-hidden"> {ctx.t('apply.documents.title')}</span>
            </a>
          </p>
        </section>
      ) : null}
      <Form ctx={ctx} action={`/ho-so/${id}/nop`}>
        <input type="hidden" name="submitKey" value={props.submitKey} />
        <fieldset class="field">
          <legend>{ctx.t('apply.check.notify')}</legend>
          <div class="checkbox">
            <input type="checkbox" id="notify-email" name="notifyEmail" value="yes" checked={detail.dossier.notifyEmail} />
            <label for="notify-email">{ctx.t('apply.check.notifyEmail')}</label>
          </div>
          <div class="checkbox">
            <input type="checkbox" id="notify-sms" name="notifySms" value="yes" checked={detail.dossier.notifySms} />
            <label for="notify-sms">{ctx.t('apply.check.notifySms')}</label>
          </div>
        </fieldset>
        <ResultDeliveryFields ctx={ctx} method={delivery.method} post={delivery.post} errors={errors} address={props.address} />
        <p>{ctx.t('apply.check.declaration')}</p>
        <Button>{detail.dossier.status === 'supplementation' ? ctx.t('dossier.supplement.submit') : ctx.t('apply.check.submit')}</Button>
      </Form>
    </Layout>
  );
}

function ConfirmationPage({ ctx, detail, fee }: { ctx: PageContext; detail: Detail; fee: FeeDue }) {
  const d = detail.dossier;
  return (
    <Layout ctx={ctx} title={ctx.t('apply.done.title')}>
      <Panel title={ctx.t('apply.done.title')}>
        <p>
          {ctx.t('apply.done.code')}
          <br />
          <strong class="dossier-code">{d.code}</strong>
        </p>
      </Panel>
      {fee ? <FeeDuePanel ctx={ctx} fee={fee} payerId={d.applicantIdNumber} status={d.status} /> : null}
      <p>{ctx.t('apply.done.email')}</p>
      <h2>{ctx.t('apply.done.next')}</h2>
      <p>{ctx.t('apply.done.nextText')}</p>
      {d.dueAt ? <p>{ctx.t('apply.done.due', { date: formatDate(ctx.locale, d.dueAt) })}</p> : null}
      <ul>
        <li>
          <a href={`/ho-so/${d.id}/xac-nhan.pdf`}>{ctx.t('apply.done.receipt')}</a>
        </li>
        <li>
          <a href={`/tra-cuu/${encodeURIComponent(d.code!)}`}>{ctx.t('apply.done.track')}</a>
        </li>
        <li>
          <a href="/ho-so">{ctx.t('apply.mine.title')}</a>
        </li>
      </ul>
    </Layout>
  );
}

function MyDossiersPage({ ctx, list }: { ctx: PageContext; list: Awaited<ReturnType<typeof listMyDossiers>> }) {
  return (
    <Layout ctx={ctx} title={ctx.t('apply.mine.title')}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }]} />
      <h1>{ctx.t('apply.mine.title')}</h1>
      {list.rows.length === 0 ? (
        <p>{ctx.t('apply.mine.empty')}</p>
      ) : (
        <Table
          caption={ctx.t('apply.mine.caption', { total: list.total })}
          columns={[
            { header: ctx.t('apply.mine.code'), cell: (r) => <a href={`/ho-so/${r.id}`}>{r.code ?? ctx.t('apply.mine.noCode')}</a> },
            { header: ctx.t('apply.mine.procedure'), cell: (r) => (ctx.locale === 'en' && r.procedureNameEn ? r.procedureNameEn : r.procedureName) },
            { header: ctx.t('apply.mine.status'), cell: (r) => <StatusTag ctx={ctx} status={r.status} /> },
            { header: ctx.t('apply.mine.date'), cell: (r) => formatDateTime(ctx.locale, new Date(r.submittedAt ?? r.updatedAt)) },
          ]}
          rows={list.rows}
        />
      )}
      <p>
        <a href="/kho-du-lieu">{ctx.t('apply.repository.title')}</a>
      </p>
    </Layout>
  );
}

/** Each event says what happened, then the status it left (the status repeats while steps go on). */
function Timeline({ ctx, events }: { ctx: PageContext; events: { at: Date; actionText: string; statusText: string; agency: string | null }[] }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(ctx.locale, new Date(e.at))}</time> — <strong>{e.actionText}</strong>
          <span class="small"> · {ctx.t('track.statusAfter', { status: e.statusText })}</span>
          {e.agency ? <span class="small"> · {e.agency}</span> : null}
        </li>
      ))}
    </ol>
  );
}

function RatingForm({ ctx, id, rated, errors, values }: { ctx: PageContext; id: string; rated: boolean; errors: FormErrors; values: Record<string, string | undefined> }) {
  if (rated) return <NotificationBanner>{ctx.t('dossier.rating.thanks')}</NotificationBanner>;
  const criteria = ratingCriteria();
  return (
    <section>
      <h2>{ctx.t('dossier.rating.title')}</h2>
      <p>{ctx.t('dossier.rating.intro')}</p>
      <Form ctx={ctx} action={`/ho-so/${id}/danh-gia`}>
        {criteria.criteria.map((c) => (
          <Radios
            name={`rating.${c.key}`}
            label={ctx.locale === 'en' ? c.nameEn : c.name}
            inline
            value={values[`rating.${c.key}`]}
            error={errors.byField[`rating.${c.key}`]}
            options={criteria.levels.map((l) => ({ value: String(l.value), label: ctx.locale === 'en' ? l.nameEn : l.name }))}
          />
        ))}
        <Textarea name="comment" label={ctx.t('dossier.rating.commentLabel')} value={values.comment} error={errors.byField.comment} maxLength={2000} rows={3} />
        <Button>{ctx.t('dossier.rating.submit')}</Button>
      </Form>
    </section>
  );
}

type FeeDue = Awaited<ReturnType<typeof feeDueOf>>;

/** The unpaid fee obligation of a dossier: paid with the submission (level 4) or asked for in
 *  status 6 (the payment module's table). Nothing is offered once the dossier has ended. */
async function feeDueOf(db: DossierDeps['db'], dossier: { id: string; status: string }) {
  if (['draft', 'refused', 'withdrawn', 'returned'].includes(dossier.status)) return undefined;
  return db.selectFrom('paymentObligation').select(['id', 'total', 'lines']).where('dossierId', '=', dossier.id).where('status', '=', 'unpaid').orderBy('createdAt', 'desc').executeTakeFirst();
}

/** Status 6: what to pay, and the button that starts the online payment (the payer is the applicant). */
function FeeDuePanel({ ctx, fee, payerId, status }: { ctx: PageContext; fee: NonNullable<FeeDue>; payerId: string | null; status: string }) {
  return (
    <NotificationBanner variant="warning">
      <h2 class="h3">{ctx.t('dossier.fee.title')}</h2>
      <p>{ctx.t(status === 'financial' ? 'dossier.fee.intro' : 'dossier.fee.introSubmission')}</p>
      <ul>
        {fee.lines.map((line) => (
          <li>
            {line.label}: <strong>{formatVnd(ctx.locale, line.amount)}</strong>
          </li>
        ))}
      </ul>
      <p>{ctx.t('dossier.fee.total', { amount: formatVnd(ctx.locale, fee.total) })}</p>
      <Form ctx={ctx} action="/thanh-toan/nop">
        <input type="hidden" name="obligationId" value={fee.id} />
        <input type="hidden" name="payerId" value={payerId ?? ''} />
        <Button>{ctx.t('dossier.fee.pay')}</Button>
      </Form>
    </NotificationBanner>
  );
}

function DossierPage({ ctx, detail, errors, rated = false, ratingValues = {}, fee }: { ctx: PageContext; detail: Detail; errors: FormErrors; rated?: boolean; ratingValues?: Record<string, string | undefined>; fee?: FeeDue }) {
  const d = detail.dossier;
  const agency = detail.procedure.agencies.find((a) => a.id === d.agencyId);
  return (
    <Layout ctx={ctx} title={`${ctx.t('apply.dossier.title')} ${d.code ?? ''}`} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: '/ho-so', label: ctx.t('apply.mine.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>
        {ctx.t('apply.dossier.title')} <span class="dossier-code">{d.code}</span>
      </h1>
      <SummaryList
        rows={[
          { key: ctx.t('apply.mine.procedure'), value: procedureName(ctx, detail.procedure) },
          { key: ctx.t('apply.mine.status'), value: <StatusTag ctx={ctx} status={d.status} /> },
          { key: ctx.t('apply.agency.label'), value: agency?.name ?? '—' },
          { key: ctx.t('dossier.ack.submittedAt'), value: d.submittedAt ? formatDateTime(ctx.locale, d.submittedAt) : '—' },
          { key: ctx.t('dossier.ack.due'), value: d.dueAt ? formatDate(ctx.locale, d.dueAt) : ctx.t('dossier.ack.dueNone') },
          ...(d.resultDelivery ? [{ key: ctx.t('apply.delivery.legend'), value: ctx.t(`apply.delivery.${d.resultDelivery}`) }] : []),
        ]}
      />
      <p>
        <a href={`/ho-so/${d.id}/xac-nhan.pdf`}>{ctx.t('apply.done.receipt')}</a> · <a href={`/tra-cuu/${encodeURIComponent(d.code!)}`}>{ctx.t('apply.done.track')}</a>
      </p>
      {fee ? <FeeDuePanel ctx={ctx} fee={fee} payerId={d.applicantIdNumber} status={d.status} /> : null}
      {d.status === 'supplementation' ? (
        <>
          <SupplementRequest ctx={ctx} detail={detail} />
          <p>
            <Button href={`/ho-so/${d.id}/kiem-tra`}>{ctx.t('dossier.supplement.action')}</Button>
          </p>
        </>
      ) : null}
      <h2>{ctx.t('track.timeline')}</h2>
      <Timeline ctx={ctx} events={detail.events.map((e) => ({ at: e.at, actionText: eventText(ctx.locale, e.action, e.toStatus), statusText: ctx.t(`dossier.status.${e.toStatus}`), agency: e.agencyName }))} />
      {detail.attachments.length > 0 ? (
        <>
          <h2>{ctx.t('apply.documents.title')}</h2>
          <ul>
            {detail.attachments.map((a) => (
              <li>
                <a href={`/ho-so/${d.id}/tep/${a.id}`}>{a.fileName}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.status === 'returned' ? <RatingForm ctx={ctx} id={d.id} rated={rated} errors={errors} values={ratingValues} /> : null}
      {d.status === 'new' ? (
        <>
          <h2>{ctx.t('apply.withdraw.title')}</h2>
          <Form ctx={ctx} action={`/ho-so/${d.id}/rut`}>
            <Textarea name="reason" label={ctx.t('apply.withdraw.reason')} hint={ctx.t('apply.withdraw.hint')} error={errors.byField.reason} maxLength={1000} rows={3} />
            <Button variant="warning">{ctx.t('apply.withdraw.button')}</Button>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}

function RepositoryPage({ ctx, items }: { ctx: PageContext; items: Awaited<ReturnType<typeof listRepositoryItems>> }) {
  return (
    <Layout ctx={ctx} title={ctx.t('apply.repository.title')}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: '/ho-so', label: ctx.t('apply.mine.title') }]} />
      <h1>{ctx.t('apply.repository.title')}</h1>
      <p>{ctx.t('apply.repository.intro')}</p>
      {items.length === 0 ? (
        <p>{ctx.t('apply.repository.empty')}</p>
      ) : (
        <Table
          caption={ctx.t('apply.repository.title')}
          columns={[
            { header: ctx.t('apply.repository.file'), cell: (i) => <a href={`/kho-du-lieu/${i.id}`}>{i.title ?? i.fileName}</a> },
            { header: ctx.t('apply.repository.kind'), cell: (i) => ctx.t(i.kind === 'result' ? 'apply.repository.result' : 'apply.repository.upload') },
            { header: ctx.t('apply.repository.size'), cell: (i) => formatSize(Number(i.size)), numeric: true },
            { header: ctx.t('apply.mine.date'), cell: (i) => formatDate(ctx.locale, new Date(i.createdAt)) },
          ]}
          rows={items}
        />
      )}
    </Layout>
  );
}

function TrackSearchPage({ ctx, code, errors }: { ctx: PageContext; code?: string | undefined; errors: FormErrors }) {
  return (
    <Layout ctx={ctx} title={ctx.t('track.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('track.title')}</h1>
      <Form ctx={ctx} action="/tra-cuu" method="get">
        <TextInput name="ma" label={ctx.t('track.code')} hint={ctx.t('track.codeHint')} value={code} error={errors.byField.ma} maxLength={60} />
        <Button>{ctx.t('track.search')}</Button>
      </Form>
    </Layout>
  );
}

function TrackPage({ ctx, view, errors }: { ctx: PageContext; view: TrackingView & { proofMismatch: boolean }; errors: FormErrors }) {
  return (
    <Layout ctx={ctx} title={`${ctx.t('track.title')} ${view.code}`} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: '/tra-cuu', label: ctx.t('track.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>
        {ctx.t('track.dossier')} <span class="dossier-code">{view.code}</span>
      </h1>
      <p class="lead">
        <StatusTag ctx={ctx} status={view.status} />
      </p>
      <SummaryList
        rows={[
          { key: ctx.t('apply.mine.procedure'), value: view.procedure.name },
          { key: ctx.t('apply.agency.label'), value: view.agency?.name ?? '—' },
          { key: ctx.t('dossier.ack.submittedAt'), value: formatDateTime(ctx.locale, view.submittedAt) },
          { key: ctx.t('dossier.ack.due'), value: view.dueAt ? formatDate(ctx.locale, view.dueAt) : ctx.t('dossier.ack.dueNone') },
          ...(view.applicant
            ? [
                { key: ctx.t('dossier.ack.applicant'), value: view.applicant.name ?? '—' },
                { key: ctx.t('track.phone'), value: view.applicant.phone ?? '—' },
              ]
            : []),
        ]}
      />
      {view.owner && view.dossierId ? (
        <p>
          <a href={`/ho-so/${view.dossierId}`}>{ctx.t('track.openMine')}</a> · <a href={`/ho-so/${view.dossierId}/xac-nhan.pdf`}>{ctx.t('apply.done.receipt')}</a>
        </p>
      ) : null}
      <h2>{ctx.t('track.timeline')}</h2>
      <Timeline ctx={ctx} events={view.events} />
      {view.applicant ? null : (
        <>
          <h2>{ctx.t('track.prove')}</h2>
          <p>{ctx.t('track.proveHint')}</p>
          <Form ctx={ctx} action={`/tra-cuu/${encodeURIComponent(view.code)}`}>
            <TextInput name="proof" label={ctx.t('track.proofLabel')} error={errors.byField.proof} maxLength={20} inputmode="numeric" autocomplete="off" />
            <Button variant="secondary">{ctx.t('track.show')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

// ---------- routes ----------

export const dossierPages: FastifyPluginAsyncTypebox<{ deps: DossierDeps; trackLookupsPerMinute: number }> = async (app, { deps, trackLookupsPerMinute }) => {
  const trackLimit = { rateLimit: trackLookupsPerMinute > 0 ? { max: trackLookupsPerMinute, timeWindow: '1 minute' } : (false as const) };

  /** The page's dossier, or the draft's current step when a draft is asked for as a dossier. */
  async function loadDetail(request: FastifyRequest) {
    return getMyDossierDetail(deps, request.actor, (request.params as { id: string }).id);
  }

  /** The wizard pages serve a draft, and a dossier sent back for supplementation. */
  function requireDraftPage(detail: Detail, reply: FastifyReply): boolean {
    if (detail.dossier.status === 'draft' || detail.dossier.status === 'supplementation') return true;
    void reply.redirect(`/ho-so/${detail.dossier.id}`, 303);
    return false;
  }

  app.get('/thu-tuc/:code/nop-truc-tuyen', { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 40 }) }), response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const procedure = await findPublishedProcedure(deps.db, request.params.code);
    if (!procedure) throw new AppError('not_found');
    const owner = ownerAccountIdOf(request.actor);
    if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
    if (owner === undefined) throw new AppError('not_found');
    const drafts = await deps.db
      .selectFrom('dossier')
      .select(['id', 'updatedAt'])
      .where('ownerAccountId', '=', owner)
      .where('status', '=', 'draft')
      .where('procedureId', '=', procedure.id)
      .orderBy('updatedAt', 'desc')
      .limit(5)
      .execute();
    return sendPage(reply, <StartPage ctx={ctx} procedure={procedure} drafts={drafts} />, procedure.acceptsOnline ? 200 : 422);
  });

  app.post('/thu-tuc/:code/nop-truc-tuyen', { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 40 }) }), body: Type.Object({ _csrf: Str() }), response: HtmlResponse } }, async (request, reply) => {
    const { id } = await createDraft(deps, request.actor, { procedureCode: request.params.code }, meta(request));
    return reply.redirect(stepHref(id, 1), 303);
  });

  app.get('/ho-so', { schema: { ...hide, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }), response: HtmlResponse } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
    const list = await listMyDossiers(deps, request.actor, request.query.page ?? 1, 50);
    return sendPage(reply, <MyDossiersPage ctx={pageContext(request, reply)} list={list} />);
  });

  app.get('/ho-so/:id', { schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) => {
    const detail = await loadDetail(request);
    if (detail.dossier.status === 'draft') return reply.redirect(stepHref(detail.dossier.id, Math.max(1, detail.dossier.currentStep)), 303);
    const rated = detail.dossier.status === 'returned' && (await findRating(deps, detail.dossier.id)) !== undefined;
    return sendPage(reply, <DossierPage ctx={pageContext(request, reply)} detail={detail} errors={noErrors} rated={rated} fee={await feeDueOf(deps.db, detail.dossier)} />);
  });

  app.post('/ho-so/:id/danh-gia', { schema: { ...hide, params: IdParams, body: Type.Record(Type.String(), Type.String({ maxLength: 3000 })), response: HtmlResponse } }, async (request, reply) => {
    const body = request.body as Record<string, string>;
    const ratings = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('rating.')).map(([k, v]) => [k.slice('rating.'.length), /^\d$/.test(v) ? Number(v) : Number.NaN]));
    try {
      await rateDossier(deps, request.actor, request.params.id, { ratings, comment: body.comment }, meta(request));
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'unprocessable' && error.code !== 'conflict')) throw error;
      const detail = await loadDetail(request);
      const ctx = pageContext(request, reply);
      return sendPage(reply, <DossierPage ctx={ctx} detail={detail} errors={formErrors(ctx, error)} rated={error.code === 'conflict'} ratingValues={body} />, error.status);
    }
    return reply.redirect(`/ho-so/${request.params.id}`, 303);
  });

  const StepParams = Type.Object({ id: Type.String({ maxLength: 40 }), n: Type.Integer({ minimum: 1, maximum: 50 }) });
  const StepQuery = Type.Object({ tu: Type.Optional(Type.Literal('kiem-tra')) });

  app.get('/ho-so/:id/buoc/:n', { schema: { ...hide, params: StepParams, querystring: StepQuery, response: HtmlResponse } }, async (request, reply) => {
    const detail = await getMyDossierDetail(deps, request.actor, request.params.id);
    if (!requireDraftPage(detail, reply)) return reply;
    const ctx = pageContext(request, reply);
    const steps = wizardSteps(ctx, detail.procedure);
    if (request.params.n > steps.length) return reply.redirect(detail.slots.length ? documentsHref(detail.dossier.id) : checkHref(detail.dossier.id), 303);
    const agencyCode = detail.procedure.agencies.find((a) => a.id === detail.dossier.agencyId)?.code;
    return sendPage(
      reply,
      <StepPage ctx={ctx} detail={detail} steps={steps} n={request.params.n} data={detail.dossier.data} agencyCode={agencyCode} errors={noErrors} address={await addressChoices(deps)} returnToCheck={request.query.tu === 'kiem-tra'} />,
    );
  });

  app.post('/ho-so/:id/buoc/:n', { schema: { ...hide, params: StepParams, querystring: StepQuery, body: Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 50 })])), response: HtmlResponse } }, async (request, reply) => {
    const detail = await getMyDossierDetail(deps, request.actor, request.params.id);
    if (!requireDraftPage(detail, reply)) return reply;
    const ctx = pageContext(request, reply);
    const steps = wizardSteps(ctx, detail.procedure);
    const n = request.params.n;
    const step = steps[n - 1];
    if (!step) throw new AppError('not_found');
    const id = detail.dossier.id;
    const body = request.body as Record<string, unknown>;
    const address = await addressChoices(deps);
    const returnToCheck = request.query.tu === 'kiem-tra';
    const next = returnToCheck ? checkHref(id) : n < steps.length ? stepHref(id, n + 1) : detail.slots.length ? documentsHref(id) : checkHref(id);
    if (step.kind === 'agency') {
      const agencyCode = typeof body.agencyCode === 'string' ? body.agencyCode : '';
      if (!agencyCode) {
        const errors = errorsFromProblems([{ name: 'agencyCode', message: ctx.t('dossier.error.agencyRequired') }]);
        return sendPage(reply, <StepPage ctx={ctx} detail={detail} steps={steps} n={n} data={detail.dossier.data} agencyCode={undefined} errors={errors} address={address} returnToCheck={returnToCheck} />, 422);
      }
      try {
        await saveDraft(deps, request.actor, id, { agencyCode, currentStep: n + 1 }, meta(request));
      } catch (error) {
        if (!isAppError(error) || error.code !== 'invalid_input') throw error;
        return sendPage(reply, <StepPage ctx={ctx} detail={detail} steps={steps} n={n} data={detail.dossier.data} agencyCode={agencyCode} errors={formErrors(ctx, error)} address={address} returnToCheck={returnToCheck} />, 422);
      }
      return reply.redirect(next, 303);
    }
    // The step's answers are saved even when some are wrong, so nothing typed is lost.
    let stepData = parseStepData(detail.procedure.formSchema, step.fields, body);
    const merged: Record<string, unknown> = { ...detail.dossier.data };
    for (const field of step.fields) {
      if (stepData[field] === undefined) delete merged[field];
      else merged[field] = stepData[field];
    }
    const repeat = parseRepeatAction(body);
    const data = repeat ? applyRepeatAction(merged, repeat) : merged;
    stepData = data;
    await saveDraft(deps, request.actor, id, { data, currentStep: n }, meta(request));
    const agencyCode = detail.procedure.agencies.find((a) => a.id === detail.dossier.agencyId)?.code;
    if (repeat) {
      return sendPage(reply, <StepPage ctx={ctx} detail={detail} steps={steps} n={n} data={stepData} agencyCode={agencyCode} errors={noErrors} address={address} returnToCheck={returnToCheck} />);
    }
    const problems = validateEformData(detail.procedure.formSchema, data, { fields: step.fields, locale: ctx.locale, communeCodes: await communeCodes(deps) });
    if (problems.length) {
      return sendPage(reply, <StepPage ctx={ctx} detail={detail} steps={steps} n={n} data={data} agencyCode={agencyCode} errors={errorsFromProblems(problems)} address={address} returnToCheck={returnToCheck} />, 422);
    }
    await saveDraft(deps, request.actor, id, { currentStep: n + 1 }, meta(request));
    return reply.redirect(next, 303);
  });

  const renderDocuments = async (request: FastifyRequest, reply: FastifyReply, errors: FormErrors, status = 200) => {
    const detail = await loadDetail(request);
    if (!requireDraftPage(detail, reply)) return reply;
    const ctx = pageContext(request, reply);
    const repository = await listRepositoryItems(deps, request.actor);
    return sendPage(reply, <DocumentsPage ctx={ctx} detail={detail} steps={wizardSteps(ctx, detail.procedure)} repository={repository} errors={errors} maxMb={Math.round(deps.uploadMaxBytes / 1024 / 1024)} />, status);
  };

  app.get('/ho-so/:id/giay-to', { schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) => renderDocuments(request, reply, noErrors));

  app.post(
    '/ho-so/:id/giay-to',
    { schema: { ...hide, params: IdParams, querystring: Type.Object({ _csrf: Str() }), response: HtmlResponse }, validatorCompiler: () => () => true },
    async (request, reply) => {
      let slot = -1;
      try {
        const part = await readUploadPart(request, deps.uploadMaxBytes);
        const slotText = fieldValue(part, 'slot');
        slot = slotText !== undefined && /^\d{1,3}$/.test(slotText) ? Number(slotText) : -1;
        if (!part.filename) {
          part.file.resume();
          throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: `slot.${slot}`, message: { key: 'dossier.error.fileMissing' } }]);
        }
        await addAttachment(deps, request.actor, request.params.id, { slot, fileName: part.filename, stream: part.file, truncated: () => part.file.truncated }, meta(request));
      } catch (error) {
        if (!isAppError(error) || error.status >= 500 || error.code === 'not_found' || error.code === 'unauthenticated') throw error;
        const ctx = pageContext(request, reply);
        const message = error.problems.length ? formErrors(ctx, error).summary[0]!.message : ctx.t(error.messageKey, error.params);
        return renderDocuments(request, reply, errorsFromProblems([{ name: `slot.${slot}`, message }]), error.status);
      }
      return reply.redirect(documentsHref(request.params.id), 303);
    },
  );

  app.post('/ho-so/:id/giay-to/kho', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), slot: Str(5), itemId: Str(40) }), response: HtmlResponse } }, async (request, reply) => {
    const slot = /^\d{1,3}$/.test(request.body.slot ?? '') ? Number(request.body.slot) : -1;
    try {
      await attachFromRepository(deps, request.actor, request.params.id, { slot, itemId: request.body.itemId ?? '' }, meta(request));
    } catch (error) {
      if (!isAppError(error) || error.status >= 500 || error.code === 'unauthenticated') throw error;
      const ctx = pageContext(request, reply);
      const message = error.code === 'not_found' ? ctx.t('dossier.error.fileMissing') : error.problems.length ? formErrors(ctx, error).summary[0]!.message : ctx.t(error.messageKey, error.params);
      return renderDocuments(request, reply, errorsFromProblems([{ name: `slot.${slot}`, message }]), error.code === 'not_found' ? 400 : error.status);
    }
    return reply.redirect(documentsHref(request.params.id), 303);
  });

  app.post('/ho-so/:id/giay-to/xoa', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), attachmentId: Str(40), remove: Str(40) }), response: HtmlResponse } }, async (request, reply) => {
    await removeAttachment(deps, request.actor, request.params.id, request.body.attachmentId ?? '', meta(request));
    return reply.redirect(documentsHref(request.params.id), 303);
  });

  const renderCheck = async (request: FastifyRequest, reply: FastifyReply, errors: FormErrors, status = 200, delivery?: { method: string | undefined; post: unknown }) => {
    const detail = await loadDetail(request);
    if (!requireDraftPage(detail, reply)) return reply;
    const ctx = pageContext(request, reply);
    const steps = wizardSteps(ctx, detail.procedure);
    return sendPage(reply, <CheckPage ctx={ctx} detail={detail} steps={steps} address={await addressChoices(deps)} errors={linkProblemsToSteps(errors, detail.dossier.id, steps)} submitKey={`web-${randomToken(12)}`} {...(delivery ? { delivery } : {})} />, status);
  };

  app.get('/ho-so/:id/kiem-tra', { schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) => {
    const detail = await loadDetail(request);
    if (!requireDraftPage(detail, reply)) return reply;
    const ctx = pageContext(request, reply);
    const problems = await submissionProblems(deps, detail.dossier, detail.procedure, ctx.locale);
    return renderCheck(request, reply, problems.length ? formErrors(ctx, new AppError('unprocessable', 'dossier.error.invalidData', {}, problems)) : noErrors);
  });

  app.post('/ho-so/:id/nop', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), submitKey: Str(100), notifyEmail: Str(5), notifySms: Str(5), delivery: Str(20) }), response: HtmlResponse } }, async (request, reply) => {
    const id = request.params.id;
    const detail = await loadDetail(request);
    // The address fields are the postal e-form's (f.resultPost.…), parsed as every step is.
    const post = parseStepData(postalAddressForm, ['resultPost'], request.body as Record<string, unknown>).resultPost as ResultDeliveryInput['post'];
    // A form without the choice (an older page) leaves the stored choice as it is.
    const delivery = request.body.delivery === undefined ? undefined : { method: request.body.delivery, post };
    if (detail.dossier.status === 'draft' || detail.dossier.status === 'supplementation') {
      try {
        await saveDraft(deps, request.actor, id, { notify: { email: request.body.notifyEmail === 'yes', sms: request.body.notifySms === 'yes' }, resultDelivery: delivery }, { ...meta(request), locale: resolveLocale(request) });
      } catch (error) {
        if (!isAppError(error) || error.code !== 'unprocessable') throw error;
        return renderCheck(request, reply, formErrors(pageContext(request, reply), error), 422, delivery);
      }
    }
    try {
      if (detail.dossier.status === 'supplementation') {
        await resubmitDossier(deps, request.actor, id, request.body.submitKey || `web-${id}-${detail.dossier.version}`, meta(request));
        return reply.redirect(`/ho-so/${id}`, 303);
      }
      await submitDossier(deps, request.actor, id, request.body.submitKey || `web-${id}`, meta(request));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'unprocessable') throw error;
      return renderCheck(request, reply, formErrors(pageContext(request, reply), error), 422);
    }
    return reply.redirect(`/ho-so/${id}/da-nop`, 303);
  });

  app.get('/ho-so/:id/da-nop', { schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) => {
    const detail = await loadDetail(request);
    if (detail.dossier.status === 'draft') return reply.redirect(checkHref(detail.dossier.id), 303);
    return sendPage(reply, <ConfirmationPage ctx={pageContext(request, reply)} detail={detail} fee={await feeDueOf(deps.db, detail.dossier)} />);
  });

  app.post('/ho-so/:id/rut', { schema: { ...hide, params: IdParams, body: Type.Object({ _csrf: Str(), reason: Str(2000) }), response: HtmlResponse } }, async (request, reply) => {
    try {
      await withdrawDossier(deps, request.actor, request.params.id, { reason: request.body.reason ?? '' }, meta(request));
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
      const detail = await loadDetail(request);
      const ctx = pageContext(request, reply);
      return sendPage(reply, <DossierPage ctx={ctx} detail={detail} errors={formErrors(ctx, error)} fee={await feeDueOf(deps.db, detail.dossier)} />, error.status);
    }
    return reply.redirect(`/ho-so/${request.params.id}`, 303);
  });

  app.get('/ho-so/:id/xac-nhan.pdf', { schema: { ...hide, params: IdParams, response: { 200: { content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } } } } }, async (request, reply) => {
    const { code, pdf } = await renderAcknowledgement(deps, request.actor, request.params.id, resolveLocale(request));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="xac-nhan-${code.replace(/[^A-Za-z0-9.-]/g, '_')}.pdf"`).send(pdf as never);
  });

  const sendFile = (reply: FastifyReply, file: Awaited<ReturnType<typeof openOwnFile>>) =>
    reply
      .type(file.mediaType)
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      // Never rendered inline as HTML: the type is one of the checked ones, and it downloads.
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(file.stream);

  app.get('/ho-so/:id/tep/:attachmentId', { schema: { ...hide, params: Type.Object({ id: Type.String({ maxLength: 40 }), attachmentId: Type.String({ maxLength: 40 }) }) } }, async (request, reply) =>
    sendFile(reply, await openOwnFile(deps, request.actor, { dossierId: request.params.id, attachmentId: request.params.attachmentId })),
  );

  app.get('/kho-du-lieu', { schema: { ...hide, response: HtmlResponse } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
    return sendPage(reply, <RepositoryPage ctx={pageContext(request, reply)} items={await listRepositoryItems(deps, request.actor)} />);
  });

  app.get('/kho-du-lieu/:itemId', { schema: { ...hide, params: Type.Object({ itemId: Type.String({ maxLength: 40 }) }) } }, async (request, reply) =>
    sendFile(reply, await openOwnFile(deps, request.actor, { itemId: request.params.itemId })),
  );

  app.get('/tra-cuu', { config: trackLimit, schema: { ...hide, querystring: Type.Object({ ma: Str(80) }), response: HtmlResponse } }, async (request, reply) => {
    const code = request.query.ma?.trim();
    if (code) return reply.redirect(`/tra-cuu/${encodeURIComponent(code)}`, 303);
    return sendPage(reply, <TrackSearchPage ctx={pageContext(request, reply)} errors={noErrors} />);
  });

  const renderTrack = async (request: FastifyRequest, reply: FastifyReply, proof: string | undefined) => {
    const ctx = pageContext(request, reply);
    const code = (request.params as { code: string }).code;
    const digits = proof?.replace(/[\s.-]/g, '') ?? '';
    if (proof !== undefined && !/^(0\d{9}|\d{12})$/.test(digits)) {
      const view = await trackDossier(deps, request.actor, code, {}, ctx.locale).catch(() => undefined);
      if (!view) return sendPage(reply, <TrackSearchPage ctx={ctx} code={code} errors={errorsFromProblems([{ name: 'ma', message: ctx.t('track.notFound') }])} />, 404);
      return sendPage(reply, <TrackPage ctx={ctx} view={view} errors={errorsFromProblems([{ name: 'proof', message: ctx.t('dossier.error.trackKey') }])} />, 400);
    }
    const claim = digits.length === 12 ? { idNumber: digits } : digits ? { phone: digits } : {};
    let view;
    try {
      view = await trackDossier(deps, request.actor, code, claim, ctx.locale);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'not_found') throw error;
      return sendPage(reply, <TrackSearchPage ctx={ctx} code={code} errors={errorsFromProblems([{ name: 'ma', message: ctx.t('track.notFound') }])} />, 404);
    }
    const errors = view.proofMismatch ? errorsFromProblems([{ name: 'proof', message: ctx.t('dossier.error.trackMismatch') }]) : noErrors;
    return sendPage(reply, <TrackPage ctx={ctx} view={view} errors={errors} />, view.proofMismatch ? 400 : 200);
  };

  const CodeParams = Type.Object({ code: Type.String({ maxLength: 80 }) });
  app.get('/tra-cuu/:code', { config: trackLimit, schema: { ...hide, params: CodeParams, response: HtmlResponse } }, async (request, reply) => renderTrack(request, reply, undefined));
  app.post('/tra-cuu/:code', { config: trackLimit, schema: { ...hide, params: CodeParams, body: Type.Object({ _csrf: Str(), proof: Str(40) }), response: HtmlResponse } }, async (request, reply) =>
    renderTrack(request, reply, request.body.proof ?? ''),
  );
};
