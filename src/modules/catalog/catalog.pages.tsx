// The public catalogue pages: home (search and fields), results, the start page of a procedure,
// and its printable blank form. Every page works without JavaScript.
import { formatVnd } from '../../platform/text/money.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { ComponentChildren } from 'preact';
import type { DB } from '../../db/schema.js';
import { Breadcrumbs, Button, NotificationBanner, Pagination, Select, SummaryList, Table, Tag } from '../../platform/html/components.js';
import { Layout } from '../../platform/html/layout.js';
import { hrefWith, type PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { HtmlResponse } from '../../platform/http/route-schemas.js';
import type { MessageKey } from '../../platform/i18n/i18n.js';
import { listAgencyTree, type AgencyNode } from '../organization/organization.service.js';
import { ProcedureCodeParamsSchema, ProcedureListQuerySchema, type ProcedureDetail, type ProcedureSummary } from './catalog.schemas.js';
import { getProcedure, listCurrentOnlineLevels, listFields, searchProcedures, type FieldWithCount, type OnlineLevelOption } from './catalog.service.js';
import { formSteps } from './form-schema.js';

const levels = ['province', 'district', 'commune'] as const;

function SearchForm({ ctx, q, id = 'q' }: { ctx: PageContext; q?: string | undefined; id?: string }) {
  return (
    <form method="get" action="/thu-tuc" role="search">
      <div class="form-group">
        <label for={id}>{ctx.t('home.searchLabel')}</label>
        <span class="hint" id={`${id}-hint`}>
          {ctx.t('home.searchHint')}
        </span>
        <div class="search-row">
          <input type="search" id={id} name="q" value={q ?? ''} maxLength={200} aria-describedby={`${id}-hint`} autocomplete="off" />
          <Button>{ctx.t('home.searchButton')}</Button>
        </div>
      </div>
    </form>
  );
}

/** Text that exists only in Vietnamese, marked as such on English pages (WCAG 3.1.2). */
function Vi({ ctx, children }: { ctx: PageContext; children: ComponentChildren }) {
  return ctx.locale === 'vi' ? <>{children}</> : <span lang="vi">{children}</span>;
}

function fieldName(ctx: PageContext, f: { name: string; nameEn: string }): string {
  return ctx.locale === 'en' ? f.nameEn : f.name;
}

function procedureName(ctx: PageContext, p: { name: string; nameEn: string | null }): string {
  return ctx.locale === 'en' && p.nameEn ? p.nameEn : p.name;
}

function onlineLevelLabel(ctx: PageContext, options: OnlineLevelOption[], level: string): string {
  const option = options.find((o) => o.level === level);
  if (!option) return level;
  return ctx.locale === 'en' ? option.nameEn : option.name;
}

function HomePage({ ctx, fields }: { ctx: PageContext; fields: FieldWithCount[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('home.title')}>
      <h1>{ctx.t('home.title')}</h1>
      <SearchForm ctx={ctx} />
      <h2>{ctx.t('home.fields')}</h2>
      <ul class="field-list">
        {fields
          .filter((f) => f.procedureCount > 0)
          .map((f) => (
            <li>
              <a href={hrefWith('/thu-tuc', { field: f.code })}>{fieldName(ctx, f)}</a>{' '}
              <span class="small">({ctx.t('home.fieldCount', { count: f.procedureCount })})</span>
            </li>
          ))}
      </ul>
    </Layout>
  );
}

function flattenAgencies(nodes: AgencyNode[], depth = 0): { code: string; label: string }[] {
  return nodes.flatMap((n) => [
    ...(n.code ? [{ code: n.code, label: `${'— '.repeat(depth)}${n.name}` }] : []),
    ...flattenAgencies(n.children, depth + 1),
  ]);
}

function ResultsPage(props: {
  ctx: PageContext;
  query: { q?: string | undefined; field?: string | undefined; agency?: string | undefined; level?: string | undefined; onlineLevel?: string | undefined };
  page: { items: ProcedureSummary[]; total: number; page: number; pageSize: number };
  fields: FieldWithCount[];
  agencies: { code: string; label: string }[];
  onlineLevels: OnlineLevelOption[];
}) {
  const { ctx, query, page } = props;
  const title = query.q ? ctx.t('search.titleFor', { q: query.q }) : ctx.t('search.allProcedures');
  const field = props.fields.find((f) => f.code === query.field);
  return (
    <Layout ctx={ctx} title={title}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { label: ctx.t('nav.procedures') }]} />
      <h1>{field && !query.q ? fieldName(ctx, field) : title}</h1>
      <SearchForm ctx={ctx} q={query.q} id="q2" />
      <details class="filters" open={Boolean(query.field || query.agency || query.level || query.onlineLevel)}>
        <summary>{ctx.t('search.filters')}</summary>
        <form method="get" action="/thu-tuc">
          {query.q ? <input type="hidden" name="q" value={query.q} /> : null}
          <div class="grid">
            <Select name="field" label={ctx.t('search.filterField')} emptyLabel={ctx.t('search.any')} value={query.field} options={props.fields.map((f) => ({ value: f.code, label: fieldName(ctx, f) }))} />
            <Select name="agency" label={ctx.t('search.filterAgency')} emptyLabel={ctx.t('search.any')} value={query.agency} options={props.agencies.map((a) => ({ value: a.code, label: a.label }))} />
            <Select name="level" label={ctx.t('search.filterLevel')} emptyLabel={ctx.t('search.any')} value={query.level} options={levels.map((l) => ({ value: l, label: ctx.t(`level.${l}` as MessageKey) }))} />
            <Select
              name="onlineLevel"
              label={ctx.t('search.filterOnlineLevel')}
              emptyLabel={ctx.t('search.any')}
              value={query.onlineLevel}
              options={props.onlineLevels.map((o) => ({ value: o.level, label: ctx.locale === 'en' ? o.nameEn : o.name }))}
            />
          </div>
          <Button variant="secondary">{ctx.t('search.apply')}</Button>
        </form>
      </details>
      <p role="status">{ctx.t('search.count', { total: page.total })}</p>
      {page.items.length === 0 ? (
        <div>
          <p>
            <strong>{ctx.t('search.none')}</strong>
          </p>
          <p>{ctx.t('search.noneHint')}</p>
        </div>
      ) : (
        <ol class="result-list" start={(page.page - 1) * page.pageSize + 1}>
          {page.items.map((item) => (
            <li>
              <a href={`/thu-tuc/${encodeURIComponent(item.code)}`}>
                <strong>{procedureName(ctx, item)}</strong>
              </a>
              <div class="meta">
                {ctx.t('procedure.code')}: {item.code} · {item.field.name} · {ctx.t(`level.${item.levelOfGovernment}` as MessageKey)} ·{' '}
                <Tag colour={item.onlineLevel === 'full' ? 'green' : 'blue'}>{onlineLevelLabel(ctx, props.onlineLevels, item.onlineLevel)}</Tag>
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pagination ctx={ctx} page={page.page} pageSize={page.pageSize} total={page.total} />
    </Layout>
  );
}

function processingTime(ctx: PageContext, p: ProcedureDetail): string {
  if (p.processingDays !== null && p.processingDays > 0) return ctx.t('procedure.processingDays', { days: p.processingDays });
  return p.processingNote ?? ctx.t('procedure.processingSameDay');
}

function DetailPage({ ctx, procedure: p }: { ctx: PageContext; procedure: ProcedureDetail }) {
  const name = procedureName(ctx, p);
  const confidence = p.provenance.confidence;
  const shownAgencies = p.agencies.slice(0, 5);
  return (
    <Layout ctx={ctx} title={name}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: '/', label: ctx.t('nav.home') },
          { href: hrefWith('/thu-tuc', { field: p.field.code }), label: p.field.name },
          { label: p.code },
        ]}
      />
      <h1>{name}</h1>
      {confidence === 'low' ? <NotificationBanner variant="warning">{ctx.t('procedure.confidence.low')}</NotificationBanner> : null}
      <SummaryList
        rows={[
          { key: ctx.t('procedure.code'), value: p.code },
          { key: ctx.t('procedure.field'), value: p.field.name },
          { key: ctx.t('procedure.level'), value: ctx.t(`level.${p.levelOfGovernment}` as MessageKey) },
          {
            key: ctx.t('procedure.agencies'),
            value: (
              <span>
                <Vi ctx={ctx}>{shownAgencies.map((a) => a.name).join('; ')}</Vi>
                {p.agencies.length > shownAgencies.length ? ` ${ctx.t('procedure.agenciesMore', { count: p.agencies.length - shownAgencies.length })}` : ''}
              </span>
            ),
          },
          {
            key: ctx.t('procedure.onlineLevel'),
            value: (
              <span>
                <Tag colour={p.onlineLevel.level === 'full' ? 'green' : 'blue'}>{p.onlineLevel.name}</Tag>
                {p.onlineLevel.legacyEquivalent ? <span class="small"> ({ctx.t('procedure.legacyLevel', { level: p.onlineLevel.legacyEquivalent })})</span> : null}
              </span>
            ),
          },
          { key: ctx.t('procedure.processingTime'), value: <Vi ctx={ctx}>{processingTime(ctx, p)}</Vi> },
          { key: ctx.t('procedure.resultType'), value: <Vi ctx={ctx}>{p.resultType ?? '—'}</Vi> },
        ]}
      />
      <p>
        <Button variant="start" href={`/thu-tuc/${encodeURIComponent(p.code)}/nop-truc-tuyen`}>
          {ctx.t('procedure.applyOnline')} ›
        </Button>
      </p>

      <h2>{ctx.t('procedure.beforeYouStart')}</h2>
      <h3>{ctx.t('procedure.documents')}</h3>
      <Table
        caption={ctx.t('procedure.documents')}
        columns={[
          { header: ctx.t('procedure.docName'), cell: (d) => <Vi ctx={ctx}>{d.note ? `${d.name} (${d.note})` : d.name}</Vi> },
          { header: ctx.t('procedure.docForm'), cell: (d) => ctx.t(`procedure.form.${d.form}` as MessageKey) },
          { header: ctx.t('procedure.docQuantity'), cell: (d) => d.quantity, numeric: true },
          { header: ctx.t('procedure.docTemplate'), cell: (d) => (d.template ? <a href={d.template}>{ctx.t('procedure.downloadTemplate')}</a> : '—') },
        ]}
        rows={p.documents}
      />

      <h3>{ctx.t('procedure.fees')}</h3>
      {p.fees.length === 0 ? (
        <p>{ctx.t('procedure.noFee')}</p>
      ) : (
        <Table
          caption={ctx.t('procedure.fees')}
          columns={[
            { header: ctx.t('procedure.feeName'), cell: (f) => <Vi ctx={ctx}>{f.name}</Vi> },
            { header: ctx.t('procedure.feeAmount'), cell: (f) => formatVnd(ctx.locale, f.amountVnd), numeric: true },
          ]}
          rows={p.fees}
        />
      )}
      {p.feesNote ? (
        <p class="small">
          <Vi ctx={ctx}>{p.feesNote}</Vi>
        </p>
      ) : null}

      <h3>{ctx.t('procedure.processingTime')}</h3>
      <p>
        <Vi ctx={ctx}>{processingTime(ctx, p)}</Vi>
      </p>
      {p.processingNote && p.processingDays ? (
        <p class="small">
          <Vi ctx={ctx}>{p.processingNote}</Vi>
        </p>
      ) : null}

      <h3>{ctx.t('procedure.whereToGo')}</h3>
      <p>{ctx.t('procedure.whereToGoText')}</p>

      <h3>{ctx.t('procedure.legalBasis')}</h3>
      <ul>
        {p.legalBasis.map((l) => (
          <li>
            <Vi ctx={ctx}>{l}</Vi>
          </li>
        ))}
      </ul>

      <h2>{ctx.t('procedure.provenance')}</h2>
      <p>
        {confidence ? <Tag colour={confidence === 'low' ? 'amber' : 'grey'}>{ctx.t(`procedure.confidence.${confidence}`)}</Tag> : null}{' '}
        <span class="small">{ctx.t('procedure.version', { version: p.version })}</span>
      </p>
      {publicSources(p).length ? (
        <ul class="small">
          {publicSources(p).map((url) => (
            <li>
              <a href={url} rel="nofollow noopener">
                {url}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}

/** The sources a citizen can open: web addresses. Research notes stay in the data and the export. */
function publicSources(p: ProcedureDetail): string[] {
  return (p.provenance.sources ?? []).filter((s) => /^https?:\/\/[^\s]+$/.test(s)).slice(0, 5);
}

interface FormProperty {
  title?: string;
  description?: string;
  type?: string;
  oneOf?: { const: string; title: string }[];
  items?: { properties?: Record<string, FormProperty> };
  'x-widget'?: string;
}

/** A printable blank form made from the e-form: the "downloadable template" of a declaration. */
function BlankFormPage({ ctx, procedure: p }: { ctx: PageContext; procedure: ProcedureDetail }) {
  const properties = (p.formSchema.properties ?? {}) as Record<string, FormProperty>;
  const line = (prop: FormProperty) =>
    prop.oneOf ? prop.oneOf.map((o) => `☐ ${o.title}`).join('   ') : prop.type === 'boolean' ? '☐ Có   ☐ Không' : '.'.repeat(prop['x-widget'] === 'textarea' ? 160 : 70);
  return (
    <Layout ctx={ctx} title={ctx.t('procedure.templateTitle', { name: p.name })}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: `/thu-tuc/${encodeURIComponent(p.code)}`, label: p.code }, { label: ctx.t('procedure.docTemplate') }]} />
      <p class="small">
        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        <br />
        Độc lập - Tự do - Hạnh phúc
      </p>
      <h1>{ctx.t('procedure.templateTitle', { name: p.name })}</h1>
      <p class="hint">{ctx.t('procedure.templateHint')}</p>
      {formSteps(p.formSchema).map((step) => (
        <section>
          <h2>{step.title}</h2>
          <dl class="summary-list">
            {step.fields.map((name) => {
              const prop = properties[name] ?? {};
              const children = prop.items?.properties;
              return (
                <div class="summary-list__row">
                  <dt>{prop.title ?? name}</dt>
                  <dd>{children ? Object.values(children).map((c) => <div>{c.title}: {line(c)}</div>) : line(prop)}</dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </Layout>
  );
}


export const catalogPages: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  const hide = { hide: true } as const;

  app.get('/', { schema: { ...hide, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, <HomePage ctx={ctx} fields={await listFields(db)} />);
  });

  app.get('/thu-tuc', { schema: { ...hide, querystring: ProcedureListQuerySchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const [page, fields, agencies, onlineLevels] = await Promise.all([
      searchProcedures(db, request.query, ctx.locale),
      listFields(db),
      listAgencyTree(db),
      listCurrentOnlineLevels(db),
    ]);
    return sendPage(reply, <ResultsPage ctx={ctx} query={request.query} page={page} fields={fields} agencies={flattenAgencies(agencies)} onlineLevels={onlineLevels} />);
  });

  app.get('/thu-tuc/:code', { schema: { ...hide, params: ProcedureCodeParamsSchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const procedure = await getProcedure(db, request.params.code, ctx.locale);
    return sendPage(reply, <DetailPage ctx={ctx} procedure={procedure} />);
  });

  app.get('/thu-tuc/:code/mau-don', { schema: { ...hide, params: ProcedureCodeParamsSchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const procedure = await getProcedure(db, request.params.code, ctx.locale);
    return sendPage(reply, <BlankFormPage ctx={ctx} procedure={procedure} />);
  });

};
