// Answering an old address: a request no route matched is looked up here before
// it becomes a 404, and so is the old site's `/?p=123` (which the home route
// would otherwise answer). Answers, found or not, are kept in memory for a short
// while, so a flood of unknown addresses costs one query per address, not per
// request; any change to the content version (every redirect change bumps it)
// forgets them at once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normaliseRedirectPath } from './paths.js';
import { targetOf, type RedirectsDb } from './redirects.repository.js';
import { REDIRECTS, setSurrogateHeaders } from '../../web/surrogate-keys.js';

interface Target {
  to: string;
  status: number;
}

/** Only addresses of exactly this form are looked up before the routes: ordinary home requests cost nothing. */
export const OLD_QUERY_ADDRESS = /^\/(?:index\.php)?\?(?:[^#]*&)?(?:p|page_id|cat|author|attachment_id)=[0-9]{1,18}(?:&|$)/;

export interface LookupOptions {
  /** How long an answer is kept when nothing changes (another process may write). */
  ttlMs?: number;
  /** How many addresses are remembered; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export class RedirectLookup {
  private readonly cache = new Map<string, { target: Target | null; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Queries made, for the tests and the benchmark: a cached answer makes none. */
  queries = 0;

  constructor(
    private readonly db: RedirectsDb,
    options: LookupOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Forgets every answer: called whenever the content version moves on. */
  clear(): void {
    this.cache.clear();
  }

  async find(key: string): Promise<Target | null> {
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.target;
    this.queries++;
    const row = await targetOf(this.db, key);
    const target = row ? { to: row.to_path, status: row.status_code } : null;
    this.cache.delete(key);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { target, until: now + this.ttlMs });
    return target;
  }

  /**
   * Sends the redirect for this request when its address has one; false when it
   * has none. Only GET and HEAD are redirected (a form sent to an old address is
   * not resent elsewhere). The visitor's own query string (a campaign's utm_
   * tags, say) goes along unless the old address was itself a query (`/?p=123`)
   * or the target has one of its own.
   */
  async answer(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const key = normaliseRedirectPath(request.url);
    if (key === null) return false;
    const target = await this.find(key);
    if (!target) return false;
    // A permanent redirect may be kept by a CDN: the desk's changes purge it by its key.
    if (target.status === 301) setSurrogateHeaders(reply, [REDIRECTS]);
    reply
      .header('cache-control', target.status === 301 ? 'public, max-age=86400' : 'no-store')
      .redirect(withQuery(target.to, key.includes('?') ? '' : queryOf(request.url)), target.status);
    return true;
  }
}

function queryOf(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return '';
  const query = url.slice(at + 1).split('#')[0]!;
  // Only what a URL may carry as it is: anything else would have to be re-encoded, so it is dropped.
  return /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/.test(query) ? query : '';
}

function withQuery(to: string, query: string): string {
  if (query === '') return to;
  const hashAt = to.indexOf('#');
  const [path, hash] = hashAt === -1 ? [to, ''] : [to.slice(0, hashAt), to.slice(hashAt)];
  if (path.includes('?')) return to;
  return `${path}?${query}${hash}`;
}
