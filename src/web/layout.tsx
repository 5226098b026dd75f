import type { PropsWithChildren } from '@kitajs/html';
import { isExcludedFromCrawlers } from './crawlers.js';
import type { PageContext } from './page-context.js';
import { NewsletterSignupForm } from './ui/newsletter-signup.js';

export interface PageMeta {
  title: string;
  description: string;
  /** Path of the canonical URL; defaults to the request path. */
  canonicalPath?: string;
  ogType?: 'website' | 'article' | 'profile';
  /** Absolute or site-relative URL of the sharing picture. */
  image?: { url: string; alt: string; width?: number; height?: number } | null;
  /** Structured data objects, serialised as JSON-LD. */
  jsonLd?: object[];
  /** Extra head tags. */
  head?: JSX.Element;
  noIndex?: boolean;
}

/** JSON for a <script> block: `<` is escaped so no string can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function absoluteUrl(ctx: PageContext, path: string): string {
  return /^https?:\/\//.test(path) ? path : `${ctx.config.siteUrl}${path}`;
}

/** The search field in every page's header: a plain GET form, so it works without scripts. */
function SiteSearch(): JSX.Element {
  return (
    <form class="site-search" role="search" action="/search" method="get" aria-label="Site search">
      <label for="site-search-q" class="visually-hidden">
        Search the magazine
      </label>
      <input id="site-search-q" type="search" name="q" maxlength="500" placeholder="Search" />
      <button type="submit">Search</button>
    </form>
  );
}

/** Sign-in links for visitors; account, bookmarks (and the newsroom, for staff) once signed in. */
function AccountNav(props: { ctx: PageContext }): JSX.Element {
  const { viewer, path } = props.ctx;
  if (viewer === 'anonymous') {
    const next = path.startsWith('/account') ? '' : `?next=${encodeURIComponent(path)}`;
    return (
      <nav class="account-nav" aria-label="Account">
        <ul>
          <li>
            <a href={`/account/sign-in${next}`}>Sign in</a>
          </li>
          <li>
            <a class="account-nav__primary" href={`/account/sign-up${next}`}>
              Create account
            </a>
          </li>
        </ul>
      </nav>
    );
  }
  return (
    <nav class="account-nav" aria-label="Account">
      <ul>
        {viewer === 'staff' ? (
          <li>
            <a href="/newsroom">Newsroom</a>
          </li>
        ) : (
          ''
        )}
        <li>
          <a href="/account/bookmarks">Bookmarks</a>
        </li>
        <li>
          <a href="/account">Account</a>
        </li>
      </ul>
    </nav>
  );
}

export function Layout(props: PropsWithChildren<{ ctx: PageContext; meta: PageMeta }>): JSX.Element {
  const { ctx, meta } = props;
  const siteName = ctx.config.siteName;
  // A page that comes back with an error summary says so first in its title,
  // which is what a screen reader reads on arrival (and works without scripts).
  const refused = typeof props.children === 'string' && props.children.includes('data-error-summary');
  const fullTitle = `${refused ? 'Error: ' : ''}${meta.title === siteName ? siteName : `${meta.title} | ${siteName}`}`;
  const canonical = absoluteUrl(ctx, meta.canonicalPath ?? ctx.path);
  const image = meta.image ? { ...meta.image, url: absoluteUrl(ctx, meta.image.url) } : null;
  const safeHead = meta.head ?? '';
  const safeJsonLd = (meta.jsonLd ?? []).map((item) => `<script type="application/ld+json">${jsonForScript(item)}</script>`).join('');
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.config.siteLang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
          <meta name="description" content={meta.description} />
          <link rel="canonical" href={canonical} />
          {meta.noIndex || isExcludedFromCrawlers(ctx.path) ? <meta name="robots" content="noindex" /> : ''}
          <meta name="color-scheme" content="light dark" />
          <meta property="og:site_name" content={siteName} />
          <meta property="og:type" content={meta.ogType ?? 'website'} />
          <meta property="og:title" content={meta.title} />
          <meta property="og:description" content={meta.description} />
          <meta property="og:url" content={canonical} />
          {image ? (
            <>
              <meta property="og:image" content={image.url} />
              <meta property="og:image:alt" content={image.alt} />
              {image.width ? <meta property="og:image:width" content={String(image.width)} /> : ''}
              {image.height ? <meta property="og:image:height" content={String(image.height)} /> : ''}
            </>
          ) : (
            ''
          )}
          <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
          <meta name="twitter:title" content={meta.title} />
          <meta name="twitter:description" content={meta.description} />
          {image ? <meta name="twitter:image" content={image.url} /> : ''}
          {image ? <meta name="twitter:image:alt" content={image.alt} /> : ''}
          <link rel="icon" href={ctx.assets.icon} type="image/svg+xml" />
          <link rel="stylesheet" href={ctx.assets.css} />
          <script src={ctx.assets.js} defer></script>
          {(ctx.feeds ?? []).map((feed) => (
            <link rel="alternate" type={feed.type} title={feed.title} href={absoluteUrl(ctx, feed.path)} />
          ))}
          {safeHead}
          {safeJsonLd}
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="wrap site-header__inner">
              <a class="site-title" href="/" safe>
                {siteName}
              </a>
              <nav class="site-nav" aria-label="Sections">
                <ul>
                  {ctx.sections.map((s) => {
                    const href = `/sections/${s.slug}`;
                    const current = ctx.path === href || ctx.path.startsWith(`${href}?`);
                    return (
                      <li>
                        <a href={href} aria-current={current ? 'page' : undefined} safe>
                          {s.name}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </nav>
              <SiteSearch />
              <AccountNav ctx={ctx} />
            </div>
          </header>
          <main id="main" tabindex="-1">
            {props.children}
          </main>
          <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
          <footer class="site-footer">
            <div class="wrap">
              <p>
                <strong safe>{siteName}</strong> is written and edited by teenagers around the world, with adult mentors.
              </p>
              <nav aria-label="Footer">
                <ul>
                  <li>
                    <a href="/">Home</a>
                  </li>
                  {ctx.sections.map((s) => (
                    <li>
                      <a href={`/sections/${s.slug}`} safe>
                        {s.name}
                      </a>
                    </li>
                  ))}
                  <li>
                    <a href="/newsletters">Newsletters</a>
                  </li>
                </ul>
              </nav>
              {ctx.footerPages?.length ? (
                <nav aria-label="About the magazine" class="site-footer__pages">
                  <ul>
                    {ctx.footerPages.map((p) => (
                      <li>
                        <a href={`/${p.slug}`} aria-current={ctx.path === `/${p.slug}` ? 'page' : undefined} safe>
                          {p.title}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
              ) : (
                ''
              )}
              <section class="site-footer__newsletter" aria-label="Newsletter sign-up">
                <NewsletterSignupForm viewer={ctx.viewer} source="footer" idPrefix="footer-" />
              </section>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
