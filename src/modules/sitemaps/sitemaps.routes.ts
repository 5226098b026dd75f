// /sitemap.xml, the child sitemaps under /sitemaps/ and /robots.txt. Each answer
// carries an ETag of its bytes, so a crawler that already holds it gets a 304.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CRAWLER_EXCLUDED_PATHS } from '../../web/crawlers.js';
import { NotFoundError } from '../../web/errors.js';
import { setSurrogateHeaders, SITE, SITEMAPS } from '../../web/surrogate-keys.js';
import type { SitemapsService } from './sitemaps.service.js';

export interface SitemapsRoutesOptions {
  sitemaps: SitemapsService;
  siteUrl: string;
}

/** How long caches may keep a sitemap; the news sitemap changes with every article. */
const MAX_AGE = { sitemap: 3600, news: 300, robots: 86_400 } as const;

function send(request: FastifyRequest, reply: FastifyReply, type: string, maxAge: number, body: string): FastifyReply {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  reply.type(type).header('cache-control', `public, max-age=${maxAge}`).header('etag', etag);
  setSurrogateHeaders(reply, [SITE, SITEMAPS]);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(body);
}

/** robots.txt: crawlers stay out of readers' accounts, the newsroom, judging, the API and search, and are told where the sitemap is. */
export function robotsTxt(siteUrl: string): string {
  const disallow = CRAWLER_EXCLUDED_PATHS.map((path) => `Disallow: ${path}`);
  return ['User-agent: *', ...disallow, '', `Sitemap: ${siteUrl}/sitemap.xml`, ''].join('\n');
}

export async function sitemapsRoutes(app: FastifyInstance, opts: SitemapsRoutesOptions): Promise<void> {
  const { sitemaps } = opts;
  const xml = 'application/xml; charset=utf-8';
  const robots = robotsTxt(opts.siteUrl);

  app.get('/sitemap.xml', async (request, reply) => send(request, reply, xml, MAX_AGE.sitemap, await sitemaps.index()));

  app.get<{ Params: { name: string } }>('/sitemaps/:name', async (request, reply) => {
    const { name } = request.params;
    const body = await sitemaps.file(name);
    if (body === null) throw new NotFoundError('There is no sitemap at this address.');
    return send(request, reply, xml, name === 'news.xml' ? MAX_AGE.news : MAX_AGE.sitemap, body);
  });

  app.get('/robots.txt', async (request, reply) => send(request, reply, 'text/plain; charset=utf-8', MAX_AGE.robots, robots));
}
