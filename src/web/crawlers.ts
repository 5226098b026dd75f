// Where search engines are not wanted: the pages of readers' accounts, the
// newsroom, judging, the API and search results. One list, read by robots.txt
// (which asks crawlers to stay out) and by the layout (which marks any such page
// `noindex`, for crawlers that arrive through a link anyway).
export const CRAWLER_EXCLUDED_PATHS = ['/account', '/newsroom', '/judging', '/api', '/search'] as const;

/** Whether a page path lies under one of the excluded prefixes (`/account/sign-in` does, `/accounts-of-war` does not). */
export function isExcludedFromCrawlers(path: string): boolean {
  const pathname = path.split(/[?#]/, 1)[0]!;
  return CRAWLER_EXCLUDED_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
