// Which slugs a static page may take. A page is served at /<slug>, so its slug
// must never be one of the site's own first path segments (an article list, an
// account page, a feed, an asset...), nor one the site may need soon.

/** The site's own first path segments: a page with one of these slugs would be hidden or would hide the site's page. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'account',
  'accounts',
  'admin',
  'api',
  'articles',
  'assets',
  'bookmarks',
  'entry-photos',
  'favicon',
  'favicon-ico',
  'feed',
  'feeds',
  'healthz',
  'judging',
  'login',
  'logout',
  'media',
  'newsletters',
  'newsroom',
  'newsrooms',
  'pages',
  'people',
  'prize-assets',
  'prizes',
  'readyz',
  'robots-txt',
  'search',
  'sections',
  'sign-in',
  'sign-out',
  'sign-up',
  'sitemap',
  'sitemap-xml',
  'sitemaps',
  'static',
  'tags',
  'uploads',
  'well-known',
]);

/** A slug's own shape: lower-case letters and digits in words joined by single hyphens. */
export const PAGE_SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const MAX_PAGE_SLUG_LENGTH = 80;

export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.has(slug);
}

/** What is wrong with a slug typed in the newsroom, or null when it may be used (uniqueness aside). */
export function slugProblem(slug: string): string | null {
  if (slug === '') return 'Enter the address of the page.';
  if (slug.length > MAX_PAGE_SLUG_LENGTH) return `Keep the address to ${MAX_PAGE_SLUG_LENGTH} characters or fewer.`;
  if (!PAGE_SLUG_RE.test(slug)) return 'Use lower-case letters, digits and single hyphens only, e.g. join-the-team.';
  if (isReservedSlug(slug)) return `“/${slug}” is one of the site's own addresses: choose another, e.g. “about-${slug}”.`;
  return null;
}
