// What a feed says about one article. Free articles go out whole; a registered
// article goes out as its public part only (dek, the wall's preview paragraphs and
// a link to the rest), split by the reading module's wallPreview, so no feed can
// carry a sentence the wall keeps from visitors.
import type { Category, Item } from 'feed';
import { escapeHtml, type RichNode } from '../../lib/rich-text.js';
import type { ArticlePage } from '../articles/index.js';
import { absolutePictureUrl, pictureUrl, shareImage } from '../media/index.js';
import { wallPreview } from '../reading/index.js';

export interface ItemContext {
  siteUrl: string;
  previewParagraphs: number;
  renderBodyHtml(doc: RichNode): Promise<string>;
}

/** Site-relative URLs in HTML (src, href, srcset) made absolute, as feed readers show content away from the site. */
function absoluteUrls(html: string, siteUrl: string): string {
  return html
    .replace(/\b(src|href)="\/(?!\/)/g, `$1="${siteUrl}/`)
    .replace(/\bsrcset="([^"]*)"/g, (_all, list: string) => `srcset="${list.replace(/(^|,\s*)\/(?!\/)/g, `$1${siteUrl}/`)}"`);
}

/** The item's HTML: the whole body of a free article, the public part of a registered one. */
async function contentHtml(article: ArticlePage, link: string, ctx: ItemContext): Promise<string> {
  if (article.access === 'free') return absoluteUrls(article.safeBodyHtml, ctx.siteUrl);
  const preview = await ctx.renderBodyHtml(wallPreview(article, ctx.previewParagraphs));
  const dek = article.dek ? `<p><strong>${escapeHtml(article.dek)}</strong></p>` : '';
  const more = `<p><a href="${escapeHtml(link)}">Continue reading</a></p>`;
  return `${dek}${absoluteUrls(preview, ctx.siteUrl)}${more}`;
}

/** The hero picture as an enclosure: its largest JPEG, with its size in bytes. */
function heroEnclosure(article: ArticlePage, siteUrl: string): Item['image'] {
  if (!article.hero) return undefined;
  const { picture, alt } = article.hero;
  const share = shareImage(picture, alt);
  const variant = picture.variants.find((v) => pictureUrl(picture, v.file) === share.url);
  return { url: absolutePictureUrl(siteUrl, share.url), type: 'image/jpeg', length: variant?.bytes ?? 0 };
}

/** A section or tag as a category: RSS names its page (domain), Atom its slug (term) in the list's scheme. */
function category(siteUrl: string, list: 'sections' | 'tags', named: { slug: string; name: string }): Category {
  const scheme = `${siteUrl}/${list}/`;
  return { name: named.name, term: named.slug, scheme, domain: `${scheme}${named.slug}` };
}

export async function feedItem(article: ArticlePage, ctx: ItemContext): Promise<Item> {
  const link = `${ctx.siteUrl}/articles/${article.slug}`;
  const image = heroEnclosure(article, ctx.siteUrl);
  return {
    title: article.title,
    id: link,
    link,
    description: article.dek,
    content: await contentHtml(article, link, ctx),
    author: article.byline.map((p) => ({ name: p.name, link: `${ctx.siteUrl}/people/${p.slug}` })),
    date: new Date(article.updatedAt),
    published: new Date(article.publishedAt),
    category: [category(ctx.siteUrl, 'sections', article.section), ...article.tags.map((t) => category(ctx.siteUrl, 'tags', t))],
    ...(image ? { image } : {}),
  };
}
