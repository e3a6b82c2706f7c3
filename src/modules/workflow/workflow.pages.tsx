// The back office's dossier pages (UI.md, "Officers: the back office"), the HTML twin of
// workflow.routes.ts: the inbox (tabs with counts, the table by due date, a procedure filter kept
// in the address, pages) and the dossier on one screen (the facts and the clock, the allowed
// actions, the applicant, the answers, the files, forms 01–05, the history). No script: every
// action is a real <form> posting to /quan-tri/ho-so/:code/:action with the version of the dossier
// it was drawn from; a stale page or a refused action answers 409 and a missing reason 422, each
// with the dossier page as it stands now. Only officers who may read dossiers get in; a dossier of
// another agency answers 404 like one that does not exist.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import {
  Breadcrumbs,
  Button,
  Fieldset,
  fieldId,
  NotificationBanner,
  Pagination,
  problemsForSummary,
  Radios,
  Select,
  SummaryList,
  Table,
  Tabs,
  Tag,
  Textarea,
  TextInput,
} from '../../platform/html/components.js';
import { Form, FormErrorSummary, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import { hrefWith, type PageContext } from '../../platform/html/page-context.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { hiddenFromApi, HtmlResponse, optionalText } from '../../platform/http/route-schemas.js';
import type { MessageKey } from '../../platform/i18n/i18n.js';
import { formatDate, formatDateTime } from '../../platform/text/vietnam-time.js';
import { formatVnd } from '../../platform/text/money.js';
import { formSteps } from '../catalog/catalog.service.js';
import { StatusTag } from '../dossier/dossier.pages.js';
import { eformAnswerRows, isUuid, listAttachments, type DossierDeps, type DossierStatus } from '../dossier/dossier.service.js';
import { officerGate } from '../identity/backoffice.pages.js';
import {
  inboxProcedures,
  isOfficerForm,
  loadOfficerDossier,
  postAddressText,
  renderOfficerForm,
  stepNames,
  type DossierEvent,
  type DueClock,
  type OfficerDossierPage,
} from './officer-dossier.js';
import { dossierActions, findTransition, type DossierAction } from './transitions.js';
import { canReceiveWalkIn, ScanUploads, WalkInLink } from './walk-in.pages.js';
import { stepById } from './workflow-steps.js';
import { InboxTabSchema } from './workflow.schemas.js';
import { canUseInbox, getOfficerDossier, inboxTabs, listInbox, performAction, type ActionInput, type InboxTab } from './workflow.service.js';

const hide = hiddenFromApi;
const Str = optionalText;
const INBOX = '/quan-tri/ho-so';
const PAGE_SIZE = 25;
/** Rows of the supplementation form (Circular 01/2018 form 02 lists each item with its reason). */
const ITEM_ROWS = 5;

const dossierHref = (code: string) => `${INBOX}/${encodeURIComponent(code)}`;
const isAction = (value: string): value is DossierAction => (dossierActions as readonly string[]).includes(value);
const actionWords = (ctx: PageContext, action: string) => (isAction(action) || action === 'receive_in_person' ? ctx.t(`workflow.action.${action}`) : action);
const statusWords = (ctx: PageContext, status: string) => ctx.t(`dossier.status.${status}` as MessageKey);

type Inbox = Awaited<ReturnType<typeof listInbox>>;

// ---------- pieces ----------

function DueTag({ ctx, flag }: { ctx: PageContext; flag: 'overdue' | 'due_soon' | null }) {
  if (!flag) return null;
  return <Tag colour={flag === 'overdue' ? 'red' : 'amber'}>{ctx.t(`workflow.flag.${flag}`)}</Tag>;
}

function number(ctx: PageContext, n: number): string {
  return new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
}

/** The appointment, its colour with its word, and the office time left or past. */
function DueValue({ ctx, clock }: { ctx: PageContext; clock: DueClock }) {
  if (!clock.due) return <>{ctx.t('workflow.due.none')}</>;
  const r = clock.remaining;
  const words = r
    ? ctx.t(r.late ? (r.unit === 'days' ? 'workflow.due.daysOver' : 'workflow.due.hoursOver') : r.unit === 'days' ? 'workflow.due.daysLeft' : 'workflow.due.hoursLeft', { n: number(ctx, r.n) })
    : clock.flag === 'overdue'
      ? ctx.t('workflow.due.justOver')
      : null;
  return (
    <>
      <strong>{formatDateTime(ctx.locale, clock.due)}</strong> <DueTag ctx={ctx} flag={clock.flag} />
      {clock.state === 'paused' ? (
        <>
          {' '}
          <Tag colour="grey">{ctx.t('workflow.flag.paused')}</Tag> <span class="small">{ctx.t('workflow.due.paused')}</span>
        </>
      ) : null}
      {words ? <span class="small"> · {words}</span> : null}
    </>
  );
}

// ---------- the inbox ----------

function InboxPage({ ctx, inbox, procedures, steps, receives }: { ctx: PageContext; inbox: Inbox; procedures: { code: string; name: string }[]; steps: Map<string, Map<string, string>>; receives: boolean }) {
  const procedure = ctx.query.procedure || undefined;
  const tabHref = (tab: InboxTab) => hrefWith(INBOX, { tab: tab === 'all' ? undefined : tab, procedure });
  const tabName = ctx.t(`workflow.tab.${inbox.tab}`);
  const shorten = (text: string) => (text.length > 90 ? `${text.slice(0, 89)}…` : text);
  return (
    <Layout ctx={ctx} title={inbox.tab === 'all' ? ctx.t('workflow.inbox.title') : `${tabName} – ${ctx.t('workflow.inbox.title')}`}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { label: ctx.t('workflow.inbox.title') }]} />
      <h1>{ctx.t('workflow.inbox.title')}</h1>
      {receives ? <WalkInLink ctx={ctx} /> : null}
      <Form ctx={ctx} action={INBOX} method="get">
        {inbox.tab !== 'all' ? <input type="hidden" name="tab" value={inbox.tab} /> : null}
        <Select
          name="procedure"
          label={ctx.t('workflow.inbox.procedure')}
          value={procedure}
          emptyLabel={ctx.t('workflow.inbox.allProcedures')}
          options={procedures.map((p) => ({ value: p.code, label: shorten(`${p.code} · ${p.name}`) }))}
        />
        <p>
          <Button variant="secondary">{ctx.t('workflow.inbox.filter')}</Button>
          {procedure ? (
            <>
              {' '}
              <a href={hrefWith(INBOX, { tab: inbox.tab === 'all' ? undefined : inbox.tab })}>{ctx.t('workflow.inbox.clear')}</a>
            </>
          ) : null}
        </p>
      </Form>
      <nav aria-label={ctx.t('workflow.inbox.tabs')}>
        <Tabs items={inboxTabs.map((tab) => ({ href: tabHref(tab), label: ctx.t(`workflow.tab.${tab}`), count: inbox.counts[tab], current: tab === inbox.tab }))} />
      </nav>
      {inbox.items.length === 0 ? (
        <p>{ctx.t('workflow.inbox.empty')}</p>
      ) : (
        <>
          <p class="small">{ctx.t('workflow.inbox.caption', { tab: tabName, total: inbox.total })}</p>
          <Table
            caption={ctx.t('workflow.inbox.caption', { tab: tabName, total: inbox.total })}
            columns={[
              // One line per code (the table's no-wrap cell; codes have one length, so they still line up).
              { header: ctx.t('workflow.col.code'), cell: (r) => <a href={dossierHref(r.code!)}>{r.code}</a>, numeric: true },
              { header: ctx.t('workflow.col.procedure'), cell: (r) => r.procedureName },
              { header: ctx.t('workflow.col.applicant'), cell: (r) => r.applicantName ?? '—' },
              { header: ctx.t('workflow.col.status'), cell: (r) => <StatusTag ctx={ctx} status={r.status} /> },
              {
                header: ctx.t('workflow.col.step'),
                cell: (r) => (
                  <>
                    {r.workflowStep ? (steps.get(r.procedureCode)?.get(r.workflowStep) ?? r.workflowStep) : '—'}
                    {r.handlingAgencyName ? <span class="small"> {ctx.t('workflow.inbox.at', { agency: r.handlingAgencyName })}</span> : null}
                  </>
                ),
              },
              { header: ctx.t('workflow.col.assignee'), cell: (r) => r.assigneeName ?? '—' },
              {
                header: ctx.t('workflow.col.due'),
                cell: (r) =>
                  r.dueAt ? (
                    <>
                      {formatDate(ctx.locale, new Date(r.dueAt))} <DueTag ctx={ctx} flag={r.flag} />
                    </>
                  ) : (
                    '—'
                  ),
              },
            ]}
            rows={inbox.items}
          />
        </>
      )}
      <Pagination ctx={ctx} page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} />
    </Layout>
  );
}

