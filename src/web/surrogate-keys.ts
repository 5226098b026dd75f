// Surrogate keys: names for what a page shows, so that a change drops exactly the
// pages showing what changed, both from the in-process render cache and from a
// CDN in front (Fastly reads `Surrogate-Key`, Cloudflare `Cache-Tag`, our Varnish
// configuration either). A page showing article X carries `a:X`; a listing also
// carries its own key (`home`, `s:<section>`, ...) so that a new publication
// drops the listings it joins, and every page carries `site` (the navigation and
// the footer), so that a change nobody can place drops everything.
import type { FastifyReply } from 'fastify';

export const SITE = 'site';
export const HOME = 'home';
export const FEEDS = 'feeds';
export const SITEMAPS = 'sitemaps';
export const PEOPLE = 'people';
export const PRIZE = 'prize';
export const SEARCH = 'search';
/** The old site's addresses answered with a redirect (the redirects desk). */
export const REDIRECTS = 'redirects';

export const articleKey = (articleId: string): string => `a:${articleId}`;
export const sectionKey = (sectionSlug: string): string => `s:${sectionSlug}`;
export const tagKey = (tagSlug: string): string => `t:${tagSlug}`;
export const personKey = (personId: string): string => `p:${personId}`;
export const newsroomKey = (newsroomId: string): string => `n:${newsroomId}`;
export const pageKey = (pageSlug: string): string => `pg:${pageSlug}`;

/** The keys of a list of teasers (or anything with an article id). */
export function articleKeys(articles: Iterable<{ id: string } | null | undefined>): string[] {
  const keys: string[] = [];
  for (const a of articles) if (a) keys.push(articleKey(a.id));
  return keys;
}

/** What a route's page shows: a route's render adds keys as it draws the page. */
export type ShowsKeys = (...keys: (string | readonly string[])[]) => void;

/** A set of keys always holding `site`, with the `show` a render is given. */
export function keyCollector(): { keys: Set<string>; show: ShowsKeys } {
  const keys = new Set<string>([SITE]);
  return {
    keys,
    show: (...more) => {
      for (const k of more) {
        if (typeof k === 'string') keys.add(k);
        else for (const each of k) keys.add(each);
      }
    },
  };
}

/** A key is sent in a space-separated header, so it holds no white space or comma (ids and slugs never do). */
export function isValidKey(key: string): boolean {
  return /^[A-Za-z0-9:._-]{1,200}$/.test(key);
}

/** Puts the page's keys on the answer, for the CDN in front. */
export function setSurrogateHeaders(reply: FastifyReply, keys: Iterable<string>): void {
  const list = [...new Set(keys)].filter(isValidKey);
  if (list.length === 0) return;
  reply.header('surrogate-key', list.join(' ')).header('cache-tag', list.join(','));
}
