// The developer inbox: the messages the development mail driver kept instead of sending, so a
// tester can read them and click a verification link. Registered by app.ts only when SMTP_URL is
// unset and NODE_ENV is not production. The stored HTML is never put into the page as HTML: the
// text version is shown, its http(s) links as real links, and the HTML source as escaped text.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, NotificationBanner, Pagination, SummaryList, Table } from '../../platform/html/components.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { notifyText, type NotifyMessageKey } from './notify.messages.js';
import { findDevMail, listDevMail, type DevMail, type DevMailSummary } from './notify.repository.js';
import { DevInboxQuerySchema, DevMailParamsSchema } from './notify.schemas.js';

const HtmlResponse = { 200: { content: { 'text/html': { schema: Type.String() } } } };
const PAGE_SIZE = 50;
export const devInboxPath = '/dev/hop-thu';

function text(ctx: PageContext, key: NotifyMessageKey, params?: Record<string, string | number>): string {
  return notifyText(ctx.locale, key, params);
}

function formatTime(ctx: PageContext, at: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(at);
}

const LINK = /https?:\/\/[^\s<>"']+/g;

function trimLink(raw: string): string {
  return raw.replace(/[.,;:!?)\]]+$/, '');
}

/** The http(s) links of a text, in order, without duplicates. */
export function linksIn(body: string): string[] {
  return [...new Set([...body.matchAll(LINK)].map((m) => trimLink(m[0])))];
}

/** The text with its links as anchors; everything else stays text (Preact escapes it). */
function Linkified({ body }: { body: string }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of body.matchAll(LINK)) {
    const link = trimLink(match[0]);
    const start = match.index;
    parts.push(body.slice(last, start), <a href={link}>{link}</a>);
    last = start + link.length;
  }
  parts.push(body.slice(last));
  return <>{parts}</>;
}

function InboxPage({ ctx, page, items, total }: { ctx: PageContext; page: number; items: DevMailSummary[]; total: number }) {
  const title = text(ctx, 'devInbox.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <NotificationBanner variant="warning">{text(ctx, 'devInbox.intro')}</NotificationBanner>
      <p role="status">{text(ctx, 'devInbox.count', { total })}</p>
      {items.length === 0 ? (
        <p>{text(ctx, 'devInbox.empty')}</p>
      ) : (
        <Table
          caption={text(ctx, 'devInbox.caption')}
          columns={[
            { header: text(ctx, 'devInbox.col.time'), cell: (m) => <time dateTime={m.createdAt.toISOString()}>{formatTime(ctx, m.createdAt)}</time> },
            { header: text(ctx, 'devInbox.col.to'), cell: (m) => m.toAddress },
            { header: text(ctx, 'devInbox.col.subject'), cell: (m) => <a href={`${devInboxPath}/${m.id}`}>{m.subject}</a> },
          ]}
          rows={items}
        />
      )}
      <Pagination ctx={ctx} page={page} pageSize={PAGE_SIZE} total={total} />
    </Layout>
  );
}

function MessagePage({ ctx, mail }: { ctx: PageContext; mail: DevMail }) {
  const links = linksIn(mail.text);
  return (
    <Layout ctx={ctx} title={mail.subject}>
      <Breadcrumbs ctx={ctx} items={[{ href: devInboxPath, label: text(ctx, 'devInbox.title') }, { label: `#${mail.id}` }]} />
      <h1>{mail.subject}</h1>
      <SummaryList
        rows={[
          { key: text(ctx, 'devInbox.col.to'), value: mail.toAddress },
          { key: text(ctx, 'devInbox.col.time'), value: <time dateTime={mail.createdAt.toISOString()}>{formatTime(ctx, mail.createdAt)}</time> },
          { key: text(ctx, 'devInbox.messageId'), value: <code>{mail.messageId}</code> },
        ]}
      />
      <h2>{text(ctx, 'devInbox.links')}</h2>
      {links.length === 0 ? (
        <p>{text(ctx, 'devInbox.noLinks')}</p>
      ) : (
        <ul class="dev-mail-links">
          {links.map((link) => (
            <li>
              <a href={link}>{link}</a>
            </li>
          ))}
        </ul>
      )}
      <h2>{text(ctx, 'devInbox.textBody')}</h2>
      <pre class="mail-body">
        <Linkified body={mail.text} />
      </pre>
      <details>
        <summary>{text(ctx, 'devInbox.htmlSource')}</summary>
        <pre class="mail-body">{mail.html}</pre>
      </details>
    </Layout>
  );
}

/** GET /dev/hop-thu and /dev/hop-thu/:id. Options: the database the development driver writes to. */
export const devInboxPages: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  const hide = { hide: true } as const;

  app.get(devInboxPath, { schema: { ...hide, querystring: DevInboxQuerySchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const page = request.query.page ?? 1;
    const { items, total } = await listDevMail(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    return sendPage(reply, <InboxPage ctx={ctx} page={page} items={items} total={total} />);
  });

  app.get(`${devInboxPath}/:id`, { schema: { ...hide, params: DevMailParamsSchema, querystring: DevInboxQuerySchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const mail = await findDevMail(db, request.params.id);
    if (!mail) throw new AppError('not_found');
    // The messages hold live links (password resets): never cached, never indexed.
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    return sendPage(reply, <MessagePage ctx={ctx} mail={mail} />);
  });
};
