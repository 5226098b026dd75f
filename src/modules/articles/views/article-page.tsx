import { formatLongDate } from '../../../lib/dates.js';
import { absoluteUrl, Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { PictureTag, shareImage } from '../../media/index.js';
import { PersonCardView } from '../../people/index.js';
import type { ArticlePage, FurtherReading } from '../articles.service.js';
import { bylineText } from '../byline.js';
import { Byline } from './byline.js';
import { Credit } from './figure.js';
import { FurtherReadingView } from './further-reading.js';

/** Structured data for search engines: a NewsArticle with its people and publisher. */
export function newsArticleJsonLd(ctx: PageContext, a: ArticlePage, articleBody: string | null, gatedSelector: string | null): object {
  const url = absoluteUrl(ctx, `/articles/${a.slug}`);
  const image = a.hero ? shareImage(a.hero.picture, a.hero.alt) : null;
  const person = (p: { name: string; slug: string }) => ({ '@type': 'Person', name: p.name, url: absoluteUrl(ctx, `/people/${p.slug}`) });
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    description: a.dek,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    datePublished: a.publishedAt,
    dateModified: a.updatedAt,
    articleSection: a.section.name,
    keywords: a.tags.map((t) => t.name),
    wordCount: a.wordCount,
    inLanguage: ctx.config.siteLang,
    ...(image ? { image: [{ '@type': 'ImageObject', url: absoluteUrl(ctx, image.url), width: image.width, height: image.height }] } : {}),
    author: a.authors.map(person),
    editor: a.editors.map(person),
    publisher: { '@type': 'Organization', name: ctx.config.siteName, url: ctx.config.siteUrl },
    ...(articleBody === null ? {} : { articleBody }),
    isAccessibleForFree: gatedSelector === null,
    ...(gatedSelector === null ? {} : { hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: gatedSelector } }),
  };
}

/** The copy-link control: a readable URL without JavaScript, a button with it. */
export function CopyLink(props: { url: string }): JSX.Element {
  return (
    <div class="copy-link" data-copy-link={props.url}>
      <label for="copy-link-url">Link to this article</label>
      <div class="copy-link__row">
        <input id="copy-link-url" type="url" readonly value={props.url} />
        <button type="button" class="button" hidden>
          Copy link
        </button>
      </div>
      <p class="copy-link__status" role="status" aria-live="polite"></p>
    </div>
  );
}

export interface ArticleViewOptions {
  /** The body markup the visitor may read (the whole body, or the preview before the wall). */
  safeBodyHtml: string;
  /** Markup after the body (the registration wall), if any. */
  after?: JSX.Element;
  jsonLd: object;
  /** The bookmark control (or its slot). */
  bookmark?: JSX.Element;
  /** More from the author and related articles, shown after the article (not in the newsroom's preview). */
  further?: FurtherReading;
  /** The newsroom's preview of an article that may not be published: no link to report it (its address answers 404). */
  preview?: boolean;
}

/** The people credited at the foot of an article: its authors, then its editors (without biographies). */
function Credits(props: { id: string; title: string; people: ArticlePage['authors']; showBio: boolean }): JSX.Element {
  if (props.people.length === 0) return '';
  return (
    <section class="credits" aria-labelledby={props.id}>
      <h2 id={props.id} class="credits__title" safe>
        {props.title}
      </h2>
      {props.people.map((p) => (
        <PersonCardView person={p} showBio={props.showBio} />
      ))}
    </section>
  );
}

export function ArticlePageView(props: { ctx: PageContext; article: ArticlePage; view: ArticleViewOptions }): JSX.Element {
  const { ctx, article: a, view } = props;
  const canonicalPath = `/articles/${a.slug}`;
  const image = a.hero ? shareImage(a.hero.picture, a.hero.alt) : null;
  const safeBody = view.safeBodyHtml;
  const safeAfter = view.after ?? '';
  const safeBookmark = view.bookmark ?? '';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: a.title,
        description: a.dek,
        canonicalPath,
        ogType: 'article',
        image,
        jsonLd: [view.jsonLd],
        head: (
          <>
            <meta property="article:published_time" content={a.publishedAt} />
            <meta property="article:modified_time" content={a.updatedAt} />
            <meta property="article:section" content={a.section.name} />
            <meta name="author" content={bylineText(a.byline, '')} />
          </>
        ),
      }}
    >
      <article class="article">
        {a.hero ? (
          <figure class="article__hero">
            <PictureTag picture={a.hero.picture} alt={a.hero.alt} sizes="(min-width: 75em) 72rem, 100vw" eager />
            <figcaption class="wrap">
              <span class="article__caption" safe>
                {a.hero.caption}
              </span>{' '}
              <Credit creator={a.hero.creditCreator} source={a.hero.creditSource} />
            </figcaption>
          </figure>
        ) : (
          ''
        )}
        <div class="wrap narrow">
          <header class="article__header">
            <p class="eyebrow">
              <a href={`/sections/${a.section.slug}`} safe>
                {a.section.name}
              </a>
            </p>
            <h1 safe>{a.title}</h1>
            <Byline people={a.byline} phrase={a.bylinePhrase} />
            <p class="dek" safe>
              {a.dek}
            </p>
          </header>
          <div class="prose article__body">{safeBody}</div>
          {safeAfter}
          <Credits id="written-by" title="Written by:" people={a.authors} showBio />
          <Credits id="edited-by" title="Edited by:" people={a.editors} showBio={false} />
          <footer class="article__footer">
            <div class="article__actions">
              {safeBookmark}
              <CopyLink url={absoluteUrl(ctx, canonicalPath)} />
            </div>
            <p class="article__published">
              Published{' '}
              <time datetime={a.publishedAt} safe>
                {formatLongDate(a.publishedAt)}
              </time>{' '}
              in{' '}
              <a href={`/sections/${a.section.slug}`} safe>
                {a.section.name}
              </a>
              {a.newsroom ? (
                <>
                  {' '}
                  by the{' '}
                  <a href={`/newsrooms/${a.newsroom.slug}`} safe>
                    {a.newsroom.name}
                  </a>
                </>
              ) : (
                ''
              )}
            </p>
            {a.tags.length > 0 ? (
              <ul class="tags" aria-label="Tags">
                {a.tags.map((t) => (
                  <li>
                    <a href={`/tags/${t.slug}`} rel="tag" safe>
                      {t.name}
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              ''
            )}
            {view.preview ? (
              ''
            ) : (
              <p class="article__report">
                <a href={`${canonicalPath}/report`}>Report a problem with this article</a>
              </p>
            )}
          </footer>
        </div>
      </article>
      {view.further ? <FurtherReadingView viewer={ctx.viewer} reading={view.further} /> : ''}
    </Layout>
  );
}
