// The reception desk's pages for walk-in and postal dossiers (issue 5 §2; UI.md "Officers: the back
// office"), the HTML twin of POST /api/v1/dossiers and its attachments for officers. The officer
// picks the procedure among those its agencies receive, says how the dossier came (channel 1 or 3,
// DOMAIN.md §4) and who brought it; receiveWalkIn gives it a code in status "new" and the page goes
// on to the dossier, where a form per document slot takes the scans (attachScan). No script: real
// forms, the upload a multipart form with its CSRF token in the address. Only officers who may
// receive dossiers get in; others get the back office's usual answers (login, second factor, 404).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { DB } from '../../db/schema.js';
import { grantsFor, hasAccess, rolePermissions, type Actor } from '../../platform/access/access.js';
import { AppError, isAppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, fieldId, NotificationBanner, problemsForSummary, Radios, Select, TextInput, type OptionGroup } from '../../platform/html/components.js';
import { Form, FormErrorSummary, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { hiddenFromApi, HtmlResponse, optionalText } from '../../platform/http/route-schemas.js';
import { ACCEPTED_TYPES, acceptedTypesLabel } from '../document/document.service.js';
import { fieldValue, readUploadPart } from '../dossier/dossier.routes.js';
import { attachmentSlots, findPublishedProcedure, type DossierDeps } from '../dossier/dossier.service.js';
import { officerGate } from '../identity/backoffice.pages.js';
import { loadOfficerDossier, type OfficerDossierPage } from './officer-dossier.js';
import { attachScan, receiveWalkIn } from './walk-in.js';
import { DossierPage } from './workflow.pages.js';

const INBOX = '/quan-tri/ho-so';
const WALK_IN = `${INBOX}/tiep-nhan`;
const dossierHref = (code: string) => `${INBOX}/${encodeURIComponent(code)}`;
/** The dossier page's `?da=` values this module shows a banner for (workflow.pages shows the actions'). */
const RECEIVED = 'tiep-nhan';
const SCANNED = 'ban-quet';
const SCANS_ID = 'ban-quet';
const channels = ['1', '3'] as const;

// ---------- what the officer may receive ----------

/** Whether the officer receives dossiers anywhere: the walk-in page and the links to it. */
export function canReceiveWalkIn(actor: Actor): boolean {
  return hasAccess(actor, 'dossier.receive');
}

function receivePaths(actor: Actor): string[] {
  return [...new Set(grantsFor(actor, 'dossier.receive').map((g) => g.agencyPath))];
}

const coveredBy = (paths: readonly string[]) => sql<boolean>`(${sql.join(paths.map((p) => sql`a.path <@ ${p}::ltree`), sql` or `)})`;

interface ReceivableProcedure {
  code: string;
  name: string;
  nameEn: string | null;
  fieldCode: string;
  fieldName: string | null;
  fieldNameEn: string | null;
  fieldOrder: number | null;
}

/** The published procedures received by an agency in the officer's `dossier.receive` grants
 *  (the agency or one below it), each once, by field and then by name. */
async function receivableProcedures(db: Kysely<DB>, actor: Actor): Promise<ReceivableProcedure[]> {
  const paths = receivePaths(actor);
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('procedure as p')
    .leftJoin('field as f', 'f.code', 'p.fieldCode')
    .where('p.status', '=', 'published')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('procedureAgency as pa')
          .innerJoin('agency as a', 'a.id', 'pa.agencyId')
          .whereRef('pa.procedureId', '=', 'p.id')
          // Only agencies with a code take dossiers (the code starts the dossier's code).
          .where('a.code', 'is not', null)
          .where(coveredBy(paths))
          .select(sql`1`.as('one')),
      ),
    )
    .select(['p.code', 'p.name', 'p.nameEn', 'p.fieldCode', 'f.name as fieldName', 'f.nameEn as fieldNameEn', 'f.sortOrder as fieldOrder'])
    .execute();
  // Sorted here: the database's collation need not know Vietnamese ("Đ" after "D").
  const collator = new Intl.Collator('vi');
  return rows.sort((a, b) => (a.fieldOrder ?? Number.MAX_SAFE_INTEGER) - (b.fieldOrder ?? Number.MAX_SAFE_INTEGER) || collator.compare(a.fieldName ?? a.fieldCode, b.fieldName ?? b.fieldCode) || collator.compare(a.name, b.name) || a.code.localeCompare(b.code));
}

