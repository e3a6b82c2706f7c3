import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

export function ErrorPage({ ctx, message, problems }: { ctx: PageContext; message: string; problems: { name: string; message: string }[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('error.title')} hasErrors>
      <h1>{ctx.t('error.title')}</h1>
      <p class="lead">{message}</p>
      {problems.length > 0 ? (
        <ul>
          {problems.map((p) => (
            <li>
              <strong>{p.name}</strong>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="small">{ctx.t('error.requestId', { id: ctx.requestId })}</p>
      <p>
        <a href="/">{ctx.t('error.backHome')}</a>
      </p>
    </Layout>
  );
}