// ---------- the dossier ----------

/** The action that failed on this render, with what was typed and why it failed. */
interface Failed {
  action: DossierAction;
  values: Record<string, string | undefined>;
  errors: FormErrors;
}

// Red for the actions that turn the dossier away or back; green for the rest (a secondary button
// would not show on the grey of the actions box).
const warningActions: readonly DossierAction[] = ['refuse', 'stop', 'send_back'];
const variantOf = (action: DossierAction) => (warningActions.includes(action) ? 'warning' : 'primary');

function ActionForm({ ctx, page, action, failed }: { ctx: PageContext; page: OfficerDossierPage; action: DossierAction; failed: Failed | undefined }) {
  const d = page.view.dossier;
  const requires = findTransition(action, d.status, page.view.roles)?.requires ?? [];
  const mine = failed?.action === action ? failed : undefined;
  const e = mine?.errors.byField ?? {};
  const v = mine?.values ?? {};
  const id = (name: string) => fieldId(`${action}.${name}`);
  const reasonKey = (['refuse', 'process', 'send_back', 'request_payment', 'stop', 'apologize'] as const).find((a) => a === action);
  const form = (
    <Form ctx={ctx} action={`${dossierHref(d.code!)}/${action}`}>
      <input type="hidden" name="version" value={String(d.version)} />
      {requires.includes('items') ? (
        <Fieldset id={id('items')} legend={ctx.t('workflow.items.legend')} hint={ctx.t('workflow.items.hint')} error={e.items}>
          {Array.from({ length: ITEM_ROWS }, (_, i) => (
            <div class="grid">
              <TextInput id={id(`items.${i}.item`)} name={`items.${i}.item`} label={ctx.t('workflow.items.item', { n: i + 1 })} value={v[`items.${i}.item`]} maxLength={500} />
              <TextInput id={id(`items.${i}.reason`)} name={`items.${i}.reason`} label={ctx.t('workflow.items.reason', { n: i + 1 })} value={v[`items.${i}.reason`]} maxLength={1000} />
            </div>
          ))}
        </Fieldset>
      ) : null}
      {requires.includes('assignee') ? (
        <Select
          id={id('assignee')}
          name="assignee"
          label={ctx.t('workflow.assignee.label')}
          value={v.assignee}
          error={e.assignee}
          emptyLabel={ctx.t('workflow.assignee.choose')}
          options={page.assignees.map((a) => ({ value: String(a.id), label: a.fullName }))}
        />
      ) : null}
      {requires.includes('fees') ? (
        <Fieldset id={id('fees')} legend={ctx.t('workflow.fees.legend')} hint={ctx.t('workflow.fees.hint')} error={e.fees}>
          {page.fees.map((fee, i) =>
            fee.amountVnd > 0 ? (
              <div class="checkbox">
                <input type="checkbox" id={i === 0 ? id('fees') + '-1' : `${id('fees')}-${i + 1}`} name="fees" value={String(i)} checked={[v.fees].flat().includes(String(i))} />
                <label for={i === 0 ? id('fees') + '-1' : `${id('fees')}-${i + 1}`}>
                  {fee.name}: <strong>{formatVnd(ctx.locale, fee.amountVnd)}</strong>
                </label>
              </div>
            ) : null,
          )}
        </Fieldset>
      ) : null}
      {requires.includes('reason') ? (
        <Textarea
          id={id('reason')}
          name="reason"
          label={ctx.t(reasonKey ? `workflow.reason.${reasonKey}` : 'workflow.reason.other')}
          hint={action === 'process' ? undefined : ctx.t('workflow.reason.hint')}
          value={v.reason}
          error={e.reason}
          rows={3}
          maxLength={2000}
        />
      ) : null}
      {requires.includes('newDueDate') ? (
        <TextInput id={id('newDueDate')} name="newDueDate" type="date" label={ctx.t('workflow.newDueDate.label')} hint={ctx.t('workflow.newDueDate.hint')} value={v.newDueDate} error={e.newDueDate} maxLength={10} />
      ) : null}
      {requires.includes('delivery') ? (
        <Radios
          id={id('delivery')}
          name="delivery"
          label={ctx.t('workflow.delivery.label')}
          value={v.delivery ?? page.view.dossier.resultDelivery ?? undefined}
          error={e.delivery}
          options={(['in_person', 'post', 'online'] as const).map((o) => ({ value: o, label: ctx.t(`workflow.delivery.${o}`) }))}
        />
      ) : null}
      {requires.includes('delivery') ? (
        <TextInput id={id('shipmentReference')} name="shipmentReference" label={ctx.t('workflow.shipment.label')} value={v.shipmentReference} error={e.shipmentReference} maxLength={40} />
      ) : null}
      <Button variant={variantOf(action)}>{ctx.t(`workflow.action.${action}`)}</Button>
    </Form>
  );
  if (requires.length === 0) return form;
  // Each action that needs something asks for it here, folded until it is opened (no script).
  return (
    <details open={mine !== undefined}>
      <summary>{ctx.t(`workflow.action.${action}`)}</summary>
      {form}
    </details>
  );
}