/** The agencies in the officer's `dossier.receive` grants that receive at least one published procedure. */
async function receivingAgencies(db: Kysely<DB>, actor: Actor): Promise<{ code: string; name: string }[]> {
  const paths = receivePaths(actor);
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('agency as a')
    .where('a.code', 'is not', null)
    .where(coveredBy(paths))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('procedureAgency as pa')
          .innerJoin('procedure as p', 'p.id', 'pa.procedureId')
          .whereRef('pa.agencyId', '=', 'a.id')
          .where('p.status', '=', 'published')
          .select(sql`1`.as('one')),
      ),
    )
    .select(['a.code', 'a.name'])
    .orderBy('a.code')
    .execute();
  return rows.map((r) => ({ code: r.code!, name: r.name }));
}

// ---------- the walk-in form ----------

type Values = Partial<Record<'procedureCode' | 'agencyCode' | 'channel' | 'applicant.name' | 'applicant.idNumber' | 'applicant.phone' | 'applicant.email', string>>;

function procedureGroups(ctx: PageContext, procedures: readonly ReceivableProcedure[]): OptionGroup[] {
  const groups = new Map<string, OptionGroup>();
  for (const p of procedures) {
    const label = (ctx.locale === 'en' ? p.fieldNameEn : null) ?? p.fieldName ?? p.fieldCode;
    let group = groups.get(p.fieldCode);
    if (!group) groups.set(p.fieldCode, (group = { label, options: [] }));
    group.options.push({ value: p.code, label: `${(ctx.locale === 'en' ? p.nameEn : null) ?? p.name} (${p.code})` });
  }
  return [...groups.values()];
}

function WalkInPage({ ctx, procedures, agencies, values, errors }: { ctx: PageContext; procedures: ReceivableProcedure[]; agencies: { code: string; name: string }[]; values: Values; errors: FormErrors }) {
  const e = errors.byField;
  const title = ctx.t('walkIn.title');
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { href: INBOX, label: ctx.t('workflow.inbox.title') }, { label: title }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <p>{ctx.t('walkIn.lead')}</p>
      {procedures.length === 0 ? (
        <p>{ctx.t('walkIn.none')}</p>
      ) : (
        <Form ctx={ctx} action={WALK_IN}>
          <Select
            name="procedureCode"
            label={ctx.t('walkIn.procedure')}
            hint={ctx.t('walkIn.procedureHint')}
            value={values.procedureCode}
            error={e.procedureCode}
            emptyLabel={ctx.t('walkIn.procedureChoose')}
            options={[]}
            groups={procedureGroups(ctx, procedures)}
          />
          {/* Several agencies only for an officer who covers several; the server checks the pair. */}
          {agencies.length > 1 ? (
            <Select
              name="agencyCode"
              label={ctx.t('walkIn.agency')}
              hint={ctx.t('walkIn.agencyHint')}
              value={values.agencyCode}
              error={e.agencyCode}
              emptyLabel={ctx.t('walkIn.agencyChoose')}
              options={agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))}
            />
          ) : null}
          <Radios
            name="channel"
            label={ctx.t('walkIn.channel')}
            value={values.channel}
            error={e.channel}
            options={channels.map((c) => ({ value: c, label: ctx.t(`walkIn.channel.${c}`) }))}
          />
          <h2>{ctx.t('walkIn.applicant')}</h2>
          {/* The officer types someone else's details: the browser should not offer the officer's own. */}
          <TextInput name="applicant.name" label={ctx.t('walkIn.name')} value={values['applicant.name']} error={e['applicant.name']} autocomplete="off" maxLength={200} spellcheck={false} />
          <TextInput
            name="applicant.idNumber"
            label={ctx.t('walkIn.idNumber')}
            hint={ctx.t('walkIn.idNumberHint')}
            value={values['applicant.idNumber']}
            error={e['applicant.idNumber']}
            autocomplete="off"
            inputmode="numeric"
            maxLength={20}
            spellcheck={false}
          />
          <TextInput
            name="applicant.phone"
            type="tel"
            label={ctx.t('walkIn.phone')}
            hint={ctx.t('walkIn.phoneHint')}
            value={values['applicant.phone']}
            error={e['applicant.phone']}
            autocomplete="off"
            maxLength={20}
          />
          <TextInput name="applicant.email" type="email" label={ctx.t('walkIn.email')} value={values['applicant.email']} error={e['applicant.email']} autocomplete="off" maxLength={254} spellcheck={false} />
          <Button>{ctx.t('walkIn.submit')}</Button>
        </Form>
      )}
    </Layout>
  );
}

/** The link to the walk-in form, for the inbox and the back-office home. */
export function WalkInLink({ ctx }: { ctx: PageContext }) {
  return (
    <p>
      <a href={WALK_IN}>{ctx.t('walkIn.title')}</a>
    </p>
  );
}

