// The XML of the sitemaps protocol (sitemaps.org), with Google's image and news
// extensions. Every value is escaped here, and characters XML 1.0 cannot hold
// are dropped, so no title or slug can break a document.
export const NS = {
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  image: 'http://www.google.com/schemas/sitemap-image/1.1',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
} as const;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const NOT_XML =
  // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

export interface SitemapRef {
  loc: string;
  lastmod: string | null;
}

export interface UrlEntry {
  loc: string;
  lastmod: string | null;
  images?: string[];
}

export interface NewsEntry {
  loc: string;
  title: string;
  publishedAt: string;
}

export interface Publication {
  name: string;
  language: string;
}

/** One element a line. */
function lines(items: string[]): string {
  return items.map((item) => `${item}\n`).join('');
}

function optionalLastmod(lastmod: string | null): string {
  return lastmod ? element('lastmod', lastmod) : '';
}

export function sitemapIndex(refs: SitemapRef[]): string {
  const items = refs.map((r) => `<sitemap>${element('loc', r.loc)}${optionalLastmod(r.lastmod)}</sitemap>`);
  return `${XML_DECLARATION}<sitemapindex xmlns="${NS.sitemap}">\n${lines(items)}</sitemapindex>\n`;
}

export function urlSet(entries: UrlEntry[]): string {
  const items = entries.map((e) => {
    const images = (e.images ?? []).map((src) => `<image:image>${element('image:loc', src)}</image:image>`).join('');
    return `<url>${element('loc', e.loc)}${optionalLastmod(e.lastmod)}${images}</url>`;
  });
  return `${XML_DECLARATION}<urlset xmlns="${NS.sitemap}" xmlns:image="${NS.image}">\n${lines(items)}</urlset>\n`;
}

export function newsUrlSet(publication: Publication, entries: NewsEntry[]): string {
  const publicationXml = `<news:publication>${element('news:name', publication.name)}${element('news:language', publication.language)}</news:publication>`;
  const items = entries.map(
    (e) =>
      `<url>${element('loc', e.loc)}<news:news>${publicationXml}` +
      `${element('news:publication_date', e.publishedAt)}${element('news:title', e.title)}</news:news></url>`,
  );
  return `${XML_DECLARATION}<urlset xmlns="${NS.sitemap}" xmlns:news="${NS.news}">\n${lines(items)}</urlset>\n`;
}

/**
 * The language code Google News asks for: the ISO 639 code of the site's
 * language, except Chinese, which it takes as zh-cn or zh-tw.
 */
export function newsLanguage(siteLang: string): string {
  const [primary, region] = siteLang.toLowerCase().split('-');
  if (primary !== 'zh') return primary!;
  return region === 'tw' || region === 'hk' || region === 'hant' ? 'zh-tw' : 'zh-cn';
}
