import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { PageContext } from './page-context.js';
import { hrefWith } from './page-context.js';

export interface LayoutProps {
  ctx: PageContext;
  /** The page's own title; "Lỗi: " is prefixed when the page shows errors (UI.md). */
  title: string;
  hasErrors?: boolean;
  children: ComponentChildren;
}

export function Layout({ ctx, title, hasErrors, children }: LayoutProps) {
  const { t, locale } = ctx;
  const otherLocale = locale === 'vi' ? 'en' : 'vi';
  const fullTitle = `${hasErrors ? (locale === 'vi' ? 'Lỗi: ' : 'Error: ') : ''}${title} – ${t('site.shortName')}`;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={ctx.stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="header">
          <div class="container">
            <a class="header__brand" href="/">
              {t('site.name')}
              <span class="header__tag">{t('site.tagline')}</span>
            </a>
            <nav class="header__nav" aria-label={t('nav.main')}>
              <a href="/thu-tuc">{t('nav.procedures')}</a>
              <a href="/tra-cuu">{t('nav.track')}</a>
              <a href="/thanh-toan">{t('nav.pay')}</a>
              {ctx.user ? (
                <>
                  {ctx.user.kind !== 'officer' ? <a href="/ho-so">{t('nav.myDossiers')}</a> : null}
                  <a href={ctx.user.backOffice ? '/quan-tri' : '/tai-khoan'}>{ctx.user.name}</a>
                  <form method="post" action="/dang-xuat" class="inline-form">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <button type="submit" class="link-button">
                      {t('nav.logout')}
                    </button>
                  </form>
                </>
              ) : (
                <a href="/dang-nhap">{t('nav.login')}</a>
              )}
              <a href={hrefWith(ctx.path, { ...ctx.query, lang: otherLocale })} lang={otherLocale} hrefLang={otherLocale}>
                {t('nav.switchTo')}
              </a>
            </nav>
          </div>
        </header>
        <div class="container">
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer class="footer">
          <div class="container">
            <p>{t('footer.owner')}</p>
            <p class="small">
              {t('footer.demo')} · <a href="/api/docs">{t('nav.apiDocs')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document. */
export function renderDocument(page: ComponentChildren): string {
  return `<!doctype html>${render(page as never)}`;
}