function errorsOf(ctx: PageContext, problems: FieldProblem[]): FormErrors {
  const summary = problemsForSummary(ctx, problems);
  const byField: Record<string, string> = {};
  for (const p of summary) byField[p.name] ??= p.message;
  return { summary, byField };
}

// ---------- the scans, on the dossier page ----------

/** Scans are added while reception holds the dossier (as attachScan has it): new or accepted,
 *  at its own agency (not while another agency handles a step), by an officer who receives there. */
function takesScans(page: OfficerDossierPage): boolean {
  const { dossier, handlingAgency, roles } = page.view;
  return (dossier.status === 'new' || dossier.status === 'accepted') && handlingAgency === null && roles.some((r) => rolePermissions[r].includes('dossier.receive'));
}

/** One upload form per document slot (the declaration form included: it came on paper). */
export function ScanUploads({ ctx, page, errors = noErrors }: { ctx: PageContext; page: OfficerDossierPage; errors?: FormErrors }) {
  if (!takesScans(page)) return null;
  const { procedure, dossier } = page.view;
  const slots = attachmentSlots(procedure.code, procedure.documents, { paper: true });
  const notice = ctx.query.da === RECEIVED ? ctx.t('walkIn.received', { code: dossier.code ?? '', status: ctx.t(`dossier.status.${dossier.status}`) }) : ctx.query.da === SCANNED ? ctx.t('walkIn.scans.added') : undefined;
  const general = errors.byField.scan;
  const action = `${dossierHref(dossier.code!)}/ban-quet`;
  return (
    <section id={SCANS_ID} aria-labelledby={`${SCANS_ID}-title`}>
      <h3 id={`${SCANS_ID}-title`}>{ctx.t('walkIn.scans.title')}</h3>
      {notice ? <NotificationBanner>{notice}</NotificationBanner> : null}
      <p class="small">{ctx.t('walkIn.scans.intro', { types: acceptedTypesLabel(ACCEPTED_TYPES) })}</p>
      {general ? <p class="error-message">{general}</p> : null}
      {slots.map((slot) => {
        const id = fieldId(`scan.${slot.index}`);
        const error = errors.byField[`scan.${slot.index}`];
        return (
          <Form ctx={ctx} action={action} multipart>
            <input type="hidden" name="slot" value={String(slot.index)} />
            <div class={error ? 'form-group form-group--error' : 'form-group'}>
              <label for={id}>
                {slot.name}
                {slot.required ? null : <span class="small"> ({slot.note ?? ctx.t('walkIn.scans.optional')})</span>}
              </label>
              {error ? (
                <span class="error-message" id={`${id}-error`}>
                  <span class="visually-hidden">{ctx.locale === 'vi' ? 'Lỗi: ' : 'Error: '}</span>
                  {error}
                </span>
              ) : null}
              <input type="file" id={id} name="file" accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png" aria-describedby={error ? `${id}-error` : undefined} />{' '}
              <Button variant="secondary">
                {ctx.t('walkIn.scans.upload')}
                <span class="visually-hidden"> – {slot.name}</span>
              </Button>
            </div>
          </Form>
        );
      })}
    </section>
  );
}

// ---------- routes ----------

const WalkInBody = Type.Object({
  _csrf: optionalText(),
  procedureCode: optionalText(40),
  agencyCode: optionalText(40),
  channel: optionalText(2),
  // Longer than the rules allow, so that receiveWalkIn says what is wrong (422), not the schema (400).
  'applicant.name': optionalText(400),
  'applicant.idNumber': optionalText(40),
  'applicant.phone': optionalText(40),
  'applicant.email': optionalText(320),
});

