// A static page as readers see it: title, summary, body and when it last changed.
import { formatLongDate } from '../../../lib/dates.js';
import { absoluteUrl, Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { PageRecord } from '../pages.repository.js';

export function StaticPageView(props: { ctx: PageContext; page: PageRecord; preview?: boolean }): JSX.Element {
  const { ctx, page } = props;
  const canonicalPath = `/${page.slug}`;
  // Rendered by the allowlist renderer when the page was saved.
  const safeBody = page.body_html;
  const description = page.dek || `${page.title} — ${ctx.config.siteName}`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: page.title,
        description,
        canonicalPath,
        ogType: 'website',
        noIndex: props.preview === true,
        jsonLd: [
          {
            '@context': 'https://schema.org',
            '@type': 'WebPage',
            name: page.title,
            description,
            url: absoluteUrl(ctx, canonicalPath),
            dateModified: page.updated_at,
            inLanguage: ctx.config.siteLang,
            isPartOf: { '@type': 'WebSite', name: ctx.config.siteName, url: ctx.config.siteUrl },
          },
        ],
        head: <meta property="og:updated_time" content={page.updated_at} />,
      }}
    >
      <article class="article static-page">
        <div class="wrap narrow">
          <header class="article__header">
            <h1 safe>{page.title}</h1>
            {page.dek ? (
              <p class="dek" safe>
                {page.dek}
              </p>
            ) : (
              ''
            )}
          </header>
          <div class="prose article__body">{safeBody}</div>
          <footer class="article__footer">
            <p class="article__published">
              Last updated{' '}
              <time datetime={page.updated_at} safe>
                {formatLongDate(page.updated_at)}
              </time>
            </p>
          </footer>
        </div>
      </article>
    </Layout>
  );
}