function Actions({ ctx, page, failed }: { ctx: PageContext; page: OfficerDossierPage; failed: Failed | undefined }) {
  const { actions, roles } = page.view;
  const status = page.view.dossier.status;
  const plain = actions.filter((a) => (findTransition(a, status, roles)?.requires.length ?? 0) === 0);
  const asking = actions.filter((a) => !plain.includes(a));
  return (
    <section class="filters" id="thao-tac" aria-labelledby="thao-tac-title">
      <h2 id="thao-tac-title" class="h3">
        {ctx.t('workflow.actions.title')}
      </h2>
      {actions.length === 0 ? <p>{ctx.t('workflow.actions.none')}</p> : null}
      {plain.length ? (
        <div class="grid">
          {plain.map((a) => (
            <ActionForm ctx={ctx} page={page} action={a} failed={failed} />
          ))}
        </div>
      ) : null}
      {asking.map((a) => (
        <ActionForm ctx={ctx} page={page} action={a} failed={failed} />
      ))}
    </section>
  );
}

function EventNote({ ctx, event }: { ctx: PageContext; event: DossierEvent }) {
  const details = event.details ?? {};
  const items = Array.isArray(details.items) ? (details.items as { item?: unknown; reason?: unknown }[]) : [];
  const newDue = typeof details.newDueAt === 'string' ? new Date(details.newDueAt) : null;
  const delivery = typeof details.delivery === 'string' && ['in_person', 'post', 'online'].includes(details.delivery) ? (details.delivery as 'in_person' | 'post' | 'online') : null;
  return (
    <>
      {event.reason ? <span class="eform-answer__pair">{event.reason}</span> : null}
      {items.length ? (
        <ol class="eform-answer__list">
          {items.map((i) => (
            <li>
              {String(i.item ?? '')}: {String(i.reason ?? '')}
            </li>
          ))}
        </ol>
      ) : null}
      {newDue && !Number.isNaN(newDue.getTime()) ? <span class="eform-answer__pair">{ctx.t('workflow.timeline.newDue', { date: formatDateTime(ctx.locale, newDue) })}</span> : null}
      {delivery ? <span class="eform-answer__pair">{ctx.t('workflow.timeline.delivery', { delivery: ctx.t(`workflow.delivery.${delivery}`) })}</span> : null}
    </>
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function DossierPage({ ctx, page, errors = noErrors, failed, done }: { ctx: PageContext; page: OfficerDossierPage; errors?: FormErrors; failed?: Failed; done?: DossierAction | undefined }) {
  const { view, events, attachments } = page;
  const d = view.dossier;
  const code = d.code!;
  const step = stepById(view.workflow, d.workflowStep);
  const procedureName = ctx.locale === 'en' && view.procedure.nameEn ? view.procedure.nameEn : view.procedure.name;
  const slotNames = new Map(page.slots.map((s) => [s.index, s.name]));
  const formSections = formSteps(view.procedure.formSchema);
  return (
    <Layout ctx={ctx} title={ctx.t('workflow.dossier.title', { code })} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs
        ctx={ctx}
        items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { href: INBOX, label: ctx.t('workflow.inbox.title') }, { label: code }]}
      />
      <FormErrorSummary ctx={ctx} errors={errors} />
      {done ? <NotificationBanner>{ctx.t('workflow.page.done', { action: actionWords(ctx, done), status: statusWords(ctx, d.status) })}</NotificationBanner> : null}
      <h1>{ctx.t('workflow.dossier.title', { code })}</h1>
      <p class="lead">{procedureName}</p>
      <SummaryList
        rows={[
          { key: ctx.t('workflow.field.status'), value: <StatusTag ctx={ctx} status={d.status} /> },
          { key: ctx.t('workflow.field.due'), value: <DueValue ctx={ctx} clock={page.clock} /> },
          ...(step
            ? [
                { key: ctx.t('workflow.field.step'), value: step.name },
                { key: ctx.t('workflow.field.holder'), value: d.assigneeName ?? ctx.t(`role.${step.role}` as MessageKey) },
              ]
            : []),
          ...(page.stepDue
            ? [
                {
                  key: ctx.t('workflow.field.stepDue'),
                  value: (
                    <>
                      {formatDateTime(ctx.locale, page.stepDue.at)} {page.stepDue.late ? <Tag colour="red">{ctx.t('workflow.flag.overdue')}</Tag> : null}
                    </>
                  ),
                },
              ]
            : []),
          { key: ctx.t('workflow.field.submittedAt'), value: d.submittedAt ? formatDateTime(ctx.locale, new Date(d.submittedAt)) : '—' },
          ...(d.acceptedAt ? [{ key: ctx.t('workflow.field.acceptedAt'), value: formatDateTime(ctx.locale, new Date(d.acceptedAt)) }] : []),
          { key: ctx.t('workflow.field.agency'), value: view.agency.name },
          ...(view.handlingAgency ? [{ key: ctx.t('workflow.field.handlingAgency'), value: view.handlingAgency.name }] : []),
          ...(d.resultPostAddress ? [{ key: ctx.t('workflow.field.postAddress'), value: postAddressText(page) }] : []),
          ...(d.resultShipmentRef ? [{ key: ctx.t('workflow.field.shipment'), value: d.resultShipmentRef }] : []),
          ...page.obligations.map((o) => ({ key: ctx.t('workflow.field.fee'), value: ctx.t(o.status === 'paid' ? 'workflow.fee.paid' : 'workflow.fee.unpaid', { amount: formatVnd(ctx.locale, o.total) }) })),
          { key: ctx.t('workflow.field.channel'), value: [1, 2, 3].includes(d.channel) ? ctx.t(`workflow.channel.${d.channel}` as MessageKey) : String(d.channel) },
        ]}
      />
      <Actions ctx={ctx} page={page} failed={failed} />

      <h2>{ctx.t('workflow.applicant.title')}</h2>
      <SummaryList
        rows={[
          { key: ctx.t('workflow.applicant.name'), value: d.applicantName ?? '—' },
          { key: ctx.t('workflow.applicant.idNumber'), value: d.applicantIdNumber ?? '—' },
          { key: ctx.t('workflow.applicant.phone'), value: d.applicantPhone ?? '—' },
          { key: ctx.t('workflow.applicant.email'), value: d.applicantEmail ?? '—' },
        ]}
      />

      {d.status === 'supplementation' && d.supplementItems?.length ? (
        <>
          <h2>{ctx.t('workflow.supplement.title')}</h2>
          <ol>
            {d.supplementItems.map((i) => (
              <li>
                <strong>{i.item}</strong>: {i.reason}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h2>{ctx.t('workflow.documents.title')}</h2>
      {attachments.length === 0 ? (
        <p>{ctx.t('workflow.documents.none')}</p>
      ) : (
        <Table
          caption={ctx.t('workflow.documents.title')}
          columns={[
            { header: ctx.t('workflow.documents.file'), cell: (a) => <a href={`${dossierHref(code)}/tep/${a.id}`}>{a.fileName}</a> },
            { header: ctx.t('workflow.documents.slot'), cell: (a) => slotNames.get(a.slot) ?? '—' },
            { header: ctx.t('workflow.documents.size'), cell: (a) => formatSize(Number(a.size)), numeric: true },
          ]}
          rows={attachments}
        />
      )}
      <ScanUploads ctx={ctx} page={page} errors={errors} />

      <h2>{ctx.t('workflow.answers.title')}</h2>
      {formSections.map((section) => (
        <>
          {formSections.length > 1 && section.title ? <h3>{section.title}</h3> : null}
          <SummaryList rows={eformAnswerRows(ctx, view.procedure.formSchema, section.fields, d.data, page.address)} />
        </>
      ))}

      <h2>{ctx.t('workflow.forms.title')}</h2>
      <ul>
        {page.forms.map((f) => (
          <li>
            <a href={`${dossierHref(code)}/phieu/${f}`}>{ctx.t(`workflow.forms.${f}`)}</a>
          </li>
        ))}
      </ul>

      <h2>{ctx.t('workflow.timeline.title')}</h2>
      <Table
        caption={ctx.t('workflow.timeline.title')}
        columns={[
          { header: ctx.t('workflow.timeline.at'), cell: (e) => <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(ctx.locale, new Date(e.at))}</time> },
          { header: ctx.t('workflow.timeline.action'), cell: (e) => actionWords(ctx, e.action) },
          { header: ctx.t('workflow.timeline.actor'), cell: (e) => e.actorName ?? (e.action === 'submit' ? (d.applicantName ?? '—') : '—') },
          { header: ctx.t('workflow.timeline.to'), cell: (e) => e.receiverName ?? '—' },
          { header: ctx.t('workflow.timeline.status'), cell: (e) => <StatusTag ctx={ctx} status={e.toStatus} /> },
          { header: ctx.t('workflow.timeline.note'), cell: (e) => <EventNote ctx={ctx} event={e} /> },
        ]}
        rows={events}
      />
    </Layout>
  );
}

/** A refused action's messages: 422 names the fields of that action's form; 409 says what happened. */
function actionErrors(ctx: PageContext, action: DossierAction, error: AppError, submittedVersion: number, now: { version: number; status: DossierStatus }): FormErrors {
  if (error.code === 'unprocessable' && error.problems.length) {
    const summary = problemsForSummary(ctx, error.problems).map((p) => ({ ...p, href: `#${fieldId(`${action}.${p.name === 'items' ? 'items.0.item' : p.name}`)}` }));
    const byField: Record<string, string> = {};
    for (const p of summary) byField[p.name] ??= p.message;
    return { summary, byField };
  }
  const message =
    submittedVersion !== now.version
      ? ctx.t('workflow.page.stale', { action: actionWords(ctx, action), status: statusWords(ctx, now.status) })
      : error.messageKey === 'workflow.error.notAllowed'
        ? ctx.t('workflow.error.notAllowed', {
            action: actionWords(ctx, action),
            status: statusWords(ctx, now.status),
            allowed:
              String(error.params.allowed ?? '')
                .split(', ')
                .filter(isAction)
                .map((a) => actionWords(ctx, a))
                .join(', ') || '—',
          })
        : ctx.t(error.messageKey, error.params);
  return { summary: [{ name: 'actions', message, href: '#thao-tac' }], byField: {}, general: message };
}

// ---------- routes ----------

const CodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
const itemFields: Record<string, TSchema> = Object.fromEntries(
  Array.from({ length: ITEM_ROWS }, (_, i) => [
    [`items.${i}.item`, Str(500)],
    [`items.${i}.reason`, Str(1000)],
  ]).flat(),
);
const ActionFormBody = Type.Object({
  _csrf: Str(),
  version: Str(12),
  reason: Str(2000),
  assignee: Str(12),
  newDueDate: Str(40),
  delivery: Str(20),
  shipmentReference: Str(40),
  // Ticked checkboxes: one value, or several with the same name.
  fees: Type.Optional(Type.Union([Type.String({ maxLength: 3 }), Type.Array(Type.String({ maxLength: 3 }), { maxItems: 100 })])),
  ...itemFields,
});

function actionInput(body: Record<string, unknown>, version: number): ActionInput {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const delivery = text('delivery');
  return {
    version,
    reason: text('reason'),
    items: Array.from({ length: ITEM_ROWS }, (_, i) => ({ item: text(`items.${i}.item`) ?? '', reason: text(`items.${i}.reason`) ?? '' })),
    assignee: /^\d{1,9}$/.test(text('assignee') ?? '') ? Number(text('assignee')) : undefined,
    newDueDate: text('newDueDate')?.trim() || undefined,
    delivery: delivery === 'in_person' || delivery === 'post' || delivery === 'online' ? delivery : undefined,
    shipmentReference: text('shipmentReference'),
    fees: [body.fees ?? []].flat().filter((f): f is string => typeof f === 'string' && /^\d{1,2}$/.test(f)).map(Number),
  };
}

export const workflowPages: FastifyPluginAsyncTypebox<{ deps: DossierDeps }> = async (app, { deps }) => {
  /** Nobody signed in → login; before the second factor → TOTP; anyone who may not read dossiers → 404. */
  async function officersOnly(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (!(await officerGate(request, reply, deps))) return false;
    if (request.actor.kind !== 'officer' || !canUseInbox(request.actor)) throw new AppError('not_found');
    return true;
  }

  app.get(
    INBOX,
    {
      schema: {
        ...hide,
        querystring: Type.Object({ tab: Type.Optional(InboxTabSchema), procedure: Str(40), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }),
        response: HtmlResponse,
      },
    },
    async (request, reply) => {
      if (!(await officersOnly(request, reply))) return reply;
      const q = request.query;
      const inbox = await listInbox(deps, request.actor, { tab: q.tab, procedure: q.procedure || undefined, page: q.page, pageSize: PAGE_SIZE });
      const procedures = await inboxProcedures(deps.db, request.actor);
      const steps = await stepNames(deps.db, inbox.items.map((i) => i.procedureCode));
      return sendPage(reply, <InboxPage ctx={pageContext(request, reply)} inbox={inbox} procedures={procedures} steps={steps} receives={canReceiveWalkIn(request.actor)} />);
    },
  );

  app.get(`${INBOX}/:code`, { schema: { ...hide, params: CodeParams, querystring: Type.Object({ da: Str(40) }), response: HtmlResponse } }, async (request, reply) => {
    if (!(await officersOnly(request, reply))) return reply;
    const page = await loadOfficerDossier(deps, request.actor, request.params.code);
    const done = request.query.da && isAction(request.query.da) ? request.query.da : undefined;
    return sendPage(reply, <DossierPage ctx={pageContext(request, reply)} page={page} done={done} />);
  });

  app.post(`${INBOX}/:code/:action`, { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 60 }), action: Type.String({ maxLength: 40 }) }), body: ActionFormBody, response: HtmlResponse } }, async (request, reply) => {
    if (!(await officersOnly(request, reply))) return reply;
    const { code, action } = request.params;
    if (!isAction(action)) throw new AppError('not_found');
    // Another agency's dossier is 404 before anything about the form is said.
    await getOfficerDossier(deps, request.actor, code);
    const body = request.body as Record<string, string | undefined>;
    const version = /^\d{1,9}$/.test(body.version ?? '') ? Number(body.version) : undefined;
    if (version === undefined) throw new AppError('invalid_input');
    try {
      await performAction(deps, request.actor, code, action, actionInput(body, version), { ip: request.ip });
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'conflict' && error.code !== 'unprocessable')) throw error;
      const ctx = pageContext(request, reply);
      const page = await loadOfficerDossier(deps, request.actor, code);
      const errors = actionErrors(ctx, action, error, version, page.view.dossier);
      return sendPage(reply, <DossierPage ctx={ctx} page={page} errors={errors} failed={error.code === 'unprocessable' ? { action, values: body, errors } : undefined} />, error.status);
    }
    return reply.redirect(`${dossierHref(code)}?da=${action}`, 303);
  });

  app.get(`${INBOX}/:code/tep/:attachmentId`, { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 60 }), attachmentId: Type.String({ maxLength: 40 }) }) } }, async (request, reply) => {
    if (!(await officersOnly(request, reply))) return reply;
    const view = await getOfficerDossier(deps, request.actor, request.params.code);
    const id = request.params.attachmentId;
    const file = isUuid(id) ? (await listAttachments(deps.db, view.dossier.id)).find((a) => a.id === id) : undefined;
    if (!file) throw new AppError('not_found');
    return (
      reply
        .type(file.mediaType)
        .header('content-length', String(file.size))
        .header('x-content-type-options', 'nosniff')
        // Never rendered inline as HTML: the type is one of the checked ones, and it downloads.
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(deps.storage.createReadStream(file.sha256))
    );
  });

  app.get(
    `${INBOX}/:code/phieu/:form`,
    { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 60 }), form: Type.String({ maxLength: 4 }) }), response: { 200: { content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } } } } },
    async (request, reply) => {
      if (!(await officersOnly(request, reply))) return reply;
      const page = await loadOfficerDossier(deps, request.actor, request.params.code);
      const form = request.params.form;
      if (!isOfficerForm(form)) throw new AppError('not_found');
      const pdf = await renderOfficerForm(deps, page, form, resolveLocale(request), request.actor.kind === 'officer' ? request.actor.name : '—');
      const name = `mau-${form}-${page.view.dossier.code!.replace(/[^A-Za-z0-9.-]/g, '_')}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(pdf as never);
    },
  );
};