export const walkInPages: FastifyPluginAsyncTypebox<{ deps: DossierDeps }> = async (app, { deps }) => {
  /** Nobody signed in → login; before the second factor → TOTP; anyone who does not receive → 404. */
  async function receptionOnly(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (!(await officerGate(request, reply, deps))) return false;
    if (!canReceiveWalkIn(request.actor)) throw new AppError('not_found');
    return true;
  }

  const renderForm = async (request: FastifyRequest, reply: FastifyReply, values: Values, errors: FormErrors, status = 200) => {
    const procedures = await receivableProcedures(deps.db, request.actor);
    const agencies = await receivingAgencies(deps.db, request.actor);
    return sendPage(reply, <WalkInPage ctx={pageContext(request, reply)} procedures={procedures} agencies={agencies} values={values} errors={errors} />, status);
  };

  // Channel 1 is what the desk mostly sees; the officer changes it for a postal dossier.
  app.get(WALK_IN, { schema: { ...hiddenFromApi, response: HtmlResponse } }, async (request, reply) => {
    if (!(await receptionOnly(request, reply))) return reply;
    return renderForm(request, reply, { channel: '1' }, noErrors);
  });

  app.post(WALK_IN, { schema: { ...hiddenFromApi, body: WalkInBody, response: HtmlResponse } }, async (request, reply) => {
    if (!(await receptionOnly(request, reply))) return reply;
    const actor = request.actor;
    const body = request.body;
    const values: Values = { ...body };
    const procedureCode = body.procedureCode?.trim() ?? '';
    let agencyCode = body.agencyCode?.trim() ?? '';
    const channel = body.channel === '1' ? 1 : body.channel === '3' ? 3 : undefined;
    // What only this form can get wrong is checked here; the applicant's details and the agency
    // of the procedure are receiveWalkIn's (one rule, one place).
    const problems: FieldProblem[] = [];
    const procedure = procedureCode ? await findPublishedProcedure(deps.db, procedureCode) : undefined;
    const covered = (procedure?.agencies ?? []).filter((a) => hasAccess(actor, 'dossier.receive', { agencyPath: a.path }));
    if (!procedureCode) problems.push({ name: 'procedureCode', message: { key: 'walkIn.procedureMissing' } });
    else if (covered.length === 0) problems.push({ name: 'procedureCode', message: { key: 'walkIn.procedureUnknown' } });
    else if (!agencyCode) {
      if (covered.length === 1) agencyCode = covered[0]!.code;
      else problems.push({ name: 'agencyCode', message: { key: 'walkIn.agencyMissing' } });
    }
    if (channel === undefined) problems.push({ name: 'channel', message: { key: 'walkIn.channelMissing' } });
    if (problems.length) return renderForm(request, reply, values, errorsOf(pageContext(request, reply), problems), 422);
    try {
      const received = await receiveWalkIn(
        deps,
        actor,
        {
          procedureCode,
          agencyCode,
          channel: channel!,
          applicant: { name: body['applicant.name'] ?? '', idNumber: body['applicant.idNumber'], phone: body['applicant.phone'], email: body['applicant.email'] },
        },
        { ip: request.ip },
      );
      return reply.redirect(`${dossierHref(received.code)}?da=${RECEIVED}#${SCANS_ID}`, 303);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'unprocessable' || error.problems.length === 0) throw error;
      return renderForm(request, reply, values, errorsOf(pageContext(request, reply), error.problems), 422);
    }
  });

  // A multipart body is a stream, read by the handler (as /ho-so/:id/giay-to does).
  app.post(
    `${INBOX}/:code/ban-quet`,
    { schema: { ...hiddenFromApi, params: Type.Object({ code: Type.String({ maxLength: 60 }) }), querystring: Type.Object({ _csrf: optionalText() }), response: HtmlResponse }, validatorCompiler: () => () => true },
    async (request, reply) => {
      if (!(await receptionOnly(request, reply))) return reply;
      const code = request.params.code;
      let slot = -1;
      try {
        const part = await readUploadPart(request, deps.uploadMaxBytes);
        const slotText = fieldValue(part, 'slot');
        slot = slotText !== undefined && /^\d{1,3}$/.test(slotText) ? Number(slotText) : -1;
        if (!part.filename) {
          part.file.resume();
          throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'file', message: { key: 'dossier.error.fileMissing' } }]);
        }
        await attachScan(deps, request.actor, code, { slot, fileName: part.filename, stream: part.file, truncated: () => part.file.truncated }, { ip: request.ip });
      } catch (error) {
        // Not found stays 404 (another agency's dossier); a refused file comes back on the page.
        if (!isAppError(error) || error.status >= 500 || error.code === 'not_found' || error.code === 'unauthenticated') throw error;
        const ctx = pageContext(request, reply);
        const page = await loadOfficerDossier(deps, request.actor, code);
        const message = error.problems.length ? problemsForSummary(ctx, error.problems)[0]!.message : ctx.t(error.messageKey, error.params);
        const inSlot = attachmentSlots(page.view.procedure.code, page.view.procedure.documents, { paper: true }).some((s) => s.index === slot);
        const name = inSlot ? `scan.${slot}` : 'scan';
        const errors: FormErrors = { summary: [{ name, message, href: inSlot ? `#${fieldId(name)}` : `#${SCANS_ID}` }], byField: { [name]: message } };
        return sendPage(reply, <DossierPage ctx={ctx} page={page} errors={errors} />, error.status);
      }
      return reply.redirect(`${dossierHref(code)}?da=${SCANNED}#${SCANS_ID}`, 303);
    },
  );
};
