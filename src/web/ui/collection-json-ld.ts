// Structured data shared by every page that lists articles (section, tag and
// newsroom pages): search engines read the list as an ItemList of its articles.
import { absoluteUrl } from '../layout.js';
import type { PageContext } from '../page-context.js';

/** JSON-LD for a list page: a CollectionPage holding an ItemList of its articles. */
export function collectionJsonLd(
  ctx: PageContext,
  name: string,
  description: string,
  path: string,
  items: readonly { slug: string; title: string }[],
): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    name,
    description,
    url: absoluteUrl(ctx, path),
    isPartOf: { '@type': 'WebSite', name: ctx.config.siteName, url: ctx.config.siteUrl },
    mainEntity: {
      '@type': 'ItemList',
      itemListElement: items.map((t, i) => ({
        '@type': 'ListItem',
        position: i + 1,
        url: absoluteUrl(ctx, `/articles/${t.slug}`),
        name: t.title,
      })),
    },
  };
}
