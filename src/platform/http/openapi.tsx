// The OpenAPI 3.1 document is generated from the route schemas themselves, so it cannot drift
// from what the server validates. /api/docs renders it as a plain page (no script needed).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { Table } from '../html/components.js';
import { Layout } from '../html/layout.js';
import { pageContext, sendPage } from './page.js';

interface OpenApiDoc {
  paths?: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
}

export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MộtCửa API',
        version: '1.0.0',
        description: 'Cổng Dịch vụ công và Hệ thống thông tin giải quyết thủ tục hành chính — JSON API. Errors are application/problem+json (RFC 9457); see /docs/errors.',
      },
      servers: [{ url: config.publicUrl }],
    },
    // Pages and platform plumbing carry `hide: true`; only the API is documented.
    hideUntagged: false,
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/docs',
    { schema: { hide: true, response: { 200: { content: { 'text/html': { schema: { type: 'string' } } } } } } },
    async (request, reply) => {
      const ctx = pageContext(request, reply);
      const doc = app.swagger() as OpenApiDoc;
      const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, summary: op.summary ?? '' })),
      );
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('apiDocs.title')}>
          <h1>{ctx.t('apiDocs.title')}</h1>
          <p>
            {ctx.t('apiDocs.intro')} <a href="/api/openapi.json">/api/openapi.json</a>
          </p>
          <Table
            columns={[
              { header: ctx.t('apiDocs.method'), cell: (r) => <code>{r.method}</code> },
              { header: ctx.t('apiDocs.path'), cell: (r) => <code>{r.path}</code> },
              { header: ctx.t('apiDocs.summary'), cell: (r) => r.summary },
            ]}
            rows={rows}
          />
        </Layout>,
      );
    },
  );
}
